from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "practice_review.reviews"
    label = "reviews"
    verbose_name = "Cohorts and reviews"

    def ready(self):
        # Imported here, not at the top: models cannot be imported before the app registry is
        # ready, which is why Django gives apps ready() (not to dodge a cycle).
        from practice_review.audit.registry import register_record_page
        from practice_review.reviews.personal_data import register_personal_data
        from practice_review.reviews.queries import cohorts_visible_to, reviews_visible_to

        register_record_page("review", visible_to=reviews_visible_to, url_name="review_detail")
        register_record_page("cohort", visible_to=cohorts_visible_to, url_name="cohort_detail")
        register_personal_data()
