import os
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import transaction
from rest_framework.test import APIClient

from contributors.models import Board, User
from tests.factories import BoardFactory, UserFactory, make_draft, member

# Fixtures that start real Celery worker and beat processes (integration tests).
pytest_plugins = ["tests.celery_processes", "tests.browser.fixtures"]


@pytest.fixture(autouse=True)
def _media_root_per_test(settings, tmp_path_factory):
    """Uploaded files of one test never land in the developer's media folder or meet another test's."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@dataclass
class Personas:
    """One board with a user of each role, plus a contributor of another board (the outsider)."""

    board: Board
    other_board: Board
    admin: User
    manager: User
    reviewer: User
    contributor: User
    outsider: User


PERSONA_NAMES = ["anonymous", "outsider", "contributor", "reviewer", "manager", "admin"]


def make_personas() -> Personas:
    board = BoardFactory(name="Launch", slug="launch")
    other_board = BoardFactory(name="Elsewhere", slug="elsewhere")
    return Personas(
        board=board,
        other_board=other_board,
        admin=UserFactory(username="admin", is_staff=True, is_superuser=True),
        manager=member(board, "manager", username="manager"),
        reviewer=member(board, "reviewer", username="reviewer"),
        contributor=member(board, "contributor", username="contributor"),
        outsider=member(other_board, "contributor", username="outsider"),
    )


def reloaded(personas: Personas) -> Personas:
    """Fresh instances of the same rows: nothing a test cached on them (permissions, state) reaches the next."""
    return Personas(**{name: type(obj).objects.get(pk=obj.pk) for name, obj in vars(personas).items()})


@pytest.fixture
def personas(db) -> Personas:
    return make_personas()


@pytest.fixture(scope="module")
def module_personas(django_db_setup, django_db_blocker):
    """The personas once for a whole module, for modules of many small tests: granting five users their board
    permissions costs more than most such tests. They live in a transaction rolled back after the module; each
    test runs in a savepoint inside it (pytest-django's `db`), as with Django's TestCase.setUpTestData.
    A module opts in by defining a `personas` fixture that returns `shared_personas`."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        built = make_personas()
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def shared_personas(db, module_personas) -> Personas:
    # Rate-limit counters are kept in the cache by user and board: the rollback does not reset them, and these
    # users and boards stay the same from test to test.
    cache.clear()
    return reloaded(module_personas)


@pytest.fixture
def draft(personas):
    """A draft written by the board's contributor, in state `draft`."""
    return make_draft(personas.board, personas.contributor, title="Spring launch post")


def persona_user(personas: Personas, name: str) -> User | None:
    return None if name == "anonymous" else getattr(personas, name)


@pytest.fixture
def api_client_for(personas):
    def _client(name: str) -> APIClient:
        client = APIClient()
        user = persona_user(personas, name)
        if user is not None:
            client.force_authenticate(user)
        return client

    return _client


@pytest.fixture
def web_client_for(personas, client):
    def _client(name: str):
        user = persona_user(personas, name)
        if user is not None:
            client.force_login(user)
        return client

    return _client


def services_available() -> bool:
    return bool(os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL"))


def require_services(reason: str):
    """Skip without PostgreSQL + Redis, unless REQUIRE_SERVICES=1 turns the skip into a failure."""
    if services_available():
        return
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}: set DATABASE_URL (postgres) and REDIS_URL.")
    pytest.skip(f"{reason}: set DATABASE_URL (postgres) and REDIS_URL to run it.")
