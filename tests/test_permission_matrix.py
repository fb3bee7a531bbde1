"""The permission matrix: every page and API endpoint x every persona -> the HTTP status it must answer.

How it works
------------
* MATRIX holds one Entry per (URL name, HTTP method), plus a few variants of the same pair (one per
  workflow transition, a draft that is frozen in review, a draft somebody else wrote). An entry says how
  to build the URL kwargs and the request body from the fixtures, which state the draft is walked to
  first (tests.factories.advance), and the status each persona must get, as an Expect row in the order
  anonymous, outsider (contributor of another board), contributor, reviewer, manager, admin.
* test_it_answers_each_persona_as_the_matrix_says is parametrized over (entry, persona), so each cell is
  its own test on a fresh database, with an id such as `draft-detail-GET-outsider` or
  `api-draft-transition.approve-POST-contributor`. Bodies are valid, so the allowed personas get a 2xx
  (or a 302 for pages) and the refusals come from permissions, never from bad input.
* test_it_has_a_matrix_entry_for_every_url walks django.urls.get_resolver() and fails when a named page
  has no entry, or when an API view allows a method that has no entry: a new URL breaks the build until
  someone writes down who may use it. test_it_has_no_entry_for_a_url_that_is_gone is the converse.

The conventions the matrix encodes (README, "Errors"):
* pages: anonymous -> 302 to /login/; API: anonymous -> 401 (token authentication comes first).
* nothing on a board you hold no role on exists for you: 404, never 403. A contributor sees only their
  own drafts, so another author's draft is 404 for them too.
* a visible object and a forbidden action -> 403 (the draft is put in a state where the action is legal,
  so a refusal is about the person, not a 409 about the state).
* /api/schema/ and /api/docs/ are for signed-in users only (SPECTACULAR_SETTINGS SERVE_PERMISSIONS).
"""

import importlib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from rest_framework.views import APIView

from drafts.models import Draft
from tests.conftest import PERSONA_NAMES, Personas, persona_user
from tests.factories import PASSWORD, advance, future, make_draft

# --- What is deliberately not in the matrix, and why --------------------------------------------------

EXCLUDED_NAMESPACES = {
    "admin": "Django's admin site: staff-only by its own login and model permissions, tested by Django.",
}
EXCLUDED_METHODS = {
    "OPTIONS": "DRF's metadata answer; same authentication and permission classes as the view's other methods.",
    "HEAD": "Django answers HEAD with the GET view; it is never a capability of its own.",
}
# Not an exclusion: DRF's router registers every API route twice (with and without a `.json` format
# suffix) under the same name and view, so collecting by name covers both; `api-root` is in the matrix.


# --- Building blocks ----------------------------------------------------------------------------------


class Expect(NamedTuple):
    """The status each persona gets, in the order of conftest.PERSONA_NAMES."""

    anonymous: int
    outsider: int
    contributor: int
    reviewer: int
    manager: int
    admin: int


@dataclass
class Ctx:
    """What an entry's builders can use: the personas, the target draft and the persona under test."""

    personas: Personas
    draft: Draft
    persona: str
    # Objects a builder creates for its entry (an invitation, an agreement...), made once per cell.
    cache: dict = field(default_factory=dict)

    def once(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]

    @property
    def user(self):
        return persona_user(self.personas, self.persona)


def no_kwargs(ctx: Ctx) -> dict:
    return {}


def board_slug(ctx: Ctx) -> dict:
    return {"slug": ctx.personas.board.slug}


def board_pk(ctx: Ctx) -> dict:
    return {"pk": ctx.personas.board.pk}


def draft_id(ctx: Ctx) -> dict:
    return {"draft_id": ctx.draft.pk}


def draft_pk(ctx: Ctx) -> dict:
    return {"pk": ctx.draft.pk}


def to(url_name: str, kwargs: Callable[[Ctx], dict] = no_kwargs) -> Callable[[Ctx], str]:
    """A redirect target: exactly this URL."""
    return lambda ctx: re.escape(reverse(url_name, kwargs=kwargs(ctx)))


