"""Pinterest through the publishing pipeline, against a stand-in API v5 that follows the documented contract."""

import base64
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from publishing import services
from publishing.adapters import REGISTRY, AdapterError, Post, adapter_for
from publishing.adapters import pinterest as pinterest_adapter
from publishing.adapters.base import PostImage
from publishing.adapters.pinterest import marker_for
from publishing.forms import KindChoice
from publishing.models import Channel, ChannelKind, Publication, PublicationAttempt, PublicationState
from publishing.standins.pinterest import Fault, PinterestStandIn
from tests.adapter_image_helpers import add_image, noisy_png
from tests.factories import advance, make_channel, make_image_bytes, run_due

BOARD = "1122334455"
LINK = "https://example.com/spring"


@pytest.fixture
def api():
    stand_in = PinterestStandIn()
    stand_in.url = stand_in.start()
    yield stand_in
    stand_in.stop()


def pinterest(board, api, name="Pinterest", token=None, **settings) -> Channel:
    settings = {"url": api.url, "board_id": BOARD, "link": LINK, **settings}
    return make_channel(board, "pinterest", name=name, settings=settings, credentials={"token": token or api.token})


@pytest.fixture
def channel(personas, api):
    return pinterest(personas.board, api)


@pytest.fixture
def image(draft):
    return add_image(draft, alt_text="A pink square on a white table", data=make_image_bytes(64, 48))


def schedule(draft, personas, text="Spring is here: our planner in five colours."):
    draft.body = text
    draft.save()
    advance(draft, "scheduled", personas)
    return Publication.objects.get(draft=draft)


def later() -> timezone.datetime:
    return timezone.now() + timedelta(days=2)


def test_it_pins_the_drafts_first_image_with_title_description_link_and_alt_text(personas, draft, api, channel, image):
    publication = schedule(draft, personas)
    assert run_due() == ["published"]
    (pin,) = api.pins
    assert pin["board_id"] == BOARD
    assert pin["title"] == draft.title
    assert pin["description"] == "Spring is here: our planner in five colours."
    assert pin["link"] == LINK
    assert pin["alt_text"] == "A pink square on a white table"
    assert pin["image"] == image.data
    assert pin["content_type"] == "image/png"
    assert pin["note"] == marker_for(str(publication.idempotency_key))
    publication.refresh_from_db()
    assert publication.platform_post_id == pin["id"]
    assert publication.platform_url == f"https://www.pinterest.com/pin/{pin['id']}/"
    assert api.requests == [("POST", "/v5/pins")]  # a first attempt sends without looking up
    draft.refresh_from_db()
    assert draft.state == "published"


def test_it_sends_only_the_first_image(personas, draft, api, channel, image):
    add_image(draft, alt_text="Second", data=make_image_bytes(80, 60, color=(10, 120, 30)))
    schedule(draft, personas)
    assert run_due() == ["published"]
    assert [pin["image"] for pin in api.pins] == [image.data]


def test_it_leaves_the_link_out_when_the_channel_has_none(personas, draft, api, image):
    pinterest(personas.board, api, link="")
    schedule(draft, personas)
    assert run_due() == ["published"]
    assert api.pins[0]["link"] is None


def test_it_refuses_to_schedule_a_draft_without_an_image(personas, draft, api, channel):
    with pytest.raises(ValidationError) as refused:
        schedule(draft, personas)
    assert refused.value.message_dict["channels"] == ["Pinterest: Pinterest pins need an image: add one to the draft."]
    assert not Publication.objects.filter(draft=draft).exists()


def test_it_refuses_to_schedule_a_description_over_800_characters(personas, draft, api, channel, image):
    with pytest.raises(ValidationError) as refused:
        schedule(draft, personas, text="x" * 801)
    assert refused.value.message_dict["channels"] == [
        "Pinterest: Pinterest pin descriptions are at most 800 characters; this one has 801."
    ]


def test_it_checks_the_title_alt_text_link_board_and_token(personas, api):
    channel = Channel(board=personas.board, kind="pinterest", name="Bare", settings={"link": "ftp://x"})
    long_alt = PostImage("x.png", "image/png", "a" * 501, 10, 10, 100, "")
    post = Post(draft_id=1, title="t" * 101, text="Hi", tags=[], idempotency_key="", board="L", images=(long_alt,))
    assert adapter_for(channel).validate(post) == [
        "The Pinterest channel has no board id.",
        "The Pinterest channel has no access token.",
        "The Pinterest channel's link must be an http(s) URL of at most 2048 characters.",
        "Pinterest pin titles are at most 100 characters; this one has 101.",
        "The alt text of the pin's image is 501 characters; Pinterest allows at most 500.",
    ]
    fine = PostImage("x.png", "image/png", "a" * 500, 10, 10, 100, "")
    ok = Post(draft_id=1, title="t" * 100, text="x" * 800, tags=[], idempotency_key="", board="L", images=(fine,))
    assert adapter_for(pinterest(personas.board, api, link="https://example.com/" + "a" * 2028)).validate(ok) == []


