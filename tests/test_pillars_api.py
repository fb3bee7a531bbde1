"""The pillars API (/api/boards/{id}/pillars/) and the mix (/api/boards/{id}/mix/): the same rules and words as
the pages, errors as JSON at the field."""

from datetime import UTC, datetime

import pytest

from drafts.models import Draft
from drafts.planning.models import Pillar
from drafts.planning.pillar_services import pillar_create


@pytest.fixture
def product(personas):
    return pillar_create(board=personas.board, actor=None, name="Product", target_percent=30, colour="#2f6f4e")


def test_members_list_the_pillars_in_order_with_their_draft_counts(personas, product, api_client_for):
    draft = Draft.objects.create(board=personas.board, author=personas.contributor, title="T")
    draft.pillars.add(product)
    pillar_create(board=personas.board, actor=None, name="Community", target_percent=40)
    response = api_client_for("contributor").get(f"/api/boards/{personas.board.pk}/pillars/")
    assert response.status_code == 200
    assert [(p["name"], p["target_percent"], p["position"], p["draft_count"]) for p in response.json()] == [
        ("Product", 30, 0, 1),
        ("Community", 40, 1, 0),
    ]


def test_a_manager_adds_changes_moves_and_removes_a_pillar(personas, product, api_client_for):
    client = api_client_for("manager")
    base = f"/api/boards/{personas.board.pk}/pillars/"
    created = client.post(base, {"name": "Education", "colour": "#3B5BA5", "target_percent": 30}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert (body["name"], body["colour"], body["position"], body["board"]) == (
        "Education",
        "#3b5ba5",
        1,
        personas.board.pk,
    )
    changed = client.patch(f"{base}{body['id']}/", {"description": "How-tos", "position": 0}, format="json")
    assert changed.status_code == 200
    assert changed.json()["description"] == "How-tos"
    assert [p.name for p in Pillar.objects.filter(board=personas.board)] == ["Education", "Product"]
    assert client.get(f"{base}{body['id']}/").json()["position"] == 0
    assert client.delete(f"{base}{body['id']}/").status_code == 204
    assert client.get(f"{base}{body['id']}/").status_code == 404


def test_refusals_come_back_as_json_at_the_field(personas, product, api_client_for):
    client = api_client_for("manager")
    base = f"/api/boards/{personas.board.pk}/pillars/"
    duplicate = client.post(base, {"name": "PRODUCT", "colour": "red", "target_percent": 80}, format="json")
    assert duplicate.status_code == 400
    errors = duplicate.json()
    assert errors["name"] == ["This board already has a pillar called “Product”. Choose another name."]
    assert errors["colour"] == ["Give the colour as #rrggbb, for example #2f6f4e."]
    assert "would add up to 110%" in errors["target_percent"][0]
    missing = client.post(base, {}, format="json")
    assert missing.status_code == 400
    assert "name" in missing.json()
    too_big = client.patch(f"{base}{product.pk}/", {"target_percent": 101}, format="json")
    assert too_big.status_code == 400
    assert "target_percent" in too_big.json()


def test_a_reviewer_may_read_but_not_change_pillars(personas, product, api_client_for):
    client = api_client_for("reviewer")
    base = f"/api/boards/{personas.board.pk}/pillars/"
    assert client.post(base, {"name": "Mine"}, format="json").status_code == 403
    assert client.patch(f"{base}{product.pk}/", {"name": "Mine"}, format="json").status_code == 403
    assert client.delete(f"{base}{product.pk}/").status_code == 403
    assert api_client_for("outsider").get(base).status_code == 404


def test_the_mix_answers_counts_targets_and_warnings(personas, product, api_client_for):
    community = pillar_create(board=personas.board, actor=None, name="Community", target_percent=40)
    for hour in (8, 10):
        draft = Draft.objects.create(
            board=personas.board,
            author=personas.contributor,
            title=f"P{hour}",
            state="scheduled",
            publish_at=datetime(2026, 12, 10, hour, tzinfo=UTC),
        )
        draft.pillars.add(product)
    response = api_client_for("contributor").get(f"/api/boards/{personas.board.pk}/mix/?from=2026-12-07&to=2026-12-13")
    assert response.status_code == 200
    body = response.json()
    assert (body["start"], body["end"], body["total"], body["time_zone"]) == (
        "2026-12-07",
        "2026-12-13",
        2,
        "Europe/Copenhagen",
    )
    assert [t["name"] for t in body["targets"]] == ["Product", "Community"]
    thursday = body["days"][3]
    assert thursday["date"] == "2026-12-10"
    assert [(p["name"], p["posts"], p["share_percent"]) for p in thursday["pillars"]] == [
        ("Product", 2, 100),
        ("Community", 0, 0),
    ]
    assert body["warnings"] == [
        {
            "kind": "day_missing",
            "message": "No Community post on Thursday 10 December.",
            "day": "2026-12-10",
            "week": None,
            "pillar": community.pk,
        }
    ]
    assert body["weeks"][0]["week"] == "2026-W50"


def test_the_mix_refuses_bad_dates_as_json(personas, api_client_for):
    response = api_client_for("contributor").get(f"/api/boards/{personas.board.pk}/mix/?from=soon")
    assert response.status_code == 400
    assert response.json() == {"from": ["Give “from” as a date like 2026-12-07 (it was “soon”)."]}