@dataclass(frozen=True)
class Entry:
    name: str
    method: str
    expect: Expect
    kind: str  # "page" or "api"; checked against the view the URL resolves to
    kwargs: Callable[[Ctx], dict] = no_kwargs
    data: Callable[[Ctx], dict] | None = None
    state: str = "draft"  # the state the target draft is walked to before the request
    author: str = "contributor"  # who wrote the target draft (the `draft` fixture when "contributor")
    variant: str = ""  # tells entries for the same (name, method) apart
    # Where a signed-in persona's 302 must point (a regex); anonymous 302s must point to /login/.
    redirect: Callable[[Ctx], str] | None = None
    # For lists: whether the target appears in a 200 response, and who must see it there.
    shows: Callable[[Any, Ctx], bool] | None = None
    seen_by: frozenset[str] = field(default_factory=frozenset)
    # A public page: an anonymous 302 goes where `redirect` says, not to the login page.
    public: bool = False
    # How an API body is encoded: "multipart" for file uploads.
    format: str = "json"

    @property
    def id(self) -> str:
        name = f"{self.name}.{self.variant}" if self.variant else self.name
        return f"{name}-{self.method}"


def page(name: str, method: str, expect: Expect, **options) -> Entry:
    return Entry(name, method, expect, kind="page", **options)


def api(name: str, method: str, expect: Expect, **options) -> Entry:
    return Entry(name, method, expect, kind="api", **options)


def page_transition(name: str, state: str, expect: Expect, **options) -> Entry:
    """A workflow transition through the page; success redirects to the draft."""
    return page(
        "draft-transition",
        "POST",
        expect,
        variant=name,
        state=state,
        kwargs=lambda ctx: {"draft_id": ctx.draft.pk, "name": name},
        redirect=to("draft-detail", draft_id),
        **options,
    )


def api_transition(name: str, state: str, expect: Expect, **options) -> Entry:
    return api(
        "api-draft-transition",
        "POST",
        expect,
        variant=name,
        state=state,
        kwargs=lambda ctx: {"pk": ctx.draft.pk, "name": name},
        **options,
    )


def publish_body(ctx: Ctx) -> dict:
    return {"publish_at": future(24 * 60).isoformat()}


def changes_body(ctx: Ctx) -> dict:
    return {"comment": "Please make the opening shorter."}


def login_body(ctx: Ctx) -> dict:
    if ctx.user is None:
        return {"username": "nobody", "password": "wrong"}
    return {"username": ctx.user.username, "password": PASSWORD}


def token_body(ctx: Ctx) -> dict:
    return {} if ctx.user is None else {"username": ctx.user.username, "password": PASSWORD}


def edit_form(ctx: Ctx) -> dict:
    return {"title": "Edited title", "body": "Edited body.", "tags": "launch", "version": ctx.draft.version}


def edit_json(ctx: Ctx) -> dict:
    return {"version": ctx.draft.version, "title": "Edited title"}


def new_member(ctx: Ctx) -> dict:
    return {"username": ctx.personas.outsider.username, "role": "contributor"}


def page_links_to_board(response, ctx: Ctx) -> bool:
    return f'href="{reverse("board-detail", args=[ctx.personas.board.slug])}"' in response.content.decode()


def page_links_to_draft(response, ctx: Ctx) -> bool:
    return f'href="{reverse("draft-detail", args=[ctx.draft.pk])}"' in response.content.decode()


def api_lists_board(response, ctx: Ctx) -> bool:
    return any(item["id"] == ctx.personas.board.pk for item in response.json()["results"])


def api_lists_draft(response, ctx: Ctx) -> bool:
    return any(item["id"] == ctx.draft.pk for item in response.json()["results"])


MEMBERS = frozenset({"contributor", "reviewer", "manager", "admin"})
REVIEWERS = frozenset({"reviewer", "manager", "admin"})


def new_draft(ctx: Ctx) -> dict:
    return {"title": "A new idea", "body": "", "tags": ""}


