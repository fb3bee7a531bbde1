"""Every write of publishing, by concern: the pipeline that sends publications (pipeline.py), channels
(channels.py), acting on one publication of the log (publications.py) and the pre-flight check
(preflight.py). Tasks, admin, pages, API and the workflow's effects import them from here."""

from publishing.services.channels import (
    CREDENTIALS_CLEARED,
    channel_change_check,
    channel_config_check,
    channel_create,
    channel_moves,
    channel_test,
    channel_update,
)
from publishing.services.credentials import adapter_for, channel_credentials_refreshed
from publishing.services.pipeline import (
    BACKOFF_CAP_SECONDS,
    CLAIM_BATCH,
    MAX_ATTEMPTS,
    PUBLISH_BATCH,
    RESEND_UNSAFE,
    content_change,
    drafts_without_channels_publish,
    post_for,
    post_for_channel,
    publication_publish,
    publications_cancel,
    publications_claim_due,
    publications_publish,
    publications_recover_stale,
    publications_retry_failed,
    publications_schedule,
    retry_delay,
)
from publishing.services.preflight import PREFLIGHT_WINDOW, publications_preflight
from publishing.services.publications import publication_check, publication_retry

__all__ = [
    "BACKOFF_CAP_SECONDS",
    "CLAIM_BATCH",
    "CREDENTIALS_CLEARED",
    "MAX_ATTEMPTS",
    "PREFLIGHT_WINDOW",
    "PUBLISH_BATCH",
    "RESEND_UNSAFE",
    "adapter_for",
    "channel_change_check",
    "channel_config_check",
    "channel_create",
    "channel_credentials_refreshed",
    "channel_moves",
    "channel_test",
    "channel_update",
    "content_change",
    "drafts_without_channels_publish",
    "post_for",
    "post_for_channel",
    "publication_check",
    "publication_publish",
    "publication_retry",
    "publications_cancel",
    "publications_claim_due",
    "publications_preflight",
    "publications_publish",
    "publications_recover_stale",
    "publications_retry_failed",
    "publications_schedule",
    "retry_delay",
]
