"""Guideline and brief edits carry the version they started from: a stale one is refused with 409, like drafts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cocreate.errors import Conflict
from contributors.briefs.models import Brief
from contributors.briefs.services import brief_close, brief_create, brief_update
from contributors.guidelines.models import Guideline, GuidelineRule, GuidelineVersion
from contributors.guidelines.services import (
    guideline_rule_create,
    guideline_rule_delete,
    guideline_rule_update,
    guideline_update,
)


def banned(personas, phrase="synergy"):
    return guideline_rule_create(
        board=personas.board, actor=personas.manager, kind="banned_phrase", severity="error", params={"phrase": phrase}
    )


def a_brief(personas) -> Brief:
    return brief_create(
        board=personas.board,
        actor=personas.manager,
        topic="Launch chapter",
        description="One feature.",
        deadline=timezone.now() + timedelta(days=7),
        max_claims=2,
    )


# --- Guidelines -------------------------------------------------------------------------------------------


def test_the_guideline_service_refuses_a_stale_version_and_writes_nothing(personas):
    guideline_update(board=personas.board, actor=personas.manager, tone="Warm.", version=0)
    guideline_update(board=personas.board, actor=personas.manager, tone="Warmer.", version=1)
    with pytest.raises(Conflict, match="you had version 1, they are now at version 2"):
        guideline_update(board=personas.board, actor=personas.manager, tone="Cold.", version=1)
    guideline = Guideline.objects.get(board=personas.board)
    assert (guideline.tone, guideline.version, GuidelineVersion.objects.count()) == ("Warmer.", 2, 2)


def test_rule_changes_refuse_a_stale_version(personas):
    rule = banned(personas)  # version 1
    guideline_update(board=personas.board, actor=personas.manager, tone="Warm.")  # version 2
    with pytest.raises(Conflict):
        guideline_rule_create(
            board=personas.board,
            actor=personas.manager,
            kind="banned_phrase",
            severity="error",
            params={"phrase": "leverage"},
            version=1,
        )
    with pytest.raises(Conflict):
        guideline_rule_update(
            board=personas.board, actor=personas.manager, rule_id=rule.pk, severity="warning", version=1
        )
    with pytest.raises(Conflict):
        guideline_rule_delete(board=personas.board, actor=personas.manager, rule_id=rule.pk, version=1)
    assert list(GuidelineRule.objects.values_list("severity", flat=True)) == ["error"]
    guideline_rule_delete(board=personas.board, actor=personas.manager, rule_id=rule.pk, version=2)
    assert not GuidelineRule.objects.exists()


def test_the_api_answers_409_for_a_stale_guideline_version(personas, api_client_for):
    client = api_client_for("manager")
    url = f"/api/guidelines/{personas.board.pk}/"
    assert client.patch(url, {"tone": "Warm.", "version": 0}, format="json").status_code == 200
    response = client.patch(url, {"tone": "Cold.", "version": 0}, format="json")
    assert response.status_code == 409
    assert "changed since you opened them" in response.json()["detail"]
    assert client.get(url).json()["tone"] == "Warm."
    rule = banned(personas)  # version 2
    rule_url = f"{url}rules/{rule.pk}/"
    assert client.patch(rule_url, {"severity": "warning", "version": 1}, format="json").status_code == 409
    new_rule = {"kind": "banned_phrase", "severity": "error", "params": {"phrase": "x"}, "version": 1}
    assert client.post(f"{url}rules/", new_rule, format="json").status_code == 409
    assert client.delete(f"{rule_url}?version=1").status_code == 409
    assert client.delete(f"{rule_url}?version=two").status_code == 400
    assert client.delete(f"{rule_url}?version=2").status_code == 204


def test_the_edit_page_carries_the_version_and_refuses_a_stale_one(personas, web_client_for):
    client = web_client_for("manager")
    url = reverse("guidelines-edit", args=[personas.board.slug])
    assert 'name="version" value="0"' in client.get(url).content.decode()
    assert client.post(url, {"brand": "", "tone": "Warm.", "version": "0"}).status_code == 302
    response = client.post(url, {"brand": "", "tone": "Cold.", "version": "0"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "The guidelines changed since you opened them" in page
    assert "Cold." in page  # what the manager typed is kept
    assert Guideline.objects.get(board=personas.board).tone == "Warm."


def test_the_rule_forms_carry_the_version_and_refuse_a_stale_one(personas, web_client_for):
    rule = banned(personas)
    guideline_update(board=personas.board, actor=personas.manager, tone="Warm.")  # version 2
    client = web_client_for("manager")
    page = client.get(reverse("guidelines", args=[personas.board.slug])).content.decode()
    assert page.count('name="version" value="2"') == 6  # each rule kind's add form, and the rule's Remove
    delete_url = reverse("guidelines-rule-delete", args=[personas.board.slug, rule.pk])
    assert 'name="version" value="2"' in client.get(delete_url).content.decode()  # the confirmation page
    response = client.post(delete_url, {"version": "1"})
    assert response.status_code == 409
    assert "changed since you opened them" in response.content.decode()
    create_url = reverse("guidelines-rule-create", args=[personas.board.slug])
    stale = {"kind": "banned_phrase", "severity": "error", "phrase": "x", "version": "1"}
    assert client.post(create_url, stale).status_code == 409
    assert GuidelineRule.objects.count() == 1
    assert client.post(delete_url, {"version": "2"}).status_code == 302


# --- Briefs -----------------------------------------------------------------------------------------------


def test_a_brief_edit_bumps_its_version_and_refuses_a_stale_one(personas):
    brief = a_brief(personas)
    assert brief.version == 1
    assert brief_update(brief_id=brief.pk, actor=personas.manager, topic="New topic", version=1).version == 2
    with pytest.raises(Conflict, match="you had version 1, it is now 2"):
        brief_update(brief_id=brief.pk, actor=personas.manager, topic="Lost edit", version=1)
    with pytest.raises(Conflict):
        brief_close(brief_id=brief.pk, actor=personas.manager, version=1)
    brief.refresh_from_db()
    assert (brief.topic, brief.version, brief.closed_at) == ("New topic", 2, None)
    assert brief_close(brief_id=brief.pk, actor=personas.manager, version=2).version == 3


def test_the_brief_api_carries_the_version_and_answers_409_when_stale(personas, api_client_for):
    brief = a_brief(personas)
    client = api_client_for("manager")
    url = f"/api/briefs/{brief.pk}/"
    assert client.get(url).json()["version"] == 1
    response = client.patch(url, {"topic": "Second", "version": 1}, format="json")
    assert (response.status_code, response.json()["version"]) == (200, 2)
    response = client.patch(url, {"topic": "Lost", "version": 1}, format="json")
    assert response.status_code == 409
    assert "This brief changed since you opened it" in response.json()["detail"]
    assert Brief.objects.get(pk=brief.pk).topic == "Second"


def test_the_brief_edit_page_carries_the_version_and_refuses_a_stale_one(personas, web_client_for):
    brief = a_brief(personas)
    client = web_client_for("manager")
    url = reverse("brief-edit", args=[brief.pk])
    assert 'name="version" value="1"' in client.get(url).content.decode()
    form = {
        "topic": "Second",
        "description": "",
        "deadline": (timezone.now() + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"),
        "max_claims": "2",
        "version": "1",
    }
    assert client.post(url, form).status_code == 302
    response = client.post(url, {**form, "topic": "Lost"})
    assert response.status_code == 409
    assert "This brief changed since you opened it" in response.content.decode()
    assert Brief.objects.get(pk=brief.pk).topic == "Second"
