"""One table (cocreate.errors) maps service errors to HTTP statuses: a page and the API answer the same
error with the same status and message."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path
from rest_framework.decorators import api_view

from cocreate import urls as app_urls
from cocreate.errors import STATUS_BY_ERROR, Conflict, RateLimited, status_for

ERRORS = {
    "fields": ValidationError({"title": ["Give the draft a title."]}),
    "plain": ValidationError("That date is in the past."),
    "forbidden": PermissionDenied("Only the author can do that."),
    "conflict": Conflict("Someone else changed this draft first."),
    "rate-limited": RateLimited("Too many invitations: try again later.", retry_after=120),
}
EXPECTED = {
    "fields": (400, "title: Give the draft a title."),
    "plain": (400, "That date is in the past."),
    "forbidden": (403, "Only the author can do that."),
    "conflict": (409, "Someone else changed this draft first."),
    "rate-limited": (429, "Too many invitations: try again later."),
}


def raise_on_page(request, name):
    raise ERRORS[name]


@api_view(["GET"])
def raise_in_api(request, name):
    raise ERRORS[name]


# The app's own URLs too: the page template links to them.
urlpatterns = [
    path("raise/page/<str:name>/", raise_on_page),
    path("raise/api/<str:name>/", raise_in_api),
    *app_urls.urlpatterns,
]


def _api_message(body) -> str:
    if "detail" in body:
        return " ".join(body["detail"]) if isinstance(body["detail"], list) else body["detail"]
    return " ".join(f"{field}: {message}" for field, messages in body.items() for message in messages)


def test_the_table_gives_every_service_error_a_status():
    assert [status_for(error) for error in ERRORS.values()] == [status for status, _ in EXPECTED.values()]
    assert {status for _, status in STATUS_BY_ERROR} >= {400, 403, 404, 409, 429}


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("name", list(ERRORS))
def test_a_page_and_the_api_answer_the_same_status_and_message(name, personas, web_client_for, api_client_for):
    status, message = EXPECTED[name]
    page = web_client_for("manager").get(f"/raise/page/{name}/")
    api = api_client_for("manager").get(f"/raise/api/{name}/")
    assert (page.status_code, api.status_code) == (status, status)
    assert _api_message(api.json()) == message
    assert message.replace("'", "&#x27;") in page.content.decode()


@pytest.mark.urls(__name__)
def test_a_rate_limit_says_when_to_try_again_on_both(personas, web_client_for, api_client_for):
    page = web_client_for("manager").get("/raise/page/rate-limited/")
    api = api_client_for("manager").get("/raise/api/rate-limited/")
    assert page["Retry-After"] == api["Retry-After"] == "120"


def test_the_invitation_rate_limit_is_a_429_with_its_message_on_the_page_and_in_the_api(
    personas, settings, web_client_for, api_client_for
):
    settings.INVITATION_RATE_LIMIT_PER_HOUR = 1
    cache.clear()
    api = api_client_for("manager")
    body = {"board": personas.board.pk, "email": "first@example.com", "role": "contributor"}
    assert api.post("/api/invitations/", body, format="json").status_code == 201
    refused = api.post("/api/invitations/", {**body, "email": "second@example.com"}, format="json")
    page = web_client_for("manager").post(
        f"/boards/{personas.board.slug}/invitations/", {"email": "third@example.com", "role": "contributor"}
    )
    message = "You can send at most 1 invitations an hour. Try again later."
    assert (refused.status_code, refused.json()["detail"]) == (429, message)
    assert 0 < int(refused["Retry-After"]) <= 3601
    assert page.status_code == 429
    assert message in page.content.decode()
