"""The Django admin's channel and publication pages go through the same services as pages and API."""

import pytest
from django.urls import reverse

from publishing import services
from publishing.models import Channel, Publication
from publishing.standins.webhook import Fault, WebhookStandIn
from tests.factories import advance, run_due

SECRET = "admin-test-secret"


@pytest.fixture
def receiver():
    stand_in = WebhookStandIn(secret=SECRET)
    stand_in.url = stand_in.start()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def admin_client(web_client_for):
    return web_client_for("admin")


def channel_form(board, **overrides) -> dict:
    return {
        "board": board.pk,
        "kind": "webhook",
        "name": "Site hook",
        "settings": '{"url": "https://hooks.example/in"}',
        "new_credentials": f'{{"secret": "{SECRET}"}}',
        "is_active": "on",
        **overrides,
    }


def test_adding_a_channel_in_the_admin_requires_its_kinds_credentials(personas, admin_client):
    response = admin_client.post(
        reverse("admin:publishing_channel_add"), channel_form(personas.board, new_credentials="")
    )
    assert response.status_code == 200  # the form again, with the reason
    assert "Generic webhook needs these credentials: secret." in response.content.decode()
    assert not Channel.objects.exists()

    response = admin_client.post(reverse("admin:publishing_channel_add"), channel_form(personas.board))
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert channel.credentials == {"secret": SECRET}
    assert (
        SECRET not in admin_client.get(reverse("admin:publishing_channel_change", args=[channel.pk])).content.decode()
    )


def test_editing_a_channel_in_the_admin_keeps_the_credentials_unless_new_ones_are_given(personas, admin_client):
    channel = services.channel_create(
        board=personas.board,
        actor=None,
        kind="webhook",
        name="Site hook",
        settings={"url": "https://hooks.example/in"},
        credentials={"secret": SECRET},
    )
    url = reverse("admin:publishing_channel_change", args=[channel.pk])
    form = channel_form(personas.board, name="Renamed", new_credentials="")
    response = admin_client.post(url, form)
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.name == "Renamed"
    assert channel.credentials == {"secret": SECRET}

    response = admin_client.post(url, {**form, "settings": "{}"})
    assert response.status_code == 200
    assert "Generic webhook needs these settings: url." in response.content.decode()
    channel.refresh_from_db()
    assert channel.settings == {"url": "https://hooks.example/in"}


def test_the_admin_retries_failed_publications_once_per_draft_through_the_workflow(
    personas, draft, receiver, admin_client
):
    for name in ("One", "Two"):
        services.channel_create(
            board=personas.board,
            actor=None,
            kind="webhook",
            name=name,
            settings={"url": receiver.url},
            credentials={"secret": SECRET},
        )
    advance(draft, "scheduled", personas)
    receiver.script = [Fault(status=422, body="Refused"), Fault(status=422, body="Refused")]
    assert run_due() == ["failed", "failed"]
    draft.refresh_from_db()
    assert draft.state == "failed"

    changelist = reverse("admin:publishing_publication_changelist")
    selected = list(Publication.objects.values_list("pk", flat=True))
    response = admin_client.post(changelist, {"action": "retry_selected", "_selected_action": selected}, follow=True)
    assert response.status_code == 200
    assert "Retried the failed channels of 1 draft(s)." in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == "scheduled"
    assert set(Publication.objects.values_list("state", flat=True)) == {"pending"}
    assert draft.events.filter(transition="retry", actor=personas.admin).count() == 1
