"""Adapters hand refreshed tokens and sessions back and publishing.services stores them on the channel's row,
under its lock, merged with what is stored now: the adapters only talk HTTP."""

import ast
from pathlib import Path

import pytest

from publishing import adapters, services
from publishing.models import Channel, Publication
from publishing.standins.bluesky import BlueskyStandIn
from publishing.standins.x import XStandIn
from tests.factories import advance, make_channel, run_due

ADAPTERS = Path(adapters.__file__).parent


@pytest.fixture
def x_api():
    stand_in = XStandIn()
    stand_in.url = stand_in.start()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def x_channel(personas, x_api):
    credentials = {"access_token": "access-0", "refresh_token": "refresh-0", "client_id": x_api.client_id}
    return make_channel(personas.board, "x", name="X", settings={"api": x_api.url}, credentials=credentials)


def stored(channel: Channel) -> dict:
    return Channel.objects.get(pk=channel.pk).credentials


def test_a_token_refreshed_while_publishing_is_stored(personas, draft, x_api, x_channel):
    x_api.expire_access_tokens()
    advance(draft, "scheduled", personas)
    assert run_due() == ["published"]
    assert Publication.objects.get(draft=draft).state == "published"
    assert stored(x_channel) == {**stored(x_channel), "access_token": "access-1", "refresh_token": "refresh-1"}


def test_a_token_refreshed_by_a_connection_test_is_stored(personas, x_api, x_channel):
    x_api.expire_access_tokens()
    worked, said = services.channel_test(channel=x_channel, actor=personas.manager)
    assert worked, said
    assert stored(x_channel)["access_token"] == "access-1"
    assert stored(x_channel)["refresh_token"] == "refresh-1"


def test_a_bluesky_session_made_by_a_connection_test_is_stored(personas):
    pds = BlueskyStandIn()
    pds.url = pds.start()
    try:
        channel = make_channel(
            personas.board,
            "bluesky",
            name="Bluesky",
            settings={"pds": pds.url},
            credentials={"identifier": pds.identifier, "password": pds.password},
        )
        worked, said = services.channel_test(channel=channel, actor=personas.manager)
        assert worked, said
        assert stored(channel)["session"]["did"] == pds.did
        assert stored(channel)["session"]["accessJwt"]
    finally:
        pds.stop()


def test_an_adapter_made_without_the_store_writes_nothing(personas, x_api, x_channel):
    x_api.expire_access_tokens()
    adapter = adapters.adapter_for(x_channel)
    assert "@" in adapter.test_connection()
    assert adapter.channel.credentials["access_token"] == "access-1"  # it has the new token itself
    assert stored(x_channel)["access_token"] == "access-0"


def test_a_refresh_keeps_what_a_person_added_meanwhile(personas, x_channel):
    based_on = x_channel.credentials
    services.channel_update(channel=x_channel, actor=personas.manager, credentials={**based_on, "client_secret": "new"})
    merged = services.channel_credentials_refreshed(
        channel_id=x_channel.pk, based_on=based_on, changes={"access_token": "access-1", "refresh_token": "refresh-1"}
    )
    assert merged == stored(x_channel)
    assert stored(x_channel)["client_secret"] == "new"
    assert stored(x_channel)["access_token"] == "access-1"


def test_a_refresh_another_worker_stored_first_is_kept(x_channel):
    based_on = x_channel.credentials
    services.channel_credentials_refreshed(
        channel_id=x_channel.pk, based_on=based_on, changes={"access_token": "first", "refresh_token": "first-r"}
    )
    services.channel_credentials_refreshed(
        channel_id=x_channel.pk, based_on=based_on, changes={"access_token": "second", "refresh_token": "second-r"}
    )
    assert stored(x_channel)["access_token"] == "first"
    assert stored(x_channel)["refresh_token"] == "first-r"


def test_a_refresh_for_a_channel_moved_meanwhile_is_dropped(personas, x_channel):
    based_on = x_channel.credentials
    moved = {"access_token": "elsewhere", "refresh_token": "elsewhere-r", "client_id": "other-app"}
    services.channel_update(
        channel=x_channel, actor=personas.manager, settings={"api": "https://x.example"}, credentials=moved
    )
    services.channel_credentials_refreshed(
        channel_id=x_channel.pk, based_on=based_on, changes={"access_token": "access-1", "refresh_token": "refresh-1"}
    )
    assert stored(x_channel) == moved


def test_a_bluesky_session_never_lands_on_another_account(personas):
    channel = make_channel(
        personas.board,
        "bluesky",
        name="Bluesky",
        settings={"pds": "https://pds.example"},
        credentials={"identifier": "old.example", "password": "pw-old"},
    )
    based_on = channel.credentials
    new_account = {"identifier": "new.example", "password": "pw-new"}
    services.channel_update(channel=channel, actor=personas.manager, credentials=new_account)
    services.channel_credentials_refreshed(
        channel_id=channel.pk, based_on=based_on, changes={"session": {"accessJwt": "old-account"}}
    )
    assert stored(channel) == new_account


def test_a_channel_edit_from_a_stale_copy_keeps_a_refreshed_token(personas, x_api, x_channel):
    stale = Channel.objects.get(pk=x_channel.pk)
    x_api.expire_access_tokens()
    services.adapter_for(Channel.objects.get(pk=x_channel.pk)).test_connection()  # a worker refreshes
    services.channel_update(channel=stale, actor=personas.manager, name="X, renamed")
    assert stored(x_channel)["access_token"] == "access-1"
    assert stored(x_channel)["refresh_token"] == "refresh-1"  # the spent refresh-0 did not come back


def adapter_sources() -> dict[str, ast.Module]:
    return {path.name: ast.parse(path.read_text()) for path in sorted(ADAPTERS.glob("*.py"))}


def test_no_adapter_module_imports_models_or_the_database():
    found = []
    for name, tree in adapter_sources().items():
        for node in ast.walk(tree):
            modules = []
            if isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            found += [f"{name}: {module}" for module in modules if module.endswith("models") or "django.db" in module]
    assert len(adapter_sources()) > 10
    assert found == []


def test_no_adapter_module_saves_or_reloads_a_row():
    calls = []
    for name, tree in adapter_sources().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                target = ast.unparse(node.func.value)
                if node.func.attr == "refresh_from_db" or (node.func.attr == "save" and "channel" in target):
                    calls.append(f"{name}: {ast.unparse(node)}")
    assert calls == []
