"""Content pillars: managers keep each board's list (names unique per board in any case, #rrggbb colours,
targets that add up to at most 100%), and the drafts tagged with a pillar's name join it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from drafts.models import Draft
from drafts.planning.models import Pillar
from drafts.planning.pillar_selectors import board_pillars, pillars_attach
from drafts.planning.pillar_services import (
    pillar_create,
    pillar_delete,
    pillar_move,
    pillar_reorder,
    pillar_update,
    tags_split,
)
from drafts.services import draft_create, draft_update
from tests.factories import advance, make_draft


def names(board) -> list[str]:
    return [p.name for p in board_pillars(board)]


def test_it_lets_a_manager_add_pillars_in_order(personas):
    pillar_create(board=personas.board, actor=personas.manager, name="  Product ", colour="#2F6F4E", target_percent=30)
    pillar_create(board=personas.board, actor=personas.admin, name="Community", target_percent=40)
    assert names(personas.board) == ["Product", "Community"]
    product = Pillar.objects.get(name="Product")
    assert product.colour == "#2f6f4e"
    assert product.target_percent == 30


@pytest.mark.parametrize("persona", ["reviewer", "contributor", "outsider"])
def test_it_refuses_pillar_changes_to_anyone_but_managers(personas, persona):
    with pytest.raises(PermissionDenied):
        pillar_create(board=personas.board, actor=getattr(personas, persona), name="Product")
    pillar = pillar_create(board=personas.board, actor=personas.manager, name="Product")
    with pytest.raises(PermissionDenied):
        pillar_update(board=personas.board, actor=getattr(personas, persona), pillar_id=pillar.pk, name="Other")
    with pytest.raises(PermissionDenied):
        pillar_delete(board=personas.board, actor=getattr(personas, persona), pillar_id=pillar.pk)


def test_it_refuses_a_name_the_board_has_in_any_case_with_a_message_not_an_integrity_error(personas):
    pillar_create(board=personas.board, actor=personas.manager, name="Product")
    with pytest.raises(ValidationError) as refused:
        pillar_create(board=personas.board, actor=personas.manager, name="PRODUCT")
    assert refused.value.message_dict["name"] == [
        "This board already has a pillar called “Product”. Choose another name."
    ]
    # Another board may use the name.
    pillar_create(board=personas.other_board, actor=None, name="product")


def test_it_refuses_an_empty_name_a_bad_colour_and_a_bad_target(personas):
    with pytest.raises(ValidationError) as refused:
        pillar_create(board=personas.board, actor=personas.manager, name=" ", colour="green", target_percent=101)
    errors = refused.value.message_dict
    assert errors["name"] == ["Give the pillar a name, for example Product or Community."]
    assert errors["colour"] == ["Give the colour as #rrggbb, for example #2f6f4e."]
    assert "from 0 to 100" in errors["target_percent"][0]


def test_it_says_clearly_when_the_targets_would_pass_100_percent(personas):
    pillar_create(board=personas.board, actor=personas.manager, name="Product", target_percent=30)
    community = pillar_create(board=personas.board, actor=personas.manager, name="Community", target_percent=40)
    with pytest.raises(ValidationError) as refused:
        pillar_create(board=personas.board, actor=personas.manager, name="Education", target_percent=40)
    message = refused.value.message_dict["target_percent"][0]
    assert message.startswith("The board's targets would add up to 110% (Product 30%, Community 40% and this one 40%)")
    assert "at most 30%" in message
    pillar_create(board=personas.board, actor=personas.manager, name="Education", target_percent=30)
    # Its own old target does not count against a pillar being changed.
    pillar_update(board=personas.board, actor=personas.manager, pillar_id=community.pk, target_percent=40)
    with pytest.raises(ValidationError):
        pillar_update(board=personas.board, actor=personas.manager, pillar_id=community.pk, target_percent=41)


def test_it_renames_recolours_and_deletes(personas):
    pillar = pillar_create(board=personas.board, actor=personas.manager, name="Product")
    other = pillar_create(board=personas.board, actor=personas.manager, name="Tips")
    pillar_update(board=personas.board, actor=personas.manager, pillar_id=pillar.pk, name="Products", colour="#112233")
    pillar.refresh_from_db()
    assert (pillar.name, pillar.colour) == ("Products", "#112233")
    with pytest.raises(ValidationError):
        pillar_update(board=personas.board, actor=personas.manager, pillar_id=pillar.pk, name="tips")
    pillar_delete(board=personas.board, actor=personas.manager, pillar_id=other.pk)
    assert names(personas.board) == ["Products"]


def test_it_moves_pillars_up_and_down_and_reorders(personas):
    a, b, c = (pillar_create(board=personas.board, actor=personas.manager, name=n) for n in "ABC")
    pillar_move(board=personas.board, actor=personas.manager, pillar_id=c.pk, direction="up")
    assert names(personas.board) == ["A", "C", "B"]
    pillar_move(board=personas.board, actor=personas.manager, pillar_id=a.pk, direction="up")  # already first
    assert names(personas.board) == ["A", "C", "B"]
    pillar_reorder(board=personas.board, actor=personas.manager, pillar_ids=[b.pk, a.pk, c.pk])
    assert names(personas.board) == ["B", "A", "C"]
    with pytest.raises(ValidationError):
        pillar_reorder(board=personas.board, actor=personas.manager, pillar_ids=[b.pk, a.pk])


def test_the_tag_split_is_case_insensitive_and_keeps_the_other_tags():
    assert tags_split(["Product", "how-to", "x"], {"product"}) == (["how-to", "x"], {"product"})
    assert tags_split([], {"product"}) == ([], set())
    assert tags_split(None, {"product"}) == ([], set())


def test_tagged_drafts_join_a_new_pillar_and_drafts_being_written_lose_the_tag(personas):
    writing = make_draft(personas.board, personas.contributor, title="Writing", tags=["PRODUCT", "how-to"])
    submitted = make_draft(personas.board, personas.contributor, title="Submitted", tags=["product"])
    advance(submitted, "scheduled", personas)
    untagged = make_draft(personas.board, personas.contributor, title="Other", tags=["productivity"])
    elsewhere = make_draft(personas.other_board, personas.outsider, title="Elsewhere", tags=["product"])
    version = writing.version
    with CaptureQueriesContext(connection) as ctx:
        pillar = pillar_create(board=personas.board, actor=personas.manager, name="Product")
    assert pillar.migrated_drafts == 2
    assert len(ctx.captured_queries) <= 16, "\n".join(q["sql"] for q in ctx.captured_queries)
    assert set(pillar.drafts.values_list("title", flat=True)) == {"Writing", "Submitted"}
    writing.refresh_from_db()
    submitted.refresh_from_db()
    assert writing.tags == ["how-to"]
    assert writing.version == version + 1  # an editor open on the old tags gets a conflict, not the tag back
    # A submitted draft's tags are part of what was approved (and of the publishing fingerprint): they stay.
    assert submitted.tags == ["product"]
    assert Draft.objects.get(pk=untagged.pk).pillars.count() == 0
    assert Draft.objects.get(pk=elsewhere.pk).pillars.count() == 0


def test_a_renamed_pillar_takes_in_the_drafts_tagged_with_its_new_name(personas):
    draft = make_draft(personas.board, personas.contributor, title="Story", tags=["customer-story"])
    pillar = pillar_create(board=personas.board, actor=personas.manager, name="Stories")
    assert pillar.migrated_drafts == 0
    pillar_update(board=personas.board, actor=personas.manager, pillar_id=pillar.pk, name="Customer-Story")
    draft.refresh_from_db()
    assert list(draft.pillars.all()) == [pillar]
    assert draft.tags == []


def test_a_non_ascii_pillar_name_matches_its_tag(personas):
    draft = make_draft(personas.board, personas.contributor, title="Café", tags=["Café"])
    pillar_create(board=personas.board, actor=personas.manager, name="café")
    assert draft.pillars.count() == 1


def test_the_migration_takes_few_queries_however_many_drafts_match(personas):
    Draft.objects.bulk_create(
        [Draft(board=personas.board, author=personas.contributor, title=f"D{i}", tags=["tips", "x"]) for i in range(60)]
    )
    with CaptureQueriesContext(connection) as ctx:
        pillar = pillar_create(board=personas.board, actor=personas.manager, name="Tips")
    assert pillar.drafts.count() == 60
    assert len(ctx.captured_queries) <= 16, "\n".join(q["sql"] for q in ctx.captured_queries)
    assert set(map(tuple, Draft.objects.filter(board=personas.board).values_list("tags", flat=True))) == {("x",)}


# --- A draft's pillars ------------------------------------------------------------------------------------------


def test_a_draft_is_written_with_pillars_of_its_board_only(personas):
    product = pillar_create(board=personas.board, actor=personas.manager, name="Product")
    foreign = pillar_create(board=personas.other_board, actor=None, name="Foreign")
    draft = draft_create(board=personas.board, author=personas.contributor, title="T", body="", pillars=[product.pk])
    assert list(draft.pillars.all()) == [product]
    with pytest.raises(ValidationError) as refused:
        draft_create(board=personas.board, author=personas.contributor, title="T", pillars=[foreign.pk])
    assert refused.value.message_dict["pillars"] == [
        f"Choose pillars of the board Launch; these are not among them: {foreign.pk}."
    ]


def test_changing_only_the_pillars_moves_the_version_on_but_adds_no_revision(personas):
    product = pillar_create(board=personas.board, actor=personas.manager, name="Product")
    draft = make_draft(personas.board, personas.contributor)
    revisions = draft.revisions.count()
    draft = draft_update(draft_id=draft.pk, actor=personas.contributor, version=draft.version, pillars=[product.pk])
    assert list(draft.pillars.all()) == [product]
    assert draft.version == 2
    assert draft.revisions.count() == revisions
    # The same pillars again: nothing changes.
    draft = draft_update(draft_id=draft.pk, actor=personas.contributor, version=draft.version, pillars=[product.pk])
    assert draft.version == 2
    draft = draft_update(draft_id=draft.pk, actor=personas.contributor, version=draft.version, pillars=[])
    assert draft.pillars.count() == 0


def test_pillars_are_not_part_of_the_publishing_fingerprint(personas):
    from publishing.services.pipeline import post_for_channel
    from tests.factories import make_channel

    channel = make_channel(
        personas.board, "webhook", settings={"url": "http://127.0.0.1:9/hook"}, credentials={"secret": "s" * 32}
    )
    product = pillar_create(board=personas.board, actor=personas.manager, name="Product")
    draft = make_draft(personas.board, personas.contributor)
    before = post_for_channel(draft, channel, idempotency_key="").fingerprint
    draft.pillars.add(product)
    draft.refresh_from_db()
    assert post_for_channel(draft, channel, idempotency_key="").fingerprint == before


def test_pillars_attach_reads_every_drafts_pillars_in_one_query(personas):
    a = pillar_create(board=personas.board, actor=personas.manager, name="A")
    b = pillar_create(board=personas.board, actor=personas.manager, name="B")
    drafts = [make_draft(personas.board, personas.contributor, title=f"D{i}") for i in range(4)]
    drafts[0].pillars.add(b, a)
    drafts[1].pillars.add(b)
    with CaptureQueriesContext(connection) as ctx:
        attached = pillars_attach(Draft.objects.filter(pk__in=[d.pk for d in drafts]).order_by("pk"))
    assert len(ctx.captured_queries) == 2  # the drafts, their pillars
    assert [[p.name for p in d.pillar_list] for d in attached] == [["A", "B"], ["B"], [], []]


def test_the_data_migration_applies_the_same_rule_to_pillars_made_before_it(personas):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("drafts.planning.migrations.0002_tags_to_pillars")
    pillar = Pillar.objects.create(board=personas.board, name="Product")  # made without the service's migration
    writing = make_draft(personas.board, personas.contributor, title="Writing", tags=["product", "how-to"])
    migration.tags_to_pillars(apps, None)
    writing.refresh_from_db()
    assert list(writing.pillars.all()) == [pillar]
    assert writing.tags == ["how-to"]


def test_a_name_taken_in_a_race_is_the_same_friendly_refusal(personas):
    from drafts.planning.pillar_services import _saved

    pillar_create(board=personas.board, actor=personas.manager, name="Product")
    # What a second request that passed the check a moment before the first one saved would do.
    with pytest.raises(ValidationError) as refused:
        _saved(Pillar(board=personas.board, name="PRODUCT"))
    assert refused.value.message_dict["name"] == [
        "This board already has a pillar called “Product”. Choose another name."
    ]
