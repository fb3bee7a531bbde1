"""The Django admin shows pillars, calendar notes and deadlines but changes none of them: their rules live in
drafts.planning's services (targets up to 100% together, the tag migration, the audit events), which the
pages and the API call."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from drafts.models import Draft
from drafts.planning.models import CalendarNote, Deadline, Pillar
from drafts.planning.pillar_services import pillar_create


@pytest.fixture
def rows(personas):
    pillar = pillar_create(board=personas.board, actor=None, name="Product", target_percent=60)
    note = CalendarNote.objects.create(
        board=personas.board, title="Launch", starts_on=date(2026, 12, 7), ends_on=date(2026, 12, 8)
    )
    draft = Draft.objects.create(board=personas.board, author=personas.contributor, title="A post")
    deadline = Deadline.objects.create(draft=draft, due_at=timezone.now() + timedelta(days=2))
    return {"pillar": pillar, "calendarnote": note, "deadline": deadline}


@pytest.mark.parametrize("model", ["pillar", "calendarnote", "deadline"])
def test_the_admin_lists_and_shows_them(web_client_for, rows, model):
    admin = web_client_for("admin")
    listed = admin.get(reverse(f"admin:planning_{model}_changelist"))
    assert listed.status_code == 200
    change_url = reverse(f"admin:planning_{model}_change", args=[rows[model].pk])
    assert change_url in listed.content.decode()
    shown = admin.get(change_url)
    assert shown.status_code == 200
    assert 'name="_save"' not in shown.content.decode()  # a view, not a form


@pytest.mark.parametrize("model", ["pillar", "calendarnote", "deadline"])
def test_the_admin_adds_changes_and_deletes_none_of_them(web_client_for, rows, model):
    admin = web_client_for("admin")
    assert admin.get(reverse(f"admin:planning_{model}_add")).status_code == 403
    deleted = admin.post(reverse(f"admin:planning_{model}_delete", args=[rows[model].pk]), {"post": "yes"})
    assert deleted.status_code == 403
    changed = admin.post(reverse(f"admin:planning_{model}_change", args=[rows[model].pk]), {"name": "Renamed"})
    assert changed.status_code == 403
    assert type(rows[model]).objects.filter(pk=rows[model].pk).exists()


def test_a_pillar_renamed_in_the_admin_would_have_skipped_its_rules(web_client_for, rows):
    # The reason: the board's targets stay within 100% only through pillar_create/pillar_update.
    admin = web_client_for("admin")
    admin.post(reverse("admin:planning_pillar_change", args=[rows["pillar"].pk]), {"target_percent": "100"})
    assert Pillar.objects.get(pk=rows["pillar"].pk).target_percent == 60