def new_draft_json(ctx: Ctx) -> dict:
    return {"board": ctx.personas.board.pk, "title": "A new idea"}


def comment(ctx: Ctx) -> dict:
    return {"body": "Looks good to me."}


def coauthor_reviewer(ctx: Ctx) -> dict:
    return {"coauthors": [ctx.personas.reviewer.pk]}


def revision_1(ctx: Ctx) -> dict:
    return {"pk": ctx.draft.pk, "number": 1}


def contributor_membership(ctx: Ctx) -> dict:
    return {"pk": ctx.personas.board.pk, "user_id": ctx.personas.contributor.pk}


def any_draft(ctx: Ctx) -> str:
    return r"/drafts/\d+/"


# fmt: off
MATRIX: list[Entry] = [
    # ---- Pages -------------------------------------------------------------------------------------------
    #     URL name            method        anon out  con  rev  man  adm
    page("login",            "GET",  Expect(200, 200, 200, 200, 200, 200)),
    page("login",            "POST", Expect(200, 302, 302, 302, 302, 302), data=login_body, redirect=to("my-work")),
    page("logout",           "POST", Expect(302, 302, 302, 302, 302, 302), redirect=to("login")),
    page("logout",           "GET",  Expect(405, 405, 405, 405, 405, 405)),
    page("board-list",       "GET",  Expect(302, 200, 200, 200, 200, 200), shows=page_links_to_board, seen_by=MEMBERS),
    page("board-detail",     "GET",  Expect(302, 404, 200, 200, 200, 200), kwargs=board_slug,
         shows=page_links_to_draft, seen_by=MEMBERS),
    page("board-detail",     "GET",  Expect(302, 404, 200, 200, 200, 200), kwargs=board_slug,
         variant="others-draft", author="reviewer", shows=page_links_to_draft, seen_by=REVIEWERS),
    page("board-members",    "GET",  Expect(302, 404, 403, 403, 200, 200), kwargs=board_slug),
    page("board-members",    "POST", Expect(302, 404, 403, 403, 302, 302), kwargs=board_slug, data=new_member,
         redirect=to("board-members", board_slug)),
    page("draft-create",     "GET",  Expect(302, 404, 200, 200, 200, 200), kwargs=board_slug),
    page("draft-create",     "POST", Expect(302, 404, 302, 302, 302, 302), kwargs=board_slug, data=new_draft,
         redirect=any_draft),
    page("draft-detail",     "GET",  Expect(302, 404, 200, 200, 200, 200), kwargs=draft_id),
    page("draft-detail",     "GET",  Expect(302, 404, 404, 200, 200, 200), kwargs=draft_id,
         variant="others-draft", author="reviewer"),
    page("draft-edit",       "GET",  Expect(302, 404, 200, 200, 200, 200), kwargs=draft_id),
    page("draft-edit",       "POST", Expect(302, 404, 302, 302, 302, 302), kwargs=draft_id, data=edit_form,
         redirect=to("draft-detail", draft_id)),
    page("draft-edit",       "GET",  Expect(302, 404, 403, 403, 403, 403), kwargs=draft_id,
         variant="in-review", state="review"),
    page("draft-edit",       "POST", Expect(302, 404, 403, 403, 403, 403), kwargs=draft_id, data=edit_form,
         variant="in-review", state="review"),
    page("draft-transition", "GET",  Expect(302, 405, 405, 405, 405, 405),
         kwargs=lambda ctx: {"draft_id": ctx.draft.pk, "name": "submit"}),
    # Co-authors are chosen by the draft's author or a manager.
    page("draft-coauthors",  "GET",  Expect(302, 405, 405, 405, 405, 405), kwargs=draft_id),
    page("draft-coauthors",  "POST", Expect(302, 404, 302, 403, 302, 302), kwargs=draft_id, data=coauthor_reviewer,
         redirect=to("draft-detail", draft_id)),
    page("draft-comment",    "GET",  Expect(302, 405, 405, 405, 405, 405), kwargs=draft_id),
    page("draft-comment",    "POST", Expect(302, 404, 302, 302, 302, 302), kwargs=draft_id, data=comment,
         redirect=lambda ctx: to("draft-detail", draft_id)(ctx) + r"#comment-\d+"),
    page("draft-revisions",  "GET",  Expect(302, 404, 200, 200, 200, 200), kwargs=draft_id),
    page("draft-diff",       "GET",  Expect(302, 404, 200, 200, 200, 200), kwargs=draft_id),
    # Each transition on a draft in the state where it is legal, so a refusal is about the person (403), not
    # the state (409). submit and archive: the author and managers; approve and request_changes: reviewers,
    # never the author; schedule, unschedule, retry: managers; mark_published: publishing workers only.
    #                transition         draft state        anon out  con  rev  man  adm
    page_transition("submit",          "draft",     Expect(302, 404, 302, 403, 302, 302)),
    page_transition("request_changes", "review",    Expect(302, 404, 403, 302, 302, 302), data=changes_body),
    page_transition("approve",         "review",    Expect(302, 404, 403, 302, 302, 302)),
    page_transition("schedule",        "approved",  Expect(302, 404, 403, 403, 302, 302), data=publish_body),
    page_transition("unschedule",      "scheduled", Expect(302, 404, 403, 403, 302, 302)),
    page_transition("archive",         "draft",     Expect(302, 404, 302, 403, 302, 302)),
    page_transition("retry",           "failed",    Expect(302, 404, 403, 403, 302, 302)),
    page_transition("mark_published",  "scheduled", Expect(302, 404, 403, 403, 403, 403)),
    page_transition("launch_rocket",   "draft",     Expect(302, 404, 404, 404, 404, 404)),  # no such transition

    # ---- API ---------------------------------------------------------------------------------------------
    #    URL name               method          anon out  con  rev  man  adm
    api("api-root",            "GET",    Expect(401, 200, 200, 200, 200, 200)),
    api("api-token",           "POST",   Expect(400, 200, 200, 200, 200, 200), data=token_body),
    api("api-schema",          "GET",    Expect(401, 200, 200, 200, 200, 200)),
    api("api-docs",            "GET",    Expect(401, 200, 200, 200, 200, 200)),
    api("api-board-list",      "GET",    Expect(401, 200, 200, 200, 200, 200), shows=api_lists_board, seen_by=MEMBERS),
    api("api-board-detail",    "GET",    Expect(401, 404, 200, 200, 200, 200), kwargs=board_pk),
    api("api-board-members",   "GET",    Expect(401, 404, 403, 403, 200, 200), kwargs=board_pk),
    api("api-board-members",   "POST",   Expect(401, 404, 403, 403, 201, 201), kwargs=board_pk, data=new_member),
    api("api-board-member",    "DELETE", Expect(401, 404, 403, 403, 204, 204), kwargs=contributor_membership),
    api("api-draft-list",      "GET",    Expect(401, 200, 200, 200, 200, 200), shows=api_lists_draft, seen_by=MEMBERS),
    api("api-draft-list",      "GET",    Expect(401, 200, 200, 200, 200, 200), shows=api_lists_draft,
        seen_by=REVIEWERS, variant="others-draft", author="reviewer"),
    # The board is named in the body: a board you cannot see is "no such board" (400), like a made-up id.
    api("api-draft-list",      "POST",   Expect(401, 400, 201, 201, 201, 201), data=new_draft_json),
    api("api-draft-detail",    "GET",    Expect(401, 404, 200, 200, 200, 200), kwargs=draft_pk),
    api("api-draft-detail",    "GET",    Expect(401, 404, 404, 200, 200, 200), kwargs=draft_pk,
        variant="others-draft", author="reviewer"),
    api("api-draft-detail",    "PATCH",  Expect(401, 404, 200, 200, 200, 200), kwargs=draft_pk, data=edit_json),
    api("api-draft-detail",    "PUT",    Expect(401, 404, 200, 200, 200, 200), kwargs=draft_pk, data=edit_json),
    api("api-draft-detail",    "PATCH",  Expect(401, 404, 403, 403, 403, 403), kwargs=draft_pk, data=edit_json,
        variant="in-review", state="review"),
    api("api-draft-coauthors", "PUT",    Expect(401, 404, 200, 403, 200, 200), kwargs=draft_pk,
        data=coauthor_reviewer),
    api("api-draft-events",    "GET",    Expect(401, 404, 200, 200, 200, 200), kwargs=draft_pk),
    api("api-draft-revisions", "GET",    Expect(401, 404, 200, 200, 200, 200), kwargs=draft_pk),
    api("api-draft-revision",  "GET",    Expect(401, 404, 200, 200, 200, 200), kwargs=revision_1),
    api("api-draft-diff",      "GET",    Expect(401, 404, 200, 200, 200, 200), kwargs=draft_pk),
    api("api-draft-comments",  "GET",    Expect(401, 404, 200, 200, 200, 200), kwargs=draft_pk),
    api("api-draft-comments",  "POST",   Expect(401, 404, 201, 201, 201, 201), kwargs=draft_pk, data=comment),
    #               transition         draft state        anon out  con  rev  man  adm
    api_transition("submit",          "draft",     Expect(401, 404, 200, 403, 200, 200)),
    api_transition("request_changes", "review",    Expect(401, 404, 403, 200, 200, 200), data=changes_body),
    api_transition("approve",         "review",    Expect(401, 404, 403, 200, 200, 200)),
    api_transition("schedule",        "approved",  Expect(401, 404, 403, 403, 200, 200), data=publish_body),
    api_transition("unschedule",      "scheduled", Expect(401, 404, 403, 403, 200, 200)),
    api_transition("archive",         "draft",     Expect(401, 404, 200, 403, 200, 200)),
    api_transition("retry",           "failed",    Expect(401, 404, 403, 403, 200, 200)),
    api_transition("mark_published",  "scheduled", Expect(401, 404, 403, 403, 403, 403)),
    api_transition("launch_rocket",   "draft",     Expect(401, 404, 404, 404, 404, 404)),  # no such transition
]
# fmt: on

