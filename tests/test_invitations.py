"""Invitations end to end: pages, API, e-mail, admin and the links that must grant nothing."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contributors.invitations import services
from contributors.invitations.demo import load_demo
from contributors.invitations.models import Invitation, InvitationStatus
from contributors.invitations.selectors import invitation_token
from contributors.models import RoleChange, User
from contributors.permissions import board_role
from contributors.services import board_role_grant, board_role_revoke
from tests.factories import PASSWORD, UserFactory

NEWCOMER = {"name": "Gina Guest", "password": "a-long-unusual-passphrase-42"}
LINK = re.compile(r"http://testserver(/invitations/accept/[^/\s]+/)")


@pytest.fixture
def invite(personas, django_capture_on_commit_callbacks):
    """Invite through the page as the manager; returns the path of the e-mailed link."""

    def _invite(email="gina@example.com", role="contributor", client=None, **extra):
        if client is None:
            client = Client()
            client.force_login(personas.manager)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("invitation-list", args=[personas.board.slug]),
                {"email": email, "role": role, "message": "Write with us!", **extra},
            )
        return response

    return _invite


def last_link(mailoutbox) -> str:
    return LINK.search(mailoutbox[-1].body).group(1)


def fresh_role(user, board):
    return board_role(User.objects.get(pk=user.pk), board)


# --- Inviting and accepting through the pages ------------------------------------------------------------


def test_it_emails_a_link_with_which_a_newcomer_creates_an_account_and_joins(personas, invite, client, mailoutbox):
    response = invite(role="reviewer")
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["gina@example.com"]
    assert "Write with us!" in mailoutbox[0].body
    link = last_link(mailoutbox)

    assert "Create your account" in client.get(link).content.decode()
    response = client.post(link, NEWCOMER)

    assert response.status_code == 200
    assert "Welcome, Gina Guest" in response.content.decode()
    gina = User.objects.get(email="gina@example.com")
    assert gina.username == "gina@example.com"
    assert gina.check_password(NEWCOMER["password"])
    assert fresh_role(gina, personas.board) == "reviewer"
    change = RoleChange.objects.get(user=gina)
    assert change.actor == personas.manager
    assert change.new_role == "reviewer"
    invitation = Invitation.objects.get()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.accepted_by == gina
    assert client.get(reverse("board-detail", args=[personas.board.slug])).status_code == 200  # signed in


def test_it_lets_an_existing_user_log_in_and_accept(personas, invite, client, mailoutbox):
    invite(email=personas.outsider.email)
    link = last_link(mailoutbox)
    assert "log in" in client.get(link).content.decode()

    client.post(reverse("login"), {"username": personas.outsider.username, "password": PASSWORD})
    response = client.post(link)

    assert response.status_code == 302
    assert response["Location"] == reverse("board-detail", args=[personas.board.slug])
    assert fresh_role(personas.outsider, personas.board) == "contributor"


def test_it_refuses_to_create_a_second_account_for_a_known_address(personas, invite, client, mailoutbox):
    invite(email=personas.outsider.email)
    response = client.post(last_link(mailoutbox), NEWCOMER)
    assert response.status_code == 400
    assert "You already have an account" in response.content.decode()
    assert User.objects.filter(email=personas.outsider.email).count() == 1
    assert Invitation.objects.get().status == InvitationStatus.PENDING


def test_it_rejects_a_weak_password_and_creates_nobody(personas, invite, client, mailoutbox):
    invite()
    response = client.post(last_link(mailoutbox), {"name": "Gina", "password": "123"})
    assert response.status_code == 400
    assert not User.objects.filter(email="gina@example.com").exists()
    assert Invitation.objects.get().status == InvitationStatus.PENDING


def test_it_never_lowers_the_role_of_someone_who_accepts(personas, invite, client, mailoutbox):
    invite(email=personas.outsider.email, role="contributor")
    board_role_grant(board=personas.board, user=personas.outsider, role="reviewer", actor=personas.manager)
    client.force_login(personas.outsider)
    assert client.post(last_link(mailoutbox)).status_code == 302
    assert fresh_role(personas.outsider, personas.board) == "reviewer"


def test_it_refuses_an_invitation_to_someone_already_on_the_board(personas, invite, mailoutbox):
    response = invite(email=personas.contributor.email)
    assert response.status_code == 400
    assert "already has a role" in response.content.decode()
    assert mailoutbox == []
    assert not Invitation.objects.exists()


def test_it_links_the_invitations_page_from_the_board_for_managers_only(personas, web_client_for):
    url = reverse("board-detail", args=[personas.board.slug])
    link = f'href="{reverse("invitation-list", args=[personas.board.slug])}"'
    assert link in web_client_for("manager").get(url).content.decode()
    assert link not in web_client_for("reviewer").get(url).content.decode()


def test_it_lists_every_status_on_the_invitations_page(personas, invite, web_client_for):
    for email in ("a@example.com", "b@example.com", "c@example.com", "d@example.com"):
        invite(email=email)
    Invitation.objects.filter(email="b@example.com").update(expires_at=timezone.now() - timedelta(minutes=1))
    services.invitation_revoke(invitation=Invitation.objects.get(email="c@example.com"), actor=personas.manager)
    d = Invitation.objects.get(email="d@example.com")
    services.invitation_accept(token=invitation_token(d), user=UserFactory(email="d@example.com"))

    page = web_client_for("manager").get(reverse("invitation-list", args=[personas.board.slug])).content.decode()

    for status in ("pending", "expired", "revoked", "accepted"):
        assert f"invitation-{status}" in page


# --- Links that must grant nothing -------------------------------------------------------------------------


def test_it_refuses_a_reused_link(personas, invite, client, mailoutbox):
    invite()
    link = last_link(mailoutbox)
    client.post(link, NEWCOMER)
    client.logout()

    response = client.post(link, {"name": "Mallory", "password": "another-long-passphrase-7"})
    assert response.status_code == 409
    assert "already been used" in response.content.decode()

    client.force_login(personas.outsider)
    assert client.post(link).status_code == 409
    assert fresh_role(personas.outsider, personas.board) is None


def test_it_refuses_an_expired_link(personas, invite, client, mailoutbox):
    invite()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(personas.outsider)

    response = client.post(last_link(mailoutbox))

    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert fresh_role(personas.outsider, personas.board) is None
    assert Invitation.objects.get().status == InvitationStatus.PENDING


def test_it_refuses_a_revoked_link(personas, invite, client, web_client_for, mailoutbox):
    invite()
    link = last_link(mailoutbox)
    manager = web_client_for("manager")
    response = manager.post(reverse("invitation-revoke", args=[personas.board.slug, Invitation.objects.get().pk]))
    assert response.status_code == 302
    manager.logout()

    response = client.get(link)
    assert response.status_code == 400
    assert "withdrawn" in response.content.decode()
    assert client.post(link, NEWCOMER).status_code == 400
    assert not User.objects.filter(email="gina@example.com").exists()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token.replace(token.split(":")[0], token.split(":")[0][::-1]),
        lambda token: "not-a-token",
    ],
)
def test_it_refuses_a_tampered_link(personas, invite, client, mailoutbox, tamper):
    invite()
    token = last_link(mailoutbox).split("/")[-2]
    link = reverse("invitation-accept", args=[tamper(token)])

    assert client.get(link).status_code == 400
    response = client.post(link, NEWCOMER)
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert not User.objects.filter(email="gina@example.com").exists()


def test_it_refuses_a_signed_token_for_another_invitation_nonce(personas, invite, client, mailoutbox):
    invite()
    invitation = Invitation.objects.get()
    invitation.nonce = "guessed"
    forged = invitation_token(invitation)  # correctly signed, but not the nonce of the e-mailed link
    client.force_login(personas.outsider)
    assert client.post(reverse("invitation-accept", args=[forged])).status_code == 400
    assert fresh_role(personas.outsider, personas.board) is None


def test_it_refuses_when_the_inviter_is_no_longer_a_manager(personas, invite, client, mailoutbox):
    invite()
    board_role_revoke(board=personas.board, user=personas.manager)
    client.force_login(personas.outsider)
    response = client.post(last_link(mailoutbox))
    assert response.status_code == 403
    assert fresh_role(personas.outsider, personas.board) is None
    assert Invitation.objects.get().status == InvitationStatus.PENDING


# --- Resending, refreshing and the rate limit --------------------------------------------------------------


def test_it_refreshes_the_open_invitation_when_the_same_address_is_invited_again(personas, invite, mailoutbox):
    invite(role="contributor")
    first = Invitation.objects.get()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(days=1))
    old_link = last_link(mailoutbox)

    invite(email="GINA@example.com", role="reviewer")

    again = Invitation.objects.get()
    assert again.pk == first.pk
    assert again.role == "reviewer"
    assert again.expires_at > timezone.now() + timedelta(days=6)
    assert len(mailoutbox) == 2
    assert last_link(mailoutbox) != old_link


def test_it_resends_with_a_new_link_and_the_old_one_stops_working(
    personas, invite, client, web_client_for, mailoutbox, django_capture_on_commit_callbacks
):
    invite()
    old_link = last_link(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = web_client_for("manager").post(
            reverse("invitation-resend", args=[personas.board.slug, Invitation.objects.get().pk])
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 2
    new_link = last_link(mailoutbox)
    client.logout()

    assert client.post(old_link, NEWCOMER).status_code == 400
    assert client.post(new_link, NEWCOMER).status_code == 200
    assert Invitation.objects.get().send_count == 2


def test_it_sends_each_link_once_even_when_the_task_runs_twice(personas, mailoutbox):
    invitation = services.invitation_create(
        board=personas.board,
        email="gina@example.com",
        role="contributor",
        inviter=personas.manager,
        site_url="http://testserver/",
    )
    assert services.invitation_send(invitation_id=invitation.pk, nonce=invitation.nonce, site_url="http://x/")
    assert not services.invitation_send(invitation_id=invitation.pk, nonce=invitation.nonce, site_url="http://x/")
    assert len(mailoutbox) == 1


def test_it_limits_how_many_invitations_a_manager_sends_an_hour(personas, invite, settings, api_client_for, mailoutbox):
    settings.INVITATION_RATE_LIMIT_PER_HOUR = 2
    assert invite(email="a@example.com").status_code == 302
    assert invite(email="b@example.com").status_code == 302

    response = invite(email="c@example.com")

    assert response.status_code == 429
    assert "at most 2 invitations an hour" in response.content.decode()
    api = api_client_for("manager")
    response = api.post("/api/invitations/", {"board": personas.board.pk, "email": "d@example.com"}, format="json")
    assert response.status_code == 429
    assert set(Invitation.objects.values_list("email", flat=True)) == {"a@example.com", "b@example.com"}
    assert len(mailoutbox) == 2
    # The limit is per inviter: the admin may still invite.
    admin = api_client_for("admin")
    response = admin.post("/api/invitations/", {"board": personas.board.pk, "email": "e@example.com"}, format="json")
    assert response.status_code == 201


# --- Who may invite -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [("contributor", 403), ("reviewer", 403), ("outsider", 404)])
def test_it_lets_only_managers_invite(personas, web_client_for, api_client_for, mailoutbox, persona, status):
    page = web_client_for(persona).post(
        reverse("invitation-list", args=[personas.board.slug]), {"email": "x@example.com", "role": "contributor"}
    )
    api = api_client_for(persona).post(
        "/api/invitations/", {"board": personas.board.pk, "email": "x@example.com"}, format="json"
    )
    assert (page.status_code, api.status_code) == (status, status)
    assert not Invitation.objects.exists()
    assert mailoutbox == []


# --- API ------------------------------------------------------------------------------------------------------


def test_it_creates_lists_resends_and_revokes_through_the_api(
    personas, api_client_for, mailoutbox, django_capture_on_commit_callbacks
):
    api = api_client_for("manager")
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            "/api/invitations/",
            {"board": personas.board.pk, "email": "gina@example.com", "role": "reviewer", "message": "Hi"},
            format="json",
        )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "pending"
    assert created.json()["inviter"] == "manager"
    pk = created.json()["id"]
    assert len(mailoutbox) == 1

    listed = api.get(f"/api/invitations/?board={personas.board.pk}").json()["results"]
    assert [item["id"] for item in listed] == [pk]
    assert api_client_for("contributor").get("/api/invitations/").json()["results"] == []

    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"/api/invitations/{pk}/resend/").status_code == 200
    assert len(mailoutbox) == 2

    revoked = api.post(f"/api/invitations/{pk}/revoke/")
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"
    assert api.post(f"/api/invitations/{pk}/revoke/").status_code == 409
    assert api.post(f"/api/invitations/{pk}/resend/").status_code == 409
    assert api.get(f"/api/invitations/{pk}/").json()["status"] == "revoked"


def test_it_accepts_by_token_through_the_api(personas, api_client_for):
    invitation = services.invitation_create(
        board=personas.board,
        email=personas.outsider.email,
        role="reviewer",
        inviter=personas.manager,
        site_url="http://t/",
    )
    token = invitation_token(invitation)
    api = api_client_for("outsider")

    response = api.post("/api/invitations/accept/", {"token": token}, format="json")

    assert response.status_code == 200
    assert response.json()["invitation"]["status"] == "accepted"
    assert fresh_role(personas.outsider, personas.board) == "reviewer"
    assert api.post("/api/invitations/accept/", {"token": token}, format="json").status_code == 409


def test_it_creates_an_account_through_the_api_and_returns_a_token(personas, api_client_for):
    invitation = services.invitation_create(
        board=personas.board,
        email="new@example.com",
        role="contributor",
        inviter=personas.manager,
        site_url="http://t/",
    )
    anonymous = api_client_for("anonymous")
    token = invitation_token(invitation)
    assert anonymous.post("/api/invitations/accept/", {"token": token}, format="json").status_code == 400

    response = anonymous.post("/api/invitations/accept/", {"token": token, **NEWCOMER}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["username"] == "new@example.com"
    boards = api_client_for("anonymous")
    boards.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert [b["id"] for b in boards.get("/api/boards/").json()["results"]] == [personas.board.pk]


@pytest.mark.parametrize("spoil", ["tamper", "expire", "revoke"])
def test_it_refuses_bad_tokens_through_the_api(personas, api_client_for, spoil):
    invitation = services.invitation_create(
        board=personas.board,
        email="x@example.com",
        role="contributor",
        inviter=personas.manager,
        site_url="http://t/",
    )
    token = invitation_token(invitation)
    if spoil == "tamper":
        token = token[:-1] + ("A" if token[-1] != "A" else "B")
    elif spoil == "expire":
        Invitation.objects.update(expires_at=timezone.now())
    else:
        services.invitation_revoke(invitation=invitation, actor=personas.manager)

    response = api_client_for("outsider").post("/api/invitations/accept/", {"token": token}, format="json")

    assert response.status_code == 400
    assert fresh_role(personas.outsider, personas.board) is None


def test_it_lets_only_one_of_two_accepts_of_the_same_link_win(personas):
    invitation = services.invitation_create(
        board=personas.board,
        email="x@example.com",
        role="contributor",
        inviter=personas.manager,
        site_url="http://t/",
    )
    token = invitation_token(invitation)
    services.invitation_accept(token=token, user=UserFactory(email="x@example.com"))
    second = UserFactory(email="X@Example.com")
    with pytest.raises(services.Conflict):
        services.invitation_accept(token=token, user=second)
    assert fresh_role(second, personas.board) is None
    assert Invitation.objects.filter(status=InvitationStatus.ACCEPTED).count() == 1


# --- Admin and demo -------------------------------------------------------------------------------------------


def test_it_revokes_from_the_admin_through_the_service(personas, web_client_for):
    invitation = services.invitation_create(
        board=personas.board,
        email="x@example.com",
        role="contributor",
        inviter=personas.manager,
        site_url="http://t/",
    )
    admin = web_client_for("admin")
    changelist = reverse("admin:invitations_invitation_changelist")
    assert admin.get(changelist).status_code == 200
    assert admin.get(reverse("admin:invitations_invitation_change", args=[invitation.pk])).status_code == 200

    response = admin.post(changelist, {"action": "revoke", "_selected_action": [invitation.pk]})

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    assert invitation.revoked_by == personas.admin


def test_it_loads_the_demo_invitations_once(personas, django_capture_on_commit_callbacks):
    alice = personas.contributor
    users = {"manager": personas.manager, "alice": alice}
    with django_capture_on_commit_callbacks(execute=True):
        load_demo(boards={"launch": personas.board}, users=users)
        load_demo(boards={"launch": personas.board}, users=users)
    statuses = sorted(Invitation.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "pending"]


def test_it_takes_the_expiry_from_the_settings(personas, settings):
    settings.INVITATION_EXPIRY_DAYS = 2
    invitation = services.invitation_create(
        board=personas.board, email="x@example.com", role="contributor", inviter=personas.manager, site_url="http://t/"
    )
    assert timedelta(days=2) - timedelta(minutes=1) < invitation.expires_at - timezone.now() <= timedelta(days=2)


@pytest.mark.parametrize("url", ["page", "api"])
def test_it_lists_invitations_in_a_fixed_number_of_queries(personas, web_client_for, api_client_for, url):
    client = web_client_for("manager") if url == "page" else api_client_for("manager")
    path = reverse("invitation-list", args=[personas.board.slug]) if url == "page" else "/api/invitations/"

    def queries_for(count: int) -> int:
        for n in range(Invitation.objects.count(), count):
            invitation = services.invitation_create(
                board=personas.board,
                email=f"p{n}@example.com",
                role="contributor",
                inviter=personas.manager,
                site_url="http://t/",
            )
            if n % 2:
                services.invitation_accept(
                    token=invitation_token(invitation), user=UserFactory(email=f"p{n}@example.com")
                )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    client.get(path)  # the first request of a session loads more (session, last login)
    assert queries_for(2) == queries_for(8)
