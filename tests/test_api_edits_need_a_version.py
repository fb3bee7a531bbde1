"""A guideline or brief edit through the API must say which version it started from, as a draft edit does:
without one it is a 400 naming the field, and nothing is written (no silent overwrite of someone's change)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contributors.briefs.models import Brief
from contributors.briefs.services import brief_create
from contributors.guidelines.models import Guideline


@pytest.fixture
def brief(personas):
    return brief_create(
        board=personas.board,
        actor=personas.manager,
        topic="Customer stories",
        description="Tell us yours.",
        channels=["linkedin"],
        deadline=timezone.now() + timedelta(days=7),
        max_claims=3,
    )


@pytest.mark.parametrize("method", ["patch", "put"])
def test_a_brief_edit_without_its_version_is_refused_and_changes_nothing(api_client_for, brief, method):
    response = getattr(api_client_for("manager"), method)(
        f"/api/briefs/{brief.pk}/", {"topic": "Overwritten"}, format="json"
    )
    assert response.status_code == 400
    assert "version" in response.json()
    assert Brief.objects.get(pk=brief.pk).topic == "Customer stories"


def test_a_brief_edit_with_its_version_is_saved(api_client_for, brief):
    response = api_client_for("manager").patch(
        f"/api/briefs/{brief.pk}/", {"topic": "Revised", "version": brief.version}, format="json"
    )
    assert response.status_code == 200
    assert Brief.objects.get(pk=brief.pk).topic == "Revised"


def test_a_guideline_edit_without_its_version_is_refused_and_changes_nothing(api_client_for, personas):
    response = api_client_for("manager").patch(
        f"/api/guidelines/{personas.board.pk}/", {"tone": "Overwritten"}, format="json"
    )
    assert response.status_code == 400
    assert "version" in response.json()
    assert not Guideline.objects.filter(board=personas.board, tone="Overwritten").exists()


def test_the_schema_says_the_version_is_required(api_client_for, personas):
    schema = api_client_for("contributor").get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    assert components["BriefUpdateRequest"]["required"] == ["version"]  # PUT; PATCH bodies list none, as for drafts
    assert "version" in components["PatchedGuidelineUpdateRequest"]["properties"]
