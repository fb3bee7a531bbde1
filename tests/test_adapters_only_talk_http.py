"""Adapters receive what they need in the post they are given and only talk HTTP (or SMTP): a resend's
look-up and the e-mail adapter's list of who already got the message come in the post, not from the
database."""

import dataclasses

from publishing import services
from publishing.adapters import adapter_for
from publishing.models import Publication
from publishing.standins.wordpress import WordPressStandIn
from tests.factories import advance


def test_a_resend_is_looked_up_from_what_the_post_says_without_a_query(personas, draft, django_assert_num_queries):
    site = WordPressStandIn()
    site.start()
    try:
        channel = services.channel_create(
            board=personas.board,
            actor=None,
            kind="wordpress",
            name="Blog",
            settings={"url": site.url},
            credentials={"username": site.username, "application_password": site.application_password},
        )
        advance(draft, "scheduled", personas)
        publication = Publication.objects.get(draft=draft)
        Publication.objects.filter(pk=publication.pk).update(attempts=1)
        post = services.post_for(Publication.objects.select_related("draft__board", "channel").get(pk=publication.pk))
        assert post.resend is False
        adapter = adapter_for(channel)
        with django_assert_num_queries(0):
            first = adapter.publish(post)
            again = adapter.publish(dataclasses.replace(post, resend=True))  # the worker died after sending
        assert again.post_id == first.post_id
        assert len(site.posts) == 1
    finally:
        site.stop()
