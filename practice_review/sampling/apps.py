from django.apps import AppConfig


class SamplingConfig(AppConfig):
    name = "practice_review.sampling"
    label = "sampling"
    verbose_name = "Sampling"

    def ready(self):
        # Imported here, not at the top: models cannot be imported before the app registry is
        # ready, which is why Django gives apps ready() (not to dodge a cycle).
        from practice_review.sampling.personal_data import register_personal_data

        register_personal_data()