def test_it_fails_at_once_on_a_bad_token(personas, draft, api, image):
    pinterest(personas.board, api, token="wrong")
    publication = schedule(draft, personas)
    assert run_due() == ["failed"]
    publication.refresh_from_db()
    assert "401" in publication.last_error
    assert "Authentication failed." in publication.last_error
    assert api.pins == []
    draft.refresh_from_db()
    assert draft.state == "failed"


def test_it_fails_at_once_on_an_unknown_board(personas, draft, api, image):
    pinterest(personas.board, api, board_id="999")
    publication = schedule(draft, personas)
    assert run_due() == ["failed"]
    publication.refresh_from_db()
    assert "404" in publication.last_error
    assert "Board not found." in publication.last_error
    assert PublicationAttempt.objects.get().outcome == "permanent"


def test_it_fails_at_once_on_a_validation_error(personas, draft, api, channel, image):
    publication = schedule(draft, personas)
    api.script = [Fault(status=400, message="Invalid parameters.")]
    assert run_due() == ["failed"]
    publication.refresh_from_db()
    assert "400" in publication.last_error
    assert "Invalid parameters." in publication.last_error


def test_it_waits_for_the_rate_limit_reset_on_429(personas, draft, api, channel, image):
    publication = schedule(draft, personas)
    api.script = [Fault(status=429, reset_in=900)]
    before = timezone.now()
    assert run_due() == ["pending"]
    publication.refresh_from_db()
    assert publication.due_at >= before + timedelta(seconds=890)
    assert PublicationAttempt.objects.get().outcome == "transient"
    assert run_due(at=publication.due_at) == ["published"]
    assert len(api.pins) == 1


def test_it_prefers_retry_after_on_429(personas, draft, api, channel, image):
    publication = schedule(draft, personas)
    api.script = [Fault(status=429, reset_in=10, retry_after=1200)]
    before = timezone.now()
    assert run_due() == ["pending"]
    publication.refresh_from_db()
    assert publication.due_at >= before + timedelta(seconds=1190)


def test_it_retries_a_server_error_and_looks_up_before_sending_again(personas, draft, api, channel, image):
    publication = schedule(draft, personas)
    api.script = [Fault(status=503)]
    assert run_due() == ["pending"]
    assert api.pins == []
    assert run_due(at=later()) == ["published"]
    assert len(api.pins) == 1
    assert ("GET", f"/v5/boards/{BOARD}/pins") in api.requests
    publication.refresh_from_db()
    assert list(publication.log.values_list("outcome", flat=True)) == ["transient", "published"]


def test_it_finds_the_pin_a_timed_out_attempt_made_instead_of_pinning_twice(
    personas, draft, api, channel, image, settings
):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    publication = schedule(draft, personas)
    api.pins.append({"id": "1", "board_id": BOARD, "note": "someone else's pin", "image": b"", "content_type": ""})
    api.script = [Fault(delay=1.0)]  # pinned, but the answer comes too late
    assert run_due() == ["pending"]
    assert PublicationAttempt.objects.get().outcome == "ambiguous"
    assert run_due(at=later()) == ["published"]
    assert len(api.pins) == 2
    assert api.requests.count(("POST", "/v5/pins")) == 1
    publication.refresh_from_db()
    assert publication.platform_post_id == api.pins[1]["id"]
    assert publication.platform_url == f"https://www.pinterest.com/pin/{api.pins[1]['id']}/"


