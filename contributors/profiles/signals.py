"""A deactivated account keeps no API token, however it was deactivated (admin, service, shell).

A receiver rather than a service: `is_active=False` is set by Django's admin form and by hand as often as
by our code, and a token that outlived a deactivation would work again the day the account is reactivated.
"""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from contributors.profiles.tokens import api_tokens_revoke_all


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="revoke-api-tokens-on-deactivation")
def revoke_api_tokens_on_deactivation(sender, instance, created, update_fields=None, **kwargs) -> None:
    if created or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    api_tokens_revoke_all(user=instance)
