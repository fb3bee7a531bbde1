"""The Content-Security-Policy and Permissions-Policy headers, and pages that keep to the policy.

Every page the permission matrix knows is rendered for a persona who may see it: the headers must be
there, and nothing inline that the policy would block (scripts without the request's nonce, <style>,
style="", on* handlers, hx-on, javascript: URLs). tests/test_csp_browser.py checks the same in Chromium.
"""

import pytest
from django.urls import Resolver404, reverse

from publishing.models import Channel, Publication
from tests.csp_scan import inline_code, policy_nonce
from tests.test_permission_matrix import MATRIX, Ctx, _target_draft

PERSONAS_BY_REACH = ["manager", "admin", "reviewer", "contributor", "outsider", "anonymous"]
DENIED_FEATURES = {"camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"}


def directives(header: str) -> dict[str, set[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = set(values)
    return parsed


# The calendar pages (drafts/planning/calendar_views.py): FullCalendar makes its own <style>, given the request's
# nonce, and its rules name its icon font as a data: URL. Only those pages allow them.
STYLE_NONCE_PAGES = {"calendar", "board-calendar"}


def assert_policy(response) -> None:
    assert "Content-Security-Policy" in response, f"{response.request['PATH_INFO']} has no CSP header"
    policy = directives(response["Content-Security-Policy"])
    nonce = f"'nonce-{policy_nonce(response['Content-Security-Policy'])}'"
    assert policy["default-src"] == {"'self'"}
    assert policy["script-src"] - {"'self'"} <= {nonce}
    try:
        url_name = response.resolver_match.url_name
    except Resolver404:  # an error page
        url_name = None
    if url_name in STYLE_NONCE_PAGES:
        assert policy["style-src"] == {"'self'", nonce}
        assert policy["font-src"] == {"'self'", "data:"}
    else:
        assert policy["style-src"] == {"'self'"}
    assert policy["img-src"] == {"'self'", "data:"}
    assert policy["object-src"] == policy["base-uri"] == policy["frame-ancestors"] == {"'none'"}
    assert policy["form-action"] == {"'self'"}
    for values in policy.values():
        assert not values & {"'unsafe-inline'", "'unsafe-eval'", "*"}, values
    features = dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))
    assert {name for name, allow in features.items() if allow == "()"} >= DENIED_FEATURES


def page_cells() -> list:
    """Each page GET of the matrix once, as the first persona (by reach) who gets a 200; public pages also
    as an anonymous visitor (their signed-out layout differs)."""
    cells = []
    for entry in MATRIX:
        if entry.kind != "page" or entry.method != "GET":
            continue
        allowed = [persona for persona in PERSONAS_BY_REACH if getattr(entry.expect, persona) == 200]
        for persona in allowed[:1] + (["anonymous"] if "anonymous" in allowed[1:] else []):
            cells.append(pytest.param(entry, persona, id=f"{entry.id}-{persona}"))
    return cells


@pytest.fixture
def publication(personas, draft):
    """A line in the publication log, so its page renders a row."""
    channel = Channel(board=personas.board, kind="webhook", name="Site hook", settings={"url": "https://hook.example"})
    channel.credentials = {"secret": "not-used"}
    channel.save()
    return Publication.objects.create(draft=draft, channel=channel, due_at=draft.created_at, state="failed")


@pytest.mark.parametrize(("entry", "persona"), page_cells())
def test_every_page_carries_the_policies_and_no_inline_code(entry, persona, personas, draft, web_client_for):
    target = _target_draft(entry, personas, draft)
    url = reverse(entry.name, kwargs=entry.kwargs(Ctx(personas=personas, draft=target, persona=persona)))

    response = web_client_for(persona).get(url)

    assert response.status_code == 200, url
    assert_policy(response)
    if response["Content-Type"].startswith("text/html"):
        assert inline_code(response.content.decode(), policy_nonce(response["Content-Security-Policy"])) == []