def test_it_pins_after_a_timeout_when_nothing_was_pinned(personas, draft, api, channel, image, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    schedule(draft, personas)
    api.script = [Fault(status=503, delay=1.0)]  # nothing pinned, and no answer in time
    assert run_due() == ["pending"]
    assert run_due(at=later()) == ["published"]
    assert len(api.pins) == 1


def test_it_pages_through_the_board_to_find_the_earlier_pin(personas, draft, api, channel, image, monkeypatch):
    monkeypatch.setattr(pinterest_adapter, "LOOKUP_PAGE_SIZE", 2)
    publication = schedule(draft, personas)
    api.script = [Fault(status=502)]
    # As if the first attempt's pin was made although its answer was an error, and five pins came after it.
    api.pins.append(_pin("mine", marker_for(str(publication.idempotency_key))))
    api.pins.extend(_pin(str(number), f"other {number}") for number in range(5))
    assert run_due() == ["pending"]
    assert run_due(at=later()) == ["published"]
    assert api.requests.count(("GET", f"/v5/boards/{BOARD}/pins")) == 3
    assert api.requests.count(("POST", "/v5/pins")) == 1
    publication.refresh_from_db()
    assert publication.platform_post_id == "mine"


def test_it_fails_for_a_person_to_check_when_the_board_is_too_big_to_search(
    personas, draft, api, channel, image, monkeypatch
):
    monkeypatch.setattr(pinterest_adapter, "LOOKUP_PAGE_SIZE", 2)
    monkeypatch.setattr(pinterest_adapter, "LOOKUP_PAGES", 2)
    publication = schedule(draft, personas)
    api.script = [Fault(status=503)]
    api.pins.extend(_pin(str(number), f"other {number}") for number in range(5))
    assert run_due() == ["pending"]
    assert run_due(at=later()) == ["failed"]
    publication.refresh_from_db()
    assert "check the board on Pinterest" in publication.last_error
    assert api.requests.count(("POST", "/v5/pins")) == 1  # only the first attempt, never a blind resend


def test_a_publication_lost_while_sending_goes_again_because_the_lookup_protects_it(
    personas, draft, api, channel, image, settings
):
    publication = schedule(draft, personas)
    Publication.objects.filter(pk=publication.pk).update(
        state=PublicationState.SENDING, attempts=1, updated_at=timezone.now() - timedelta(hours=1)
    )
    assert services.publications_recover_stale() == 1
    publication.refresh_from_db()
    assert publication.state == PublicationState.PENDING


def test_it_re_encodes_an_image_over_its_size_limit(personas, draft, api, channel, monkeypatch):
    monkeypatch.setattr(pinterest_adapter, "MAX_IMAGE_BYTES", 40_000)
    noise = noisy_png(300, 200)
    add_image(draft, alt_text="Noise", data=noise)
    schedule(draft, personas)
    assert run_due() == ["published"]
    (pin,) = api.pins
    assert pin["content_type"] == "image/jpeg"
    assert len(pin["image"]) <= 40_000 < len(noise)


def test_it_sends_the_image_as_base64(personas, api, channel, draft, image):
    post = services.post_for_channel(draft, channel, idempotency_key="not-a-publication")
    result = adapter_for(channel).publish(post)
    assert result.post_id == api.pins[0]["id"]
    assert base64.b64encode(api.pins[0]["image"]) == base64.b64encode(image.data)


def test_it_tests_the_connection(personas, api, channel):
    assert (
        adapter_for(channel).test_connection()
        == "Pinterest accepted the token of brand and can see the board 'Spring ideas'."
    )
    with pytest.raises(AdapterError) as refused:
        adapter_for(pinterest(personas.board, api, name="Bad", token="wrong")).test_connection()
    assert refused.value.permanent
    assert refused.value.status_code == 401
    with pytest.raises(AdapterError) as missing:
        adapter_for(pinterest(personas.board, api, name="Elsewhere", board_id="999")).test_connection()
    assert missing.value.status_code == 404
    assert api.pins == []


def test_pinterest_is_a_channel_kind_with_an_adapter():
    assert REGISTRY["pinterest"] is pinterest_adapter.PinterestAdapter
    assert ("pinterest", "Pinterest") in ChannelKind.choices
    assert ("pinterest", "Pinterest") in KindChoice.base_fields["kind"].choices


def _pin(pin_id: str, note: str) -> dict:
    return {"id": pin_id, "board_id": BOARD, "note": note, "image": b"", "content_type": "image/png"}


# --- Channel configuration and reading a post back -------------------------------------------------------


def test_a_channel_without_a_board_and_token_is_refused(personas):
    with pytest.raises(ValidationError) as refused:
        services.channel_create(
            board=personas.board, actor=personas.manager, kind="pinterest", name="x", settings={}, credentials={}
        )
    assert refused.value.message_dict == {
        "settings": ["Pinterest needs these settings: board_id."],
        "credentials": ["Pinterest needs these credentials: token."],
    }


@pytest.fixture
def published(personas, draft, api, channel, image) -> Publication:
    publication = schedule(draft, personas)
    assert run_due() == ["published"]
    publication.refresh_from_db()
    return publication


def test_checking_a_published_pin_reads_it_back(personas, published, api):
    Publication.objects.filter(pk=published.pk).update(platform_url="")
    checked = services.publication_check(publication_id=published.pk, actor=personas.manager)
    assert checked.live is True
    assert checked.platform_url == f"https://www.pinterest.com/pin/{published.platform_post_id}/"
    assert checked.check_detail == "Live on Pinterest."
    assert api.requests[-1] == ("GET", f"/v5/pins/{published.platform_post_id}")


def test_checking_a_deleted_pin_marks_it_gone(personas, published, api):
    api.delete(published.platform_post_id)
    checked = services.publication_check(publication_id=published.pk, actor=personas.manager)
    assert checked.live is False
    assert checked.check_detail == "Deleted on Pinterest."


def test_a_server_error_while_checking_is_a_conflict_and_changes_nothing(personas, published, api):
    from cocreate.errors import Conflict

    api.script = [Fault(status=503, method="GET", path=f"/v5/pins/{published.platform_post_id}")]
    with pytest.raises(Conflict) as refused:
        services.publication_check(publication_id=published.pk, actor=personas.manager)
    assert "503" in str(refused.value)
    stored = Publication.objects.get(pk=published.pk)
    assert (stored.checked_at, stored.live, stored.check_detail) == (None, None, "")


def test_a_refused_token_while_checking_is_a_conflict(personas, published, api):
    from cocreate.errors import Conflict

    api.token = "rotated"
    with pytest.raises(Conflict) as refused:
        services.publication_check(publication_id=published.pk, actor=personas.manager)
    assert "401" in str(refused.value)
