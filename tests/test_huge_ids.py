"""Never a 500 for bad input: an id past 2^63-1 in any URL, list filter or body field is a 400 or 404.

The URLs and the API's filters are found by walking the URL conf and the OpenAPI schema, so a new one is
covered the day it is added.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter
from django.urls.resolvers import RegexPattern, RoutePattern
from drf_spectacular.generators import SchemaGenerator

HUGE = [2**63, 2**64, -(2**63) - 1]
REFUSALS = {400, 403, 404, 405, 415}
ID_GROUP = re.compile(r"\(\?P<(?P<name>pk|number|\w+_id)>[^)]*\)")
OTHER_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
PATH_VALUES = {"slug": "launch", "username": "manager", "token": "x", "name": "submit"}


def _walk(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        text = prefix + _template(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                yield from _walk(pattern, text)
        else:
            assert isinstance(pattern, URLPattern)
            yield text, pattern


def _template(pattern) -> str:
    """The pattern as a path with `{id}` for each integer parameter and `{name}` for the others."""
    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        for name, converter in pattern.converters.items():
            placeholder = "{id}" if isinstance(converter, IntConverter) else f"{{{name}}}"
            route = re.sub(rf"<(\w+:)?{name}>", placeholder, route)
        return route
    assert isinstance(pattern, RegexPattern)
    regex = ID_GROUP.sub("{id}", str(pattern).lstrip("^").rstrip("$"))
    return OTHER_GROUP.sub(lambda m: f"{{{m['name']}}}", regex)


def urls_with_ids() -> dict[str, bool]:
    """{path template: is an API view} for every URL with an integer parameter."""
    return {
        template: hasattr(pattern.callback, "cls")
        for template, pattern in _walk(get_resolver())
        if "{id}" in template and "{format}" not in template
    }


def integer_filters() -> list[tuple[str, str]]:
    """(list path, parameter) for every numeric query parameter of the API's GET operations."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (path, parameter["name"])
        for path, operations in schema["paths"].items()
        if "{" not in path and "get" in operations
        for parameter in operations["get"].get("parameters", [])
        if parameter["in"] == "query" and parameter["schema"].get("type") in ("integer", "number")
    ]


def _refusals_for_huge_ids(page, api) -> list[str]:
    wrong = []
    for template, is_api in urls_with_ids().items():
        for huge in HUGE[:2]:
            url = "/" + template.replace("{id}", str(huge)).format(**PATH_VALUES)
            for method in ("get", "post", "put", "patch", "delete") if is_api else ("get", "post"):
                response = getattr(api, method)(url, {}, format="json") if is_api else getattr(page, method)(url)
                if response.status_code not in REFUSALS:
                    wrong.append(f"{method.upper()} {url}: {response.status_code}")
    return wrong


@pytest.fixture
def page(personas, client):
    client.force_login(personas.manager)
    client.raise_request_exception = False
    return client


@pytest.fixture
def api(api_client_for):
    client = api_client_for("manager")
    client.raise_request_exception = False
    return client


def test_a_huge_id_in_any_path_is_a_404_or_a_refusal(draft, page, api):
    assert _refusals_for_huge_ids(page, api) == []


def test_it_finds_the_urls_and_filters_with_ids():
    assert {"drafts/{id}/coauthors/", "api/drafts/{id}/coauthors/", "api/boards/{id}/members/{id}/"} <= set(
        urls_with_ids()
    )
    assert {("/api/invitations/", "board"), ("/api/briefs/", "board"), ("/api/drafts/", "board")} <= set(
        integer_filters()
    )


@pytest.mark.parametrize("huge", HUGE)
def test_a_huge_value_in_any_list_filter_is_a_400_naming_it(huge, draft, api):
    wrong = []
    for path, name in integer_filters():
        response = api.get(path, {name: str(huge)})
        if name in ("page", "page_size"):
            ok = response.status_code in (200, 404)  # DRF: past the last page is 404; a page size is capped
        else:
            ok = response.status_code == 400 and name in response.json()
        if not ok:
            wrong.append(f"GET {path}?{name}={huge}: {response.status_code} {response.content[:120]}")
    assert wrong == []


@pytest.mark.parametrize("huge", HUGE)
def test_a_huge_id_in_a_body_field_is_a_400_naming_it(huge, personas, draft, api):
    response = api.put(f"/api/drafts/{draft.pk}/coauthors/", {"coauthors": [huge]}, format="json")
    assert response.status_code == 400
    as_form = api.put(f"/api/drafts/{draft.pk}/coauthors/", {"coauthors": [huge]}, format="multipart")
    assert as_form.status_code == 400
    assert "coauthors" in as_form.json()
    invitation = api.post("/api/invitations/", {"board": str(huge), "email": "a@example.com"}, format="multipart")
    assert invitation.status_code == 400
    assert "board" in invitation.json()


def test_a_huge_integer_anywhere_in_a_json_body_is_a_400(draft, api):
    response = api.patch(
        f"/api/drafts/{draft.pk}/",
        b'{"title": "T", "extra": {"deep": [92233720368547758080]}}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "out of range" in response.json()["detail"]


@pytest.mark.parametrize("huge", HUGE)
def test_the_coauthors_page_refuses_a_huge_id(huge, draft, page):
    response = page.post(f"/drafts/{draft.pk}/coauthors/", {"coauthors": [str(huge)]})
    assert response.status_code == 400


def test_the_publication_log_page_refuses_a_huge_channel(page):
    assert page.get("/boards/launch/publications/", {"channel": str(2**64)}).status_code == 400