# Each feature app adds its rows in tests/matrix_<feature>.py, as `def matrix_entries(m) -> list[Entry]`
# where `m` is this module (page, api, Expect, to, Ctx.once and the builders above).
for _path in sorted(Path(__file__).parent.glob("matrix_*.py")):
    MATRIX += importlib.import_module(f"tests.{_path.stem}").matrix_entries(sys.modules[__name__])


# --- The URL conf ----------------------------------------------------------------------------------------


def _walk(resolver: URLResolver, namespace: str = ""):
    """Every (namespace, URLPattern) in the URL conf, however deeply included."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, ":".join(filter(None, [namespace, pattern.namespace])))
        else:
            assert isinstance(pattern, URLPattern)
            yield namespace, pattern


def _drf_view_class(callback) -> type | None:
    cls = getattr(callback, "cls", None)
    return cls if isinstance(cls, type) and issubclass(cls, APIView) else None


def _api_methods(callback) -> set[str]:
    """The methods a DRF view answers: a viewset route's actions, or the handlers an APIView defines."""
    actions = getattr(callback, "actions", None)
    if actions:
        methods = {method.upper() for method in actions}
    else:
        cls = _drf_view_class(callback)
        methods = {method.upper() for method in cls.http_method_names if hasattr(cls, method)}
    return methods - set(EXCLUDED_METHODS)


