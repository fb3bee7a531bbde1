from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "contributors.profiles"
    label = "profiles"

    def ready(self) -> None:
        from contributors.profiles import signals  # noqa: F401  (connects the receivers)
