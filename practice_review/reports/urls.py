from django.urls import path, register_converter

from practice_review.reports import trends_views, views


class Edition:
    regex = "full|wider-circulation"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class Format:
    regex = "html|docx|pdf"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(Edition, "edition")
register_converter(Format, "format")

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("new/", views.report_create, name="report_create"),
    path("trends/", trends_views.trends, name="trends"),
    path("trends/trends.csv", trends_views.trends_csv, name="trends_csv"),
    path("trends/<slug:chart>.png", trends_views.trends_chart, name="trends_chart"),
    path("<int:report_id>/", views.report_detail, name="report_detail"),
    path("<int:report_id>/covers/", views.report_coverage, name="report_coverage"),
    path("<int:report_id>/narrative/<str:part>/", views.report_part, name="report_part"),
    path(
        "<int:report_id>/narrative/<str:part>/restore/",
        views.report_part_restore,
        name="report_part_restore",
    ),
    path("<int:report_id>/preview/", views.report_preview, name="report_preview"),
    path("<int:report_id>/publish/", views.report_publish, name="report_publish"),
    path(
        "<int:report_id>/draft-<edition:edition>.<format:format>",
        views.report_draft_file,
        name="report_draft_file",
    ),
    path("<int:report_id>/figures.json", views.report_figures, name="report_figures"),
    path("<int:report_id>/versions/<int:number>/", views.report_version, name="report_version"),
    path(
        "<int:report_id>/versions/<int:number>/figures.json",
        views.report_figures,
        name="report_version_figures",
    ),
    path(
        "<int:report_id>/versions/<int:number>/<edition:edition>.<format:format>",
        views.report_version_file,
        name="report_version_file",
    ),
]
