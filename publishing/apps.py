from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """Channels, adapters and the Celery pipeline that publishes scheduled drafts."""

    name = "publishing"

    def ready(self) -> None:
        from drafts.gates import (
            register_argument_check,
            register_argument_choices,
            register_transition_effect,
            register_variant_targets,
        )
        from publishing import selectors, services
        from publishing.services import publications

        register_argument_check("schedule", publications.schedule_arguments_check)
        register_argument_check("retry", publications.retry_arguments_check)
        register_argument_choices("schedule", "channels", publications.schedule_channel_choices)
        register_argument_choices("retry", "channels", publications.retry_channel_choices)
        register_transition_effect("schedule", services.publications_schedule)
        register_transition_effect("retry", services.publications_retry_failed)
        register_transition_effect("unschedule", services.publications_cancel)
        register_variant_targets(selectors.variant_targets)
