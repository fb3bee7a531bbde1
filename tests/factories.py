"""Test data built through the real services, so tests see what production would have written."""

import factory
from django.utils import timezone

from contributors.models import Board, User
from contributors.services import board_role_grant
from drafts.services import draft_create, draft_transition
from publishing.models import Channel
from publishing.services import channel_create

PASSWORD = "test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    name = factory.Sequence(lambda n: f"Board {n}")
    slug = factory.Sequence(lambda n: f"board-{n}")
    time_zone = "Europe/Copenhagen"


def member(board: Board, role: str, **user_fields) -> User:
    user = UserFactory(**user_fields)
    board_role_grant(board=board, user=user, role=role)
    return user


def make_draft(board: Board, author: User, **fields):
    fields.setdefault("title", "A draft")
    fields.setdefault("body", "Some **markdown** body.")
    return draft_create(board=board, author=author, **fields)


def make_channel(
    board: Board,
    kind: str,
    *,
    settings: dict,
    credentials: dict,
    name: str = "",
    is_active: bool = True,
) -> Channel:
    """A channel made the way a manager makes one: through channel_create, so it passes the same validation
    (a test that needs a channel the service would refuse builds it by hand and says why)."""
    return channel_create(
        board=board,
        actor=None,
        kind=kind,
        name=name or kind.title(),
        settings=settings,
        credentials=credentials,
        is_active=is_active,
    )


# How to reach each state from `draft`, as (transition, persona) steps. Personas are keys of Personas.
PATH_TO_STATE = {
    "draft": [],
    "review": [("submit", "contributor")],
    "approved": [("submit", "contributor"), ("approve", "reviewer")],
    "scheduled": [("submit", "contributor"), ("approve", "reviewer"), ("schedule", "manager")],
    "published": [
        ("submit", "contributor"),
        ("approve", "reviewer"),
        ("schedule", "manager"),
        ("mark_published", None),
    ],
    "failed": [("submit", "contributor"), ("approve", "reviewer"), ("schedule", "manager"), ("mark_failed", None)],
    "archived": [("archive", "contributor")],
}


def future(minutes: int = 60):
    return timezone.now() + timezone.timedelta(minutes=minutes)


def advance(draft, state: str, personas) -> None:
    """Walk a draft to `state` through the real workflow."""
    for name, persona in PATH_TO_STATE[state]:
        actor = getattr(personas, persona) if persona else None
        kwargs = {"publish_at": future()} if name == "schedule" else {}
        draft_transition(draft_id=draft.pk, name=name, actor=actor, **kwargs)
    draft.refresh_from_db()


def make_image_bytes(width: int = 64, height: int = 48, image_format: str = "PNG", color=(200, 40, 90)) -> bytes:
    """A real image, encoded by Pillow."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format=image_format)
    return out.getvalue()


def attach_image(
    draft, *, alt_text: str = "A pink square", width: int = 64, height: int = 48, data: bytes | None = None
):
    """A stored DraftImage row for adapter tests (uploads themselves go through drafts.images)."""
    import hashlib

    from django.core.files.base import ContentFile

    from drafts.models import DraftImage

    # SQLite would store a longer text; PostgreSQL refuses it, so catch it here on both.
    assert len(alt_text) <= DraftImage._meta.get_field("alt_text").max_length, "drafts keep at most 1,000 characters"
    data = data if data is not None else make_image_bytes(width, height)
    image = DraftImage(
        draft=draft,
        alt_text=alt_text,
        position=draft.images.count(),
        content_type="image/png",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    # A named ContentFile: ImageField reads the width and height from it only when it has a name.
    image.file.save("upload.png", ContentFile(data, name="upload.png"), save=False)
    image.save()
    return image


def run_due(at=None) -> list[str]:
    """What beat and a worker do: claim what is due (by default, all of the next day), then publish each
    claimed publication. Returns each publication's new state."""
    from datetime import timedelta

    from django.utils import timezone

    from publishing import services

    at = at or timezone.now() + timedelta(days=1)
    return [services.publication_publish(publication_id=pk) for pk in services.publications_claim_due(now=at)]
