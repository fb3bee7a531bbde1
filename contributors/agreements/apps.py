from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "contributors.agreements"
    label = "agreements"
