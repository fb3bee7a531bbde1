from django.apps import AppConfig


class BriefsConfig(AppConfig):
    name = "contributors.briefs"
    label = "briefs"
