"""DraftSerializer writes its fields out by hand (for speed): it must give exactly what DRF's generic
serializer walk gives, for the list (rows from drafts.selectors.draft_list_rows) and the detail."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from drafts.models import Draft
from drafts.selectors import draft_list_for_user, draft_list_rows
from drafts.serializers import DraftDetailSerializer, DraftSerializer
from tests.factories import make_draft
from tests.test_query_counts import add_images


def generic(serializer_class, draft, request) -> dict:
    """What DRF's ModelSerializer.to_representation makes of the draft with the same fields."""
    serializer = serializer_class(context={"request": request})
    return serializers.ModelSerializer.to_representation(serializer, draft)


@pytest.fixture
def request_for(personas):
    def make(user):
        request = APIRequestFactory().get("/api/drafts/")
        request.user = user
        return request

    return make


@pytest.fixture
def varied_drafts(personas) -> list[Draft]:
    plain = make_draft(personas.board, personas.contributor, title="Plain", body="")
    rich = make_draft(personas.board, personas.contributor, title="Rich ✓", body="**Bold** body", tags=["launch", "x"])
    Draft.objects.filter(pk=rich.pk).update(
        variants={"kind:bluesky": "Short", "channel:1": ""},
        changes_requested=True,
        publish_at=timezone.now() + timedelta(days=1),
    )
    rich.coauthors.add(personas.reviewer, personas.manager)
    add_images([rich], per_draft=2)
    return [plain, rich]


def test_the_list_rows_serialize_as_the_generic_walk_would(personas, varied_drafts, request_for):
    request = request_for(personas.reviewer)
    rows = draft_list_rows(draft_list_for_user(personas.reviewer, images=True)[:50], images=True)
    assert {row.pk for row in rows} == {draft.pk for draft in varied_drafts}
    for row in rows:
        fast = DraftSerializer(row, context={"request": request}).data
        reference = generic(DraftSerializer, Draft.objects.get(pk=row.pk), request)
        assert fast == reference
        assert list(fast) == list(reference)  # same keys in the same order
    rich = next(row for row in rows if row.title == "Rich ✓")
    fast = DraftSerializer(rich, context={"request": request}).data
    assert len(fast["images"]) == 2
    assert sorted(fast["coauthors"]) == sorted([personas.reviewer.pk, personas.manager.pk])
    assert fast["publish_at"] is not None
    assert fast["state_label"] == "Changes requested"


def test_the_detail_serializes_as_the_generic_walk_would(personas, varied_drafts, request_for):
    request = request_for(personas.reviewer)
    for draft in varied_drafts:
        loaded = Draft.objects.select_related("author").get(pk=draft.pk)
        fast = DraftDetailSerializer(loaded, context={"request": request}).data
        reference = generic(DraftDetailSerializer, Draft.objects.get(pk=draft.pk), request)
        assert fast == reference
        assert list(fast) == list(reference)
        assert "available_transitions" in fast
