"""Discord webhooks through the publishing pipeline, against a stand-in that answers as Discord documents."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cocreate.errors import Conflict
from publishing import services
from publishing.adapters import AdapterError, adapter_for
from publishing.models import Channel, Publication, PublicationAttempt
from publishing.standins.discord import CHANNEL_ID, GUILD_ID, DiscordStandIn, Fault
from tests.adapter_image_helpers import add_image
from tests.factories import advance, make_channel, run_due

TOKEN = "discord-webhook-token-secret"


@pytest.fixture
def discord():
    stand_in = DiscordStandIn(token=TOKEN)
    stand_in.url = stand_in.start()
    yield stand_in
    stand_in.stop()


def discord_channel(board, url, name="Community Discord", **settings) -> Channel:
    return make_channel(board, "discord", name=name, settings=settings, credentials={"url": url})


@pytest.fixture
def scheduled(personas, draft, discord):
    discord_channel(personas.board, discord.url, username="Cocreate bot")
    advance(draft, "scheduled", personas)
    return draft


def test_it_posts_with_wait_and_stores_the_message_id_and_link(scheduled, discord):
    assert run_due() == ["published"]
    assert discord.requests[0]["query"] == {"wait": ["true"]}
    assert discord.posts == [{"content": scheduled.body, "allowed_mentions": {"parse": []}, "username": "Cocreate bot"}]
    publication = Publication.objects.get(draft=scheduled)
    assert publication.platform_post_id == "1300000000000000001"
    assert publication.platform_url == (f"https://discord.com/channels/{GUILD_ID}/{CHANNEL_ID}/1300000000000000001")
    scheduled.refresh_from_db()
    assert scheduled.state == "published"


def test_it_stops_at_once_when_the_webhook_was_deleted(scheduled, discord):
    discord.deleted = True
    assert run_due() == ["failed"]
    publication = Publication.objects.get(draft=scheduled)
    assert "unknown webhook" in publication.last_error
    assert "10015" in publication.last_error
    assert TOKEN not in publication.last_error
    assert PublicationAttempt.objects.get().outcome == "permanent"
    scheduled.refresh_from_db()
    assert scheduled.state == "failed"


def test_it_fails_at_once_on_a_wrong_token(personas, draft, discord):
    discord_channel(personas.board, discord.hook_url("wrong-token"))
    advance(draft, "scheduled", personas)
    assert run_due() == ["failed"]
    assert Publication.objects.get(draft=draft).last_error == "Discord answered 401: Invalid Webhook Token (code 50027)"
    assert discord.posts == []


def test_it_waits_the_json_retry_after_on_429(scheduled, discord):
    discord.script = [Fault(status=429, retry_after=300.5)]
    before = timezone.now()
    assert run_due() == ["pending"]
    publication = Publication.objects.get(draft=scheduled)
    assert publication.due_at >= before + timedelta(seconds=300.5)
    assert "You are being rate limited." in publication.last_error
    assert run_due(at=publication.due_at) == ["published"]
    assert len(discord.posts) == 1


def test_it_retries_a_server_error_later(scheduled, discord):
    discord.script = [Fault(status=502, message="Bad Gateway")]
    assert run_due() == ["pending"]
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(discord.posts) == 1
    assert len(discord.requests) == 2


def test_it_never_resends_after_a_timeout_because_discord_cannot_deduplicate(scheduled, discord, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    discord.script = [Fault(delay=1.0)]
    assert run_due() == ["failed"]
    assert PublicationAttempt.objects.get().outcome == "ambiguous"
    assert run_due(at=timezone.now() + timedelta(days=2)) == []
    assert len(discord.requests) == 1
    assert len(discord.posts) == 1


def test_it_refuses_to_schedule_content_over_2000_characters(personas, draft, discord):
    discord_channel(personas.board, discord.url)
    draft.body = "y" * 2001
    draft.save()
    with pytest.raises(ValidationError) as refused:
        advance(draft, "scheduled", personas)
    assert refused.value.message_dict["channels"] == [
        "Community Discord: The text is 2001 characters; Discord takes at most 2000."
    ]


def test_it_accepts_exactly_2000_characters(personas, draft, discord):
    discord_channel(personas.board, discord.url)
    draft.body = "y" * 2000
    draft.save()
    advance(draft, "scheduled", personas)
    assert run_due() == ["published"]
    assert len(discord.posts[0]["content"]) == 2000


def test_it_reports_discords_form_error_when_the_platform_rejects_the_content(personas, draft, discord):
    discord_channel(personas.board, discord.url)
    advance(draft, "scheduled", personas)
    discord.script = [Fault(status=400, code=50035, message="Invalid Form Body")]
    assert run_due() == ["failed"]
    assert Publication.objects.get(draft=draft).last_error == "Discord answered 400: Invalid Form Body (code 50035)"


def test_it_tests_the_connection_without_posting(personas, discord):
    assert adapter_for(discord_channel(personas.board, discord.url)).test_connection() == (
        "The Discord webhook 'Cocreate' exists and accepts its token."
    )
    with pytest.raises(AdapterError) as refused:
        adapter_for(discord_channel(personas.board, discord.hook_url("nope"), name="Bad")).test_connection()
    assert refused.value.permanent
    assert refused.value.status_code == 401
    assert discord.posts == []


# --- Images -------------------------------------------------------------------------------------------------


def test_it_attaches_the_images_as_files_with_their_alt_text(personas, draft, discord):
    discord_channel(personas.board, discord.url)
    first = add_image(draft, alt_text="A pink square")
    second = add_image(draft, alt_text="A blue square", color=(0, 0, 200))
    advance(draft, "scheduled", personas)
    assert run_due() == ["published"]
    (message,) = discord.posts
    assert message["content"] == draft.body
    assert [f["data"] for f in message["files"]] == [first.data, second.data]
    assert [f["description"] for f in message["files"]] == ["A pink square", "A blue square"]
    assert [a["id"] for a in message["attachments"]] == [0, 1]
    assert all(f["content_type"] == "image/png" for f in message["files"])
    assert discord.requests[0]["query"] == {"wait": ["true"]}


def test_it_shrinks_an_image_over_the_file_limit(personas, draft, discord):
    original = add_image(draft, width=400, height=300, noisy=True).size
    discord_channel(personas.board, discord.url, max_file_bytes=original // 2)
    discord.max_file_bytes = original // 2
    advance(draft, "scheduled", personas)
    assert run_due() == ["published"]
    (file,) = discord.posts[0]["files"]
    assert len(file["data"]) <= original // 2
    assert file["content_type"] == "image/jpeg"


def test_it_refuses_to_schedule_more_than_ten_images(personas, draft, discord):
    discord_channel(personas.board, discord.url)
    for _ in range(11):
        add_image(draft)
    with pytest.raises(ValidationError) as refused:
        advance(draft, "scheduled", personas)
    assert refused.value.message_dict["channels"] == [
        "Community Discord: Discord takes at most 10 images per post; this draft has 11: remove 1.",
    ]


def test_it_refuses_a_description_longer_than_discord_keeps(personas, discord):
    """Drafts keep at most 1,000 characters of alt text today; this guards the adapter on its own."""
    from publishing.adapters.base import Post, PostImage

    channel = discord_channel(personas.board, discord.url)
    image = PostImage(name="x.png", content_type="image/png", alt_text="d" * 1025, width=1, height=1, size=1, sha256="")
    post = Post(draft_id=1, title="t", text="Hello", tags=[], idempotency_key="k", board="Community", images=(image,))
    assert adapter_for(channel).validate(post) == [
        "The alt text of image 1 is 1,025 characters; Discord allows at most 1,024."
    ]


def test_a_server_error_with_images_is_retried_without_a_message(personas, draft, discord):
    discord_channel(personas.board, discord.url)
    add_image(draft)
    advance(draft, "scheduled", personas)
    discord.script = [Fault(status=503, message="Service Unavailable")]
    assert run_due() == ["pending"]
    assert discord.posts == []
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(discord.posts) == 1
    assert len(discord.posts[0]["files"]) == 1


def test_a_wrong_token_with_images_fails_at_once(personas, draft, discord):
    discord_channel(personas.board, discord.hook_url("wrong-token"))
    add_image(draft)
    advance(draft, "scheduled", personas)
    assert run_due() == ["failed"]
    assert "Invalid Webhook Token" in Publication.objects.get(draft=draft).last_error
    assert discord.posts == []


# --- Reading a message back, and the channel's configuration -----------------------------------------------


def test_a_check_reads_the_message_back_live(scheduled, discord, personas):
    assert run_due() == ["published"]
    publication = Publication.objects.get(draft=scheduled)
    checked = services.publication_check(publication_id=publication.pk, actor=personas.manager)
    assert (checked.live, checked.check_detail) == (True, "Live on Discord.")
    # Discord's answer has no guild id: the link stored at publishing stays.
    assert checked.platform_url == f"https://discord.com/channels/{GUILD_ID}/{CHANNEL_ID}/1300000000000000001"
    read = discord.requests[-1]
    assert (read["method"], read["path"]) == (
        "GET",
        f"/api/webhooks/112233445566778899/{TOKEN}/messages/1300000000000000001",
    )


def test_a_check_finds_a_deleted_message_gone(scheduled, discord, personas):
    assert run_due() == ["published"]
    publication = Publication.objects.get(draft=scheduled)
    discord.delete_message(publication.platform_post_id)
    checked = services.publication_check(publication_id=publication.pk, actor=personas.manager)
    assert (checked.live, checked.check_detail) == (False, "Deleted from Discord.")


def test_a_check_with_a_deleted_webhook_raises_instead_of_saying_gone(scheduled, discord, personas):
    assert run_due() == ["published"]
    publication = Publication.objects.get(draft=scheduled)
    discord.deleted = True
    with pytest.raises(Conflict) as refused:
        services.publication_check(publication_id=publication.pk, actor=personas.manager)
    assert "10015" in refused.value.message
    assert Publication.objects.get(pk=publication.pk).live is None


def test_a_check_that_cannot_reach_discord_changes_nothing(scheduled, discord, personas):
    assert run_due() == ["published"]
    publication = Publication.objects.get(draft=scheduled)
    services.publication_check(publication_id=publication.pk, actor=personas.manager)
    before = Publication.objects.get(pk=publication.pk)
    discord.script = [Fault(status=503, read=True)]
    with pytest.raises(Conflict) as refused:
        services.publication_check(publication_id=publication.pk, actor=personas.manager)
    assert "503" in refused.value.message
    after = Publication.objects.get(pk=publication.pk)
    assert (after.live, after.checked_at, after.check_detail) == (before.live, before.checked_at, before.check_detail)


def test_a_channel_needs_its_webhook_url(personas):
    with pytest.raises(ValidationError) as refused:
        services.channel_create(
            board=personas.board, actor=personas.manager, kind="discord", name="Discord", settings={}, credentials={}
        )
    assert refused.value.message_dict == {"credentials": ["Discord needs these credentials: url."]}
