"""The pillars page and the mix panel: members read them, managers add, edit, reorder and remove pillars with
plain forms, refusals are shown at the field, and the mix panel answers bad dates with 400 and a reason."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from drafts.models import Draft
from drafts.planning.models import Pillar
from drafts.planning.pillar_services import pillar_create


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def pillars(personas):
    make = lambda name, target, colour: pillar_create(  # noqa: E731
        board=personas.board, actor=None, name=name, target_percent=target, colour=colour
    )
    return [make("Product", 30, "#2f6f4e"), make("Community", 40, "#b4462b"), make("Education", 30, "#3b5ba5")]


def test_members_read_the_pillars_and_the_mix_without_the_forms(personas, pillars):
    page = client_for(personas.contributor).get("/boards/launch/pillars/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Product" in html
    assert "40%" in html
    assert "The targets add up to 100%." in html
    assert "Add a pillar" not in html
    assert "Move Product up" not in html
    assert 'fill="#2f6f4e"' in html
    assert "This week and next" in html


def test_a_manager_adds_a_pillar_and_tagged_drafts_join_it(personas):
    draft = Draft.objects.create(board=personas.board, author=personas.contributor, title="T", tags=["tips"])
    client = client_for(personas.manager)
    response = client.post(
        "/boards/launch/pillars/", {"name": "Tips", "colour": "#112233", "target_percent": "20", "description": ""}
    )
    pillar = Pillar.objects.get(name="Tips")
    assert response.status_code == 302
    assert response["Location"] == f"/boards/launch/pillars/#pillar-{pillar.pk}"
    assert list(draft.pillars.all()) == [pillar]
    page = client.get("/boards/launch/pillars/")
    assert "Pillar added: Tips. 1 draft tagged “Tips” joined it." in page.content.decode()


def test_a_refused_pillar_is_shown_again_with_the_reason_at_the_field(personas, pillars):
    response = client_for(personas.manager).post(
        "/boards/launch/pillars/", {"name": "product", "colour": "#112233", "target_percent": "10"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["name"] == ["This board already has a pillar called “Product”. Choose another name."]
    assert "would add up to 110%" in form.errors["target_percent"][0]
    html = response.content.decode()
    assert "There are problems" in html
    assert 'href="#id_name"' in html


def test_a_manager_edits_moves_and_removes_a_pillar(personas, pillars):
    client = client_for(personas.manager)
    product, community, education = pillars
    edit = client.get(f"/boards/launch/pillars/{product.pk}/edit/")
    assert edit.status_code == 200
    assert 'value="Product"' in edit.content.decode()
    response = client.post(
        f"/boards/launch/pillars/{product.pk}/edit/",
        {"name": "Products", "colour": "#2f6f4e", "target_percent": "30", "description": "What we sell"},
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.name, product.description) == ("Products", "What we sell")
    moved = client.post(f"/boards/launch/pillars/{education.pk}/move/", {"direction": "up"})
    assert moved["Location"] == f"/boards/launch/pillars/?moved={education.pk}&dir=up"
    assert [p.name for p in Pillar.objects.filter(board=personas.board)] == ["Products", "Education", "Community"]
    page = client.get(moved["Location"])
    assert 'aria-label="Move Education up" autofocus' in page.content.decode()
    ask = client.get(f"/boards/launch/pillars/{community.pk}/delete/")
    assert "Remove this pillar?" in ask.content.decode()
    client.post(f"/boards/launch/pillars/{community.pk}/delete/")
    assert not Pillar.objects.filter(pk=community.pk).exists()


def test_an_edit_over_100_percent_is_refused_with_the_reason(personas, pillars):
    product = pillars[0]
    response = client_for(personas.manager).post(
        f"/boards/launch/pillars/{product.pk}/edit/", {"name": "Product", "colour": "#2f6f4e", "target_percent": "50"}
    )
    assert response.status_code == 400
    assert "This pillar can have at most 30%" in response.context["form"].errors["target_percent"][0]


def test_the_mix_panel_shows_the_warning_for_a_day_off_the_mix(personas, pillars):
    product = pillars[0]
    for hour in (8, 10, 12):
        draft = Draft.objects.create(
            board=personas.board,
            author=personas.contributor,
            title=f"P{hour}",
            state="scheduled",
            publish_at=datetime(2026, 12, 10, hour, tzinfo=UTC),
        )
        draft.pillars.add(product)
    response = client_for(personas.reviewer).get("/boards/launch/calendar/mix/?from=2026-12-07&to=2026-12-13")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="status"' in html
    assert "No Community post on Thursday 10 December." in html
    assert "Product is 100% of the posts of the week of 7–13 December; the target is 30%." in html
    assert "70 points over" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-13-01", "Give “from” as a date like 2026-12-07 (it was “2026-13-01”)."),
        ("from=2026-12-07&to=2026-12-01", "The end date is before the start date."),
        ("from=2026-01-01&to=2026-06-01", "Ask for at most 62 days at a time."),
    ],
)
def test_the_mix_panel_answers_bad_dates_with_400_and_the_reason(personas, query, message):
    response = client_for(personas.reviewer).get(f"/boards/launch/calendar/mix/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'role="alert"' in response.content.decode()


def test_the_mix_panel_defaults_to_this_week_and_the_next(personas, pillars):
    response = client_for(personas.reviewer).get("/boards/launch/calendar/mix/")
    mix = response.context["mix"]
    today = timezone.now().astimezone(ZoneInfo("Europe/Copenhagen")).date()
    assert mix.start == today - timedelta(days=today.weekday())
    assert (mix.end - mix.start).days == 13
    assert isinstance(mix.start, date)
