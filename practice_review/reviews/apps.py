from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "practice_review.reviews"
    label = "reviews"
    verbose_name = "Cohorts and reviews"