def url_conf() -> tuple[set[str], set[tuple[str, str]], list[str]]:
    """(page names, API (name, method) pairs, unnamed patterns) outside the excluded namespaces."""
    pages: set[str] = set()
    api_pairs: set[tuple[str, str]] = set()
    unnamed: list[str] = []
    for namespace, pattern in _walk(get_resolver()):
        if namespace.split(":")[0] in EXCLUDED_NAMESPACES:
            continue
        if not pattern.name:
            unnamed.append(str(pattern.pattern))
            continue
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        if _drf_view_class(pattern.callback) is not None:
            api_pairs |= {(name, method) for method in _api_methods(pattern.callback)}
        else:
            pages.add(name)
    return pages, api_pairs, unnamed


def test_it_has_a_matrix_entry_for_every_url():
    pages, api_pairs, unnamed = url_conf()
    covered = {(entry.name, entry.method) for entry in MATRIX}
    missing = [f"page {name}" for name in sorted(pages - {name for name, _ in covered})]
    missing += [f"api {name} {method}" for name, method in sorted(api_pairs - covered)]
    missing += [f"unnamed pattern {pattern}" for pattern in unnamed]
    assert missing == [], "Add these to MATRIX (and name every URL pattern)."


def test_it_has_no_entry_for_a_url_that_is_gone():
    pages, api_pairs, _ = url_conf()
    # Pages are matched by name (their rows may also record a method the page refuses with 405).
    stale = [entry.id for entry in MATRIX if entry.name not in pages and (entry.name, entry.method) not in api_pairs]
    assert stale == []


