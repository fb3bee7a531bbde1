from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "contributors.profiles"
    label = "profiles"
