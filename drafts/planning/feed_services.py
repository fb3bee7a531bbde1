"""Writes of a person's private calendar feed: made the first time it is asked for, and reset on request
(a new secret, so the old address stops working at once)."""

from django.db import IntegrityError, transaction

from contributors.models import User
from drafts.planning.models import CalendarFeed, new_feed_token


def calendar_feed_for_user(*, user: User) -> CalendarFeed:
    """The person's feed, made now if they have none yet (two requests at once make one)."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is not None:
        return feed
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(user=user)
    except IntegrityError:
        return CalendarFeed.objects.get(user=user)


@transaction.atomic
def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """A new secret for the person's feed: every calendar subscribed to the old address gets 404 from now."""
    feed = calendar_feed_for_user(user=user)
    feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
    feed.token = new_feed_token()
    feed.save(update_fields=["token"])
    return feed
