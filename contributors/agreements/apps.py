from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "contributors.agreements"
    label = "agreements"

    def ready(self) -> None:
        from contributors.agreements.services import submit_check
        from drafts.gates import register_submit_check

        register_submit_check(submit_check)