def test_it_finds_pages_to_check():
    """Guards page_cells: if the matrix changed shape and nothing matched, the test above would pass empty."""
    names = {cell.values[0].name for cell in page_cells()}
    assert {"login", "board-list", "board-detail", "draft-detail", "draft-edit", "board-publications"} <= names


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("anonymous", "/no-such-page/"),
        ("outsider", "/boards/launch/"),  # 404 for a board the user has no role on
        ("contributor", "/boards/launch/members/"),  # 403
        ("reviewer", "/api/drafts/"),
        ("anonymous", "/api/drafts/"),  # 401
        ("admin", "/admin/"),
        ("admin", "/api/docs/"),
        ("admin", "/api/docs/?script="),
    ],
)
def test_error_pages_the_api_and_the_admin_carry_the_policies(persona, path, personas, web_client_for):
    response = web_client_for(persona).get(path)
    assert_policy(response)
    if response["Content-Type"].startswith("text/html"):
        assert inline_code(response.content.decode(), policy_nonce(response["Content-Security-Policy"])) == []


def test_the_draft_editor_and_the_publication_log_keep_to_the_policy(personas, draft, publication, web_client_for):
    from contributors.guidelines.services import guideline_rule_create

    guideline_rule_create(
        board=personas.board,
        actor=personas.manager,
        kind="banned_phrase",
        severity="error",
        params={"phrase": "synergy"},
    )
    client = web_client_for("manager")
    pages = [
        client.get(f"/drafts/{draft.pk}/edit/"),  # with the guidelines panel
        client.post(f"/boards/{personas.board.slug}/guidelines/check/", {"body": "synergy"}, HTTP_HX_REQUEST="true"),
        client.post(f"/drafts/{draft.pk}/comments/", {"body": "Nice."}, HTTP_HX_REQUEST="true"),
        client.post(f"/drafts/{draft.pk}/comments/", {"body": " "}, HTTP_HX_REQUEST="true"),  # the 400 fragment
        client.get(f"/boards/{personas.board.slug}/publications/"),
    ]
    assert [page.status_code for page in pages] == [200, 200, 200, 400, 200]
    assert "synergy" in pages[1].content.decode()
    assert "Site hook" in pages[4].content.decode()
    for page in pages:
        assert inline_code(page.content.decode(), policy_nonce(page["Content-Security-Policy"])) == []


def test_a_page_may_run_an_inline_script_that_carries_the_nonce(rf):
    """The nonce is there for the day a page needs inline code: a template writes {{ CSP_NONCE }}."""
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse
    from django.template import engines

    template = engines["django"].from_string('<script nonce="{{ CSP_NONCE }}">go()</script>')

    def view(request):
        return HttpResponse(template.render({}, request))

    request = rf.get("/")
    response = CSPMiddleware(view)(request)
    nonce = policy_nonce(response["Content-Security-Policy"])
    assert nonce
    assert f"'nonce-{nonce}'" in directives(response["Content-Security-Policy"])["script-src"]
    assert inline_code(response.content.decode(), nonce) == []
    assert inline_code(response.content.decode(), "another-request") != []


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert(1)</script>",
        '<script nonce="guess">alert(1)</script>',
        "<style>p { color: red }</style>",
        '<p style="color: red">x</p>',
        '<button onclick="go()">x</button>',
        '<form hx-on::after-request="go()"></form>',
        '<div hx-vals="js:{a: go()}"></div>',
        '<a href=" JavaScript:go()">x</a>',
    ],
)
def test_the_scan_finds_inline_code(markup):
    assert inline_code(f"<html><body>{markup}</body></html>", "right-nonce") != []


def test_the_scan_lets_scripts_from_files_and_data_blocks_through():
    markup = '<script src="/static/vendor/htmx.min.js" defer></script><script type="application/json">{}</script>'
    assert inline_code(markup, None) == []
