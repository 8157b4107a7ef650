"""The QA lead's pages for audit templates (template_views.py)."""

from django.urls import path

from practice_review.reviews import template_views as views

urlpatterns = [
    path("", views.template_list, name="template_list"),
    path("new/", views.template_create, name="template_create"),
    path("upload/", views.template_upload, name="template_upload"),
    path("<int:template_id>/", views.template_detail, name="template_detail"),
    path("<int:template_id>/template.yaml", views.template_download, name="template_download"),
    path("<int:template_id>/preview/", views.template_preview, name="template_preview"),
    path("<int:template_id>/copy/", views.template_copy, name="template_copy"),
    path("<int:template_id>/new-version/", views.template_new_version, name="template_new_version"),
    # A draft's pages: not found for a published version, which never changes.
    path("<int:template_id>/details/", views.template_details, name="template_details"),
    path("<int:template_id>/publish/", views.template_publish, name="template_publish"),
    path("<int:template_id>/delete/", views.template_delete, name="template_delete"),
    path("<int:template_id>/<slug:part>/add/", views.template_add_item, name="template_add_item"),
    path("<int:template_id>/<slug:part>/<int:number>/", views.template_item, name="template_item"),
    path(
        "<int:template_id>/<slug:part>/<int:number>/move/",
        views.template_move_item,
        name="template_move_item",
    ),
    path(
        "<int:template_id>/<slug:part>/<int:number>/remove/",
        views.template_remove_item,
        name="template_remove_item",
    ),
]
