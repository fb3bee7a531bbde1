"""One helper answers "must be a manager of this board", with one message, for every app."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from contributors.guidelines.services import guideline_update
from contributors.permissions import MANAGERS_ONLY, require_manager
from contributors.services import board_role_grant
from publishing.services import channel_create

ROOT = Path(__file__).resolve().parent.parent
APPS = ["cocreate", "contributors", "drafts", "publishing"]


def _source_files():
    for app in APPS:
        yield from (ROOT / app).rglob("*.py")


@pytest.mark.parametrize("persona", ["manager", "admin"])
def test_it_lets_managers_and_site_admins_through(personas, persona):
    require_manager(getattr(personas, persona), personas.board)


def test_it_lets_the_system_through(personas):
    require_manager(None, personas.board)


@pytest.mark.parametrize("persona", ["reviewer", "contributor", "outsider"])
def test_it_refuses_everyone_else_with_one_message(personas, persona):
    with pytest.raises(PermissionDenied, match=MANAGERS_ONLY):
        require_manager(getattr(personas, persona), personas.board)


@pytest.mark.parametrize(
    "call",
    [
        lambda p: board_role_grant(board=p.board, user=p.contributor, role="reviewer", actor=p.reviewer),
        lambda p: guideline_update(board=p.board, actor=p.reviewer, brand="Bold"),
        lambda p: channel_create(board=p.board, actor=p.reviewer, kind="webhook", name="Hook", settings={}),
    ],
    ids=["roles", "guidelines", "channels"],
)
def test_every_app_refuses_with_the_same_message(personas, call):
    with pytest.raises(PermissionDenied) as refused:
        call(personas)
    assert str(refused.value) == MANAGERS_ONLY


def test_the_api_and_the_pages_answer_the_same_refusal(personas, api_client_for, web_client_for):
    api = api_client_for("reviewer").get(f"/api/boards/{personas.board.pk}/members/")
    page = web_client_for("reviewer").get(f"/boards/{personas.board.slug}/members/")
    assert (api.status_code, api.json()["detail"]) == (403, MANAGERS_ONLY)
    assert page.status_code == 403
    assert MANAGERS_ONLY.replace("'", "&#x27;") in page.content.decode()


def test_no_module_keeps_its_own_copy_of_the_check():
    copies = []
    for path in _source_files():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and "require_manager" in node.name:
                copies.append(f"{path.relative_to(ROOT)}:{node.lineno} def {node.name}")
            is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if is_text and node.value.startswith("Only the board's managers"):
                copies.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}")
    expected = [f"contributors/permissions.py:{_line_of('def require_manager')} def require_manager"]
    expected.append(f"contributors/permissions.py:{_line_of('MANAGERS_ONLY =')} {MANAGERS_ONLY!r}")
    assert sorted(copies) == sorted(expected)


def _line_of(text: str) -> int:
    lines = (ROOT / "contributors/permissions.py").read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith(text))
