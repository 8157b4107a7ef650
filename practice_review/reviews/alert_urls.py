from django.urls import path

urlpatterns: list = [
    # Filled in by the alerts work (issue 3).
]
_ = path