def test_it_finds_the_pages_and_api_methods_in_the_url_conf():
    """Guards the walker itself: if it found nothing, the coverage test would pass vacuously."""
    pages, api_pairs, _ = url_conf()
    assert {"board-list", "login", "logout", "draft-transition"} <= pages
    assert {("api-draft-detail", "PATCH"), ("api-board-member", "DELETE"), ("api-token", "POST")} <= api_pairs
    assert not any(name.startswith("admin:") for name in pages)
    assert not any(name.startswith("api-") for name in pages)


def test_it_keeps_ids_unique_and_personas_in_order():
    ids = [entry.id for entry in MATRIX]
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    assert list(Expect._fields) == PERSONA_NAMES


# --- The cells ------------------------------------------------------------------------------------------


@pytest.fixture
def personas(shared_personas):
    """Built once for the module (tests.conftest.module_personas): over a thousand cells use the same six."""
    return shared_personas


def _target_draft(entry: Entry, personas: Personas, draft: Draft) -> Draft:
    if entry.author != "contributor":
        assert entry.state == "draft", "advance() walks the contributor's draft only"
        draft = make_draft(personas.board, getattr(personas, entry.author), title="Reviewer's private idea")
    advance(draft, entry.state, personas)
    return draft


def _request(client, method: str, url: str, body: dict | None, is_api: bool, body_format: str = "json"):
    call = getattr(client, method.lower())
    if method == "GET":
        return call(url, body) if body else call(url)  # a GET's data is its query string
    if body is None:
        return call(url)
    return call(url, body, format=body_format) if is_api else call(url, body)


@pytest.mark.parametrize(
    ("entry", "persona"),
    [pytest.param(entry, persona, id=f"{entry.id}-{persona}") for entry in MATRIX for persona in PERSONA_NAMES],
)
def test_it_answers_each_persona_as_the_matrix_says(entry, persona, personas, draft, web_client_for, api_client_for):
    target = _target_draft(entry, personas, draft)
    ctx = Ctx(personas=personas, draft=target, persona=persona)
    url = reverse(entry.name, kwargs=entry.kwargs(ctx))
    is_api = _drf_view_class(resolve(url).func) is not None
    assert is_api == (entry.kind == "api"), f"{entry.id} is declared a {entry.kind}"
    client = api_client_for(persona) if is_api else web_client_for(persona)
    body = entry.data(ctx) if entry.data else None

    response = _request(client, entry.method, url, body, is_api, entry.format)

    expected = getattr(entry.expect, persona)
    assert response.status_code == expected, (
        f"{entry.method} {url} as {persona}: {response.status_code}, expected {expected}\n"
        f"{response.content[:500].decode(errors='replace')}"
    )
    if response.status_code == 302:
        location = response["Location"]
        if persona == "anonymous" and not entry.public:
            assert location.startswith("/login/")
        else:
            assert entry.redirect is not None, f"{entry.id}: say where the 302 goes"
            assert re.fullmatch(entry.redirect(ctx), location), location
    if response.status_code == 200 and entry.shows is not None:
        assert entry.shows(response, ctx) == (persona in entry.seen_by)
