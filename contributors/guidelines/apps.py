from django.apps import AppConfig


class GuidelinesConfig(AppConfig):
    name = "contributors.guidelines"
    label = "guidelines"
    verbose_name = "Guidelines"

    def ready(self) -> None:
        from contributors.guidelines.services import guideline_submit_check
        from drafts.gates import register_submit_check

        register_submit_check(guideline_submit_check)
