from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """Channels, adapters and publishing tasks: built by the publishing issue on top of the workflow."""

    name = "publishing"
