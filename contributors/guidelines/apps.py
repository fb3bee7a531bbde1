from django.apps import AppConfig


class GuidelinesConfig(AppConfig):
    name = "contributors.guidelines"
    label = "guidelines"
