"""The test factories build data through the real services, so a test cannot set up what production refuses."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_channel


def test_a_channel_is_made_through_channel_create_with_its_validation(personas):
    with pytest.raises(ValidationError) as refused:
        make_channel(personas.board, "webhook", name="No URL", settings={}, credentials={"secret": "s"})
    assert "url" in " ".join(refused.value.message_dict["settings"])  # the service's check, whatever its words


def test_a_valid_channel_is_stored_named_after_its_kind(personas):
    channel = make_channel(
        personas.board, "webhook", settings={"url": "http://127.0.0.1:9/"}, credentials={"secret": "s"}
    )
    stored = type(channel).objects.get(pk=channel.pk)
    assert stored.name == "Webhook"
    assert stored.credentials == {"secret": "s"}
