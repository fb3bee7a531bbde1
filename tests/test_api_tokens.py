"""API tokens die with the password: several per user, each with an expiry, listed and revoked by their owner,
and revoked all at once by a password reset or change and by deactivating the account, however done."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from contributors.profiles.tokens import api_token_create, public_id
from tests.factories import PASSWORD, UserFactory


def sign_in(username: str = "contributor", password: str = PASSWORD) -> tuple[APIClient, dict]:
    response = APIClient().post("/api/auth/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    return client, body


def works(client: APIClient) -> bool:
    return client.get("/api/boards/").status_code == 200


def test_it_issues_a_token_per_sign_in_each_with_an_expiry(personas, settings):
    first, first_body = sign_in()
    second, second_body = sign_in()
    assert first_body["token"] != second_body["token"]
    assert works(first)
    assert works(second)
    expiry = timezone.datetime.fromisoformat(second_body["expiry"])
    assert timedelta(days=29) < expiry - timezone.now() <= settings.REST_KNOX["TOKEN_TTL"]


def test_it_refuses_an_expired_token(personas):
    client, body = sign_in()
    AuthToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/boards/").status_code == 401


def test_it_caps_the_tokens_a_user_holds(personas, settings):
    settings.API_TOKEN_MAX_PER_USER = 2
    sign_in()
    sign_in()
    response = APIClient().post("/api/auth/token/", {"username": "contributor", "password": PASSWORD}, format="json")
    assert response.status_code == 403
    assert "revoke one on your profile page" in response.json()["detail"]


def test_it_revokes_the_token_in_use_on_logout_and_leaves_the_others(personas):
    first, _ = sign_in()
    second, _ = sign_in()
    assert first.post("/api/auth/logout/").status_code == 204
    assert first.get("/api/boards/").status_code == 401
    assert works(second)


def test_it_explains_that_logout_needs_a_token(personas, api_client_for):
    response = api_client_for("contributor").post("/api/auth/logout/")
    assert response.status_code == 400
    assert "not made with an API token" in str(response.json())


def test_it_revokes_every_token_on_logout_all(personas):
    first, _ = sign_in()
    second, _ = sign_in()
    assert first.post("/api/auth/logout-all/").status_code == 204
    assert first.get("/api/boards/").status_code == 401
    assert second.get("/api/boards/").status_code == 401


def test_it_lists_your_own_tokens_without_their_secret(personas):
    client, body = sign_in()
    api_token_create(user=personas.reviewer)
    listed = client.get("/api/auth/tokens/").json()
    assert [t["id"] for t in listed] == [body["id"]]
    assert set(listed[0]) == {"id", "created", "expiry"}
    assert body["token"] not in str(listed)


def test_it_revokes_one_token_by_id_and_not_someone_elses(personas):
    client, body = sign_in()
    other, other_secret = api_token_create(user=personas.reviewer)
    assert client.delete(f"/api/auth/tokens/{public_id(other)}/").status_code == 404
    assert AuthToken.objects.filter(user=personas.reviewer).exists()
    assert client.delete("/api/auth/tokens/not-an-id/").status_code == 400
    assert client.delete(f"/api/auth/tokens/{body['id']}/").status_code == 204
    assert client.get("/api/boards/").status_code == 401


# --- Tokens die with the password -------------------------------------------------------------------------


def test_a_password_reset_revokes_every_token(client, personas):
    api, _ = sign_in()
    client.post("/password-reset/", {"email": "contributor@example.com"})
    link = re.search(r"https?://[^/]+(/password-reset/\S+/\S+/)", mail.outbox[0].body).group(1)
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    new = {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"}
    assert client.post(set_password_url, new).status_code == 302
    assert api.get("/api/boards/").status_code == 401
    assert not AuthToken.objects.filter(user=personas.contributor).exists()


def test_a_password_change_revokes_every_token_and_keeps_the_session(client, personas):
    api, _ = sign_in()
    client.force_login(personas.contributor)
    response = client.post(
        "/password-change/",
        {"old_password": PASSWORD, "new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert response.status_code == 302
    assert api.get("/api/boards/").status_code == 401
    assert client.get("/profile/").status_code == 200


def test_a_password_set_in_a_shell_revokes_every_token(personas):
    api, _ = sign_in()
    user = get_user_model().objects.get(username="contributor")
    user.set_password("another-long-passphrase")
    user.save()
    assert api.get("/api/boards/").status_code == 401


@pytest.mark.parametrize("how", ["save", "save-update-fields"])
def test_deactivating_a_user_revokes_every_token_for_good(personas, how):
    api, _ = sign_in()
    user = get_user_model().objects.get(username="contributor")
    user.is_active = False
    user.save(update_fields=["is_active"] if how == "save-update-fields" else None)
    assert not AuthToken.objects.filter(user=user).exists()
    user.is_active = True
    user.save()
    assert api.get("/api/boards/").status_code == 401


def test_deactivating_a_user_in_the_admin_revokes_every_token(client, personas):
    api, _ = sign_in()
    contributor = personas.contributor
    client.force_login(personas.admin)
    page = client.get(f"/admin/contributors/user/{contributor.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update({"is_active": "", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"})
    data = {k: v for k, v in data.items() if not isinstance(v, list | tuple) and k not in {"groups", "last_login"}}
    response = client.post(f"/admin/contributors/user/{contributor.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    contributor.refresh_from_db()
    assert not contributor.is_active
    assert not AuthToken.objects.filter(user=contributor).exists()
    assert api.get("/api/boards/").status_code == 401


def test_saving_an_active_user_keeps_their_tokens(personas):
    api, _ = sign_in()
    personas.contributor.display_name = "Someone"
    personas.contributor.save()
    assert works(api)


# --- The profile page --------------------------------------------------------------------------------------


def test_the_profile_page_lists_your_tokens_without_the_secret(client, personas):
    _, body = sign_in()
    api_token_create(user=personas.reviewer)
    client.force_login(personas.contributor)
    page = client.get("/profile/").content.decode()
    assert f"/profile/tokens/{body['id']}/revoke/" in page
    assert body["token"] not in page
    assert page.count("/revoke/") == 1


def test_the_profile_page_revokes_one_token_after_confirming(client, personas):
    api, body = sign_in()
    kept, _ = sign_in()
    client.force_login(personas.contributor)
    url = f"/profile/tokens/{body['id']}/revoke/"
    confirm = client.get(url)
    assert "Revoke this API token?" in confirm.content.decode()
    assert works(api)  # asking is not revoking
    assert client.post(url).status_code == 302
    assert api.get("/api/boards/").status_code == 401
    assert works(kept)
    assert client.post(url).status_code == 404


def test_the_profile_page_revokes_all_tokens_after_confirming(client, personas):
    first, _ = sign_in()
    second, _ = sign_in()
    client.force_login(personas.contributor)
    confirm = client.get("/profile/tokens/revoke-all/").content.decode()
    assert "Revoke all your API tokens?" in confirm
    assert "You hold 2 tokens" in confirm
    response = client.post("/profile/tokens/revoke-all/", follow=True)
    assert "2 API tokens revoked." in response.content.decode()
    assert first.get("/api/boards/").status_code == 401
    assert second.get("/api/boards/").status_code == 401


def test_another_users_token_cannot_be_revoked_from_the_profile_page(client, personas):
    other, _ = api_token_create(user=personas.reviewer)
    client.force_login(personas.contributor)
    assert client.get(f"/profile/tokens/{public_id(other)}/revoke/").status_code == 404
    assert client.post(f"/profile/tokens/{public_id(other)}/revoke/").status_code == 404
    assert AuthToken.objects.filter(user=personas.reviewer).exists()


def _count_queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/profile/", "/api/auth/tokens/"])
def test_the_token_list_costs_the_same_queries_for_one_token_or_ten(client, personas, url):
    user = UserFactory(username="many")
    client.force_login(user)
    api_token_create(user=user)
    one = _count_queries(client, url)
    for _ in range(9):
        api_token_create(user=user)
    assert _count_queries(client, url) == one
