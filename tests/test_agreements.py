"""Agreements (NDAs, contracts) and the access gate, through pages, API, admin, services and beat."""

import csv
import hashlib
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contributors.agreements import services
from contributors.agreements.gate import gated_board_ids, is_gated
from contributors.agreements.models import Acceptance, AgreementVersion
from contributors.agreements.tasks import send_agreement_expiry_reminders
from contributors.models import Board, User
from contributors.services import board_role_grant
from drafts import gates
from drafts.models import Draft, DraftEvent
from tests.factories import BoardFactory, member

NDA_BODY = "Keep **everything** about the launch secret."


def days(n: int):
    return timezone.localdate() + timedelta(days=n)


def publish(agreement, body: str = NDA_BODY, effective_in: int = -1) -> AgreementVersion:
    return services.agreement_version_publish(
        agreement=agreement, body=body, effective_on=days(effective_in), actor=None
    )


@pytest.fixture
def nda(personas):
    """The Launch NDA, required of the board's contributors (not of reviewers or managers), version 1 in force."""
    agreement = services.agreement_create(title="Launch NDA", actor=personas.admin)
    services.agreement_require(agreement=agreement, board=personas.board, role="contributor", actor=personas.admin)
    publish(agreement)
    return agreement


def accept(agreement, user, **extra):
    return services.agreement_accept(agreement=agreement, user=user, signature="Connie Contributor", **extra)


# --- The gate ---------------------------------------------------------------------------------------------


def test_it_gates_nothing_when_no_agreement_is_configured(personas, draft, web_client_for):
    with CaptureQueriesContext(connection) as queries:
        assert gated_board_ids(personas.contributor) == set()
    assert len(queries.captured_queries) == 1
    assert web_client_for("contributor").get("/boards/launch/").status_code == 200


def test_it_shows_a_gated_contributor_only_the_agreement_page(personas, draft, nda, web_client_for, api_client_for):
    client = web_client_for("contributor")
    response = client.get("/boards/launch/")
    assert response.status_code == 302
    assert response["Location"] == f"/agreements/{nda.pk}/?next=%2Fboards%2Flaunch%2F"
    page = client.get("/boards/launch/agreements/").content.decode()
    assert "Launch NDA" in page
    assert "To accept" in page
    refused_draft = client.post("/boards/launch/drafts/new/", {"title": "Sneaky"})
    assert refused_draft.status_code == 403
    assert "Launch NDA" in refused_draft.content.decode()
    refused = client.get(f"/drafts/{draft.pk}/")
    assert refused.status_code == 302
    assert refused["Location"] == f"/agreements/{nda.pk}/?next=%2Fdrafts%2F{draft.pk}%2F"

    api = api_client_for("contributor")
    assert api.get("/api/drafts/").json()["count"] == 0
    assert api.get(f"/api/drafts/{draft.pk}/").status_code == 403
    created = api.post("/api/drafts/", {"board": personas.board.pk, "title": "Sneaky"}, format="json")
    assert created.status_code == 403
    assert "Launch NDA" in created.json()["detail"]
    assert not Draft.objects.filter(title="Sneaky").exists()


def test_it_gates_only_the_roles_the_board_requires_it_of(personas, draft, nda, web_client_for):
    assert gated_board_ids(personas.contributor) == {personas.board.pk}
    assert gated_board_ids(personas.reviewer) == set()
    assert gated_board_ids(personas.admin) == set()
    assert gated_board_ids(personas.outsider) == set()
    assert web_client_for("reviewer").get("/boards/launch/").status_code == 200


def test_it_refuses_the_submit_naming_the_agreement(personas, draft, nda, api_client_for):
    # The registered submit check itself refuses, naming the agreement and its version.
    with pytest.raises(PermissionDenied, match=r"Launch NDA.*version 1"):
        gates.run_submit_checks(draft=draft, actor=personas.contributor)

    response = api_client_for("contributor").post(f"/api/drafts/{draft.pk}/transitions/submit/", {}, format="json")
    assert response.status_code == 403
    assert "Launch NDA" in response.json()["detail"]
    draft.refresh_from_db()
    assert draft.state == "draft"
    assert not DraftEvent.objects.filter(draft=draft, transition="submit").exists()


def test_it_records_the_agreement_versions_in_force_on_the_submit_event(personas, draft, nda, api_client_for):
    accept(nda, personas.contributor)
    response = api_client_for("contributor").post(f"/api/drafts/{draft.pk}/transitions/submit/", {}, format="json")
    assert response.status_code == 200, response.content
    event = DraftEvent.objects.get(draft=draft, transition="submit")
    [recorded] = event.data["agreements"]
    assert recorded["id"] == nda.pk
    assert recorded["version"] == 1
    assert recorded["sha256"] == hashlib.sha256(NDA_BODY.encode()).hexdigest()


# --- Accepting --------------------------------------------------------------------------------------------


def test_it_records_who_signed_which_exact_version_and_from_where(personas, draft, nda, web_client_for):
    client = web_client_for("contributor")
    response = client.post(
        f"/agreements/{nda.pk}/accept/",
        {"signature": "  Connie   Contributor ", "version": 1},
        HTTP_USER_AGENT="Firefox/140",
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302
    acceptance = Acceptance.objects.get()
    assert acceptance.user == personas.contributor
    assert acceptance.version_number == 1
    assert acceptance.sha256 == hashlib.sha256(NDA_BODY.encode()).hexdigest()
    assert acceptance.signature == "Connie Contributor"
    assert acceptance.ip_address == "203.0.113.7"
    assert acceptance.user_agent == "Firefox/140"
    assert abs(acceptance.accepted_at - timezone.now()) < timedelta(minutes=1)
    assert client.get("/boards/launch/").status_code == 200
    assert draft.title in client.get("/boards/launch/").content.decode()


def test_it_refuses_an_acceptance_without_a_signature(personas, nda, web_client_for, api_client_for):
    response = web_client_for("contributor").post(f"/agreements/{nda.pk}/accept/", {"signature": "", "version": 1})
    assert response.status_code == 400
    api = api_client_for("contributor")
    missing = api.post(f"/api/agreements/{nda.pk}/accept/", {}, format="json")
    assert missing.status_code == 400
    assert "signature" in missing.json()
    blank = api.post(f"/api/agreements/{nda.pk}/accept/", {"signature": " x "}, format="json")
    assert blank.status_code == 400
    assert Acceptance.objects.count() == 0
    assert is_gated(personas.contributor, personas.board)


def test_it_makes_everybody_accept_a_new_version_again(personas, nda, api_client_for):
    api = api_client_for("contributor")
    assert api.post(f"/api/agreements/{nda.pk}/accept/", {"signature": "Connie C", "version": 1}).status_code == 201
    assert not is_gated(personas.contributor, personas.board)

    publish(nda, body="Version two: also keep the price secret.", effective_in=0)
    assert is_gated(personas.contributor, personas.board)
    detail = api.get(f"/api/agreements/{nda.pk}/").json()
    assert detail["current_version"]["number"] == 2
    assert detail["accepted"] is False
    assert detail["required_on_boards"] == [personas.board.pk]
    # Signing the text you read, when a newer one is in force, is refused.
    stale = api.post(f"/api/agreements/{nda.pk}/accept/", {"signature": "Connie C", "version": 1}, format="json")
    assert stale.status_code == 409
    fresh = api.post(f"/api/agreements/{nda.pk}/accept/", {"signature": "Connie C", "version": 2}, format="json")
    assert fresh.status_code == 201
    assert fresh.json()["version"] == 2
    assert not is_gated(personas.contributor, personas.board)


def test_it_waits_for_a_new_versions_effective_date(personas, nda):
    accept(nda, personas.contributor)
    publish(nda, body="Next month's version.", effective_in=30)
    assert not is_gated(personas.contributor, personas.board)
    assert Acceptance.objects.get().version_number == 1


def test_it_records_an_acceptance_once(personas, nda):
    first = accept(nda, personas.contributor)
    again = accept(nda, personas.contributor)
    assert again.pk == first.pk
    assert Acceptance.objects.count() == 1


def test_it_lists_agreements_for_the_user_only(personas, nda, api_client_for):
    mine = api_client_for("contributor").get("/api/agreements/").json()["results"]
    assert [(a["id"], a["accepted"], a["required_on_boards"]) for a in mine] == [(nda.pk, False, [personas.board.pk])]
    reviewer = api_client_for("reviewer").get("/api/agreements/").json()["results"]
    assert [(a["id"], a["required_on_boards"]) for a in reviewer] == [(nda.pk, [])]
    assert api_client_for("outsider").get("/api/agreements/").json()["results"] == []
    assert api_client_for("outsider").get(f"/api/agreements/{nda.pk}/").status_code == 404


# --- Contracts that run out -------------------------------------------------------------------------------


def test_it_ends_access_when_the_contract_runs_out(personas, draft, nda, web_client_for, api_client_for):
    accept(nda, personas.contributor)
    services.agreement_update(agreement=nda, title=nda.title, ends_on=days(1), actor=personas.admin)
    assert not is_gated(personas.contributor, personas.board)

    services.agreement_update(agreement=nda, title=nda.title, ends_on=days(0), actor=personas.admin)
    assert is_gated(personas.contributor, personas.board)
    client = web_client_for("contributor")
    assert client.get("/boards/launch/")["Location"] == f"/agreements/{nda.pk}/?next=%2Fboards%2Flaunch%2F"
    assert "ended on" in client.get(f"/agreements/{nda.pk}/").content.decode()
    assert "ended on" in client.get("/boards/launch/agreements/").content.decode()
    api = api_client_for("contributor")
    assert api.get("/api/agreements/").json()["results"][0]["expired"] is True
    assert api.post(f"/api/agreements/{nda.pk}/accept/", {"signature": "Connie C"}, format="json").status_code == 409
    with pytest.raises(PermissionDenied, match="Launch NDA.*ended"):
        gates.run_submit_checks(draft=draft, actor=personas.contributor)


def test_it_emails_contributors_and_managers_before_the_contract_ends(personas, nda):
    accept(nda, personas.contributor)
    services.agreement_update(agreement=nda, title=nda.title, ends_on=days(30), actor=personas.admin)
    send_agreement_expiry_reminders.delay()
    assert mail.outbox == []

    services.agreement_update(agreement=nda, title=nda.title, ends_on=days(10), actor=personas.admin)
    send_agreement_expiry_reminders.delay()
    assert sorted(m.to[0] for m in mail.outbox) == [personas.contributor.email, personas.manager.email]
    assert "Launch NDA" in mail.outbox[0].subject

    send_agreement_expiry_reminders.delay()
    assert len(mail.outbox) == 2  # once per end date

    services.agreement_update(agreement=nda, title=nda.title, ends_on=days(12), actor=personas.admin)
    send_agreement_expiry_reminders.delay()
    assert len(mail.outbox) == 4  # a moved end date is announced again


# --- Evidence: immutable acceptances, reports, copies -----------------------------------------------------


def test_it_never_changes_or_deletes_an_acceptance(personas, nda, web_client_for):
    acceptance = accept(nda, personas.contributor)
    acceptance.signature = "Someone Else"
    with pytest.raises(ValidationError):
        acceptance.save()
    with pytest.raises(ValidationError):
        acceptance.delete()
    with pytest.raises(ValidationError):
        Acceptance.objects.all().delete()
    with pytest.raises(ValidationError):
        Acceptance.objects.update(signature="Forged")
    admin = web_client_for("admin")
    assert admin.post(f"/admin/agreements/acceptance/{acceptance.pk}/delete/", {"post": "yes"}).status_code == 403
    admin.post(f"/admin/agreements/acceptance/{acceptance.pk}/change/", {"signature": "Forged"})
    assert Acceptance.objects.get().signature == "Connie Contributor"
    assert admin.get("/admin/agreements/acceptance/add/").status_code == 403


def test_it_exports_who_accepted_which_version_as_csv(personas, nda, web_client_for):
    second = member(personas.board, "contributor", username="second")
    services.agreement_accept(agreement=nda, user=personas.contributor, signature="=HYPERLINK(evil)")
    publish(nda, body="Version two.", effective_in=0)

    response = web_client_for("admin").get(f"/agreements/{nda.pk}/acceptances.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    statuses = {(r["username"], r["status"], r["version"]) for r in rows}
    assert statuses == {
        ("contributor", "accepted an older version", "1"),
        ("contributor", "not accepted", ""),
        (second.username, "not accepted", ""),
    }
    signed = next(r for r in rows if r["version"] == "1")
    assert signed["signature"] == "'=HYPERLINK(evil)"  # no formula when opened in a spreadsheet
    assert "contributor on Launch" in signed["roles"]
    page = web_client_for("admin").get(f"/agreements/{nda.pk}/acceptances/").content.decode()
    assert "Not signed" in page
    assert second.username in page


def test_it_shows_acceptances_to_site_admins_and_the_boards_managers_only(personas, nda, api_client_for):
    accept(nda, personas.contributor)
    assert api_client_for("reviewer").get(f"/api/agreements/{nda.pk}/acceptances/").status_code == 403
    assert api_client_for("manager").get(f"/api/agreements/{nda.pk}/acceptances/").status_code == 200
    results = api_client_for("admin").get(f"/api/agreements/{nda.pk}/acceptances/").json()["results"]
    assert [(r["username"], r["version"], r["signature"]) for r in results] == [
        ("contributor", 1, "Connie Contributor")
    ]


def test_it_gives_a_signer_a_copy_of_what_they_signed(personas, nda, web_client_for):
    acceptance = accept(nda, personas.contributor, ip_address="198.51.100.4")
    response = web_client_for("contributor").get(f"/acceptances/{acceptance.pk}/copy/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert NDA_BODY in text
    assert "Connie Contributor" in text
    assert "198.51.100.4" in text
    assert acceptance.sha256 in text
    assert web_client_for("reviewer").get(f"/acceptances/{acceptance.pk}/copy/").status_code == 404


# --- PDFs and the admin -----------------------------------------------------------------------------------


def test_it_hashes_an_uploaded_pdf_and_serves_it_to_members(personas, web_client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf_bytes = b"%PDF-1.4\n% a tiny contract\n%%EOF\n"
    contract = services.agreement_create(title="Freelance contract", actor=personas.admin)
    services.agreement_require(agreement=contract, board=personas.board, role="contributor", actor=personas.admin)
    version = services.agreement_version_publish(
        agreement=contract,
        pdf=SimpleUploadedFile("contract.pdf", pdf_bytes, content_type="application/pdf"),
        effective_on=days(0),
        actor=personas.admin,
    )
    assert version.sha256 == hashlib.sha256(pdf_bytes).hexdigest()
    response = web_client_for("contributor").get(f"/agreements/{contract.pk}/document/")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf_bytes

    with pytest.raises(ValidationError, match="not a PDF"):
        services.agreement_version_publish(
            agreement=contract,
            pdf=SimpleUploadedFile("contract.pdf", b"MZ not a pdf"),
            effective_on=days(0),
            actor=personas.admin,
        )
    with pytest.raises(ValidationError, match="either"):
        services.agreement_version_publish(agreement=contract, effective_on=days(0), actor=personas.admin)


def test_it_lets_only_site_admins_and_the_boards_managers_publish_versions(personas, nda):
    for user in (personas.reviewer, personas.contributor, personas.outsider):
        with pytest.raises(PermissionDenied):
            services.agreement_version_publish(agreement=nda, body="Mine now.", effective_on=days(0), actor=user)
    assert nda.versions.count() == 1
    services.agreement_version_publish(agreement=nda, body="Ours now.", effective_on=days(0), actor=personas.manager)
    assert nda.versions.count() == 2


def test_it_publishes_a_version_through_the_admin(personas, nda, web_client_for):
    response = web_client_for("admin").post(
        "/admin/agreements/agreementversion/add/",
        {"agreement": nda.pk, "body": "Version two, from the admin.", "effective_on": days(0).isoformat()},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    version = nda.versions.get(number=2)
    assert version.sha256 == hashlib.sha256(b"Version two, from the admin.").hexdigest()
    assert version.created_by == personas.admin
    assert is_gated(personas.contributor, personas.board)


def test_it_creates_an_agreement_with_its_requirements_in_the_admin(personas, web_client_for):
    response = web_client_for("admin").post(
        "/admin/agreements/agreement/add/",
        {
            "title": "Community code of conduct",
            "ends_on": "",
            "requirements-TOTAL_FORMS": "1",
            "requirements-INITIAL_FORMS": "0",
            "requirements-0-board": personas.board.pk,
            "requirements-0-role": "reviewer",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    agreement = personas.board.agreement_requirements.get().agreement
    assert agreement.title == "Community code of conduct"
    publish(agreement)
    assert gated_board_ids(personas.reviewer) == {personas.board.pk}


# --- Cost and demo ----------------------------------------------------------------------------------------


def test_it_computes_the_gate_in_a_fixed_number_of_queries(personas, nda):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            gated_board_ids(personas.contributor)
        return len(queries.captured_queries)

    few = count()
    for _ in range(5):
        board = BoardFactory()
        services.agreement_require(agreement=nda, board=board, role="contributor", actor=None)
        board_role_grant(board=board, user=personas.contributor, role="contributor")
    assert count() == few
    assert len(gated_board_ids(personas.contributor)) == 6


def test_it_gates_carol_but_not_alice_or_bob_in_the_demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    launch = Board.objects.get(slug="launch")
    users = {u.username: u for u in User.objects.filter(username__in=["alice", "bob", "carol"])}
    assert is_gated(users["carol"], launch)
    assert gated_board_ids(users["alice"]) == set()
    assert gated_board_ids(users["bob"]) == set()
    assert Acceptance.objects.filter(user=users["alice"]).count() == 1


def test_it_renders_the_admin_screens_read_only_for_acceptances(personas, nda, web_client_for):
    acceptance = accept(nda, personas.contributor)
    admin = web_client_for("admin")
    for url in [
        "/admin/agreements/agreement/",
        f"/admin/agreements/agreement/{nda.pk}/change/",
        "/admin/agreements/agreementversion/add/",
        f"/admin/agreements/agreementversion/{nda.versions.get().pk}/change/",
        "/admin/agreements/acceptance/",
        f"/admin/agreements/acceptance/{acceptance.pk}/change/",
    ]:
        response = admin.get(url)
        assert response.status_code == 200, url
    change_page = admin.get(f"/admin/agreements/acceptance/{acceptance.pk}/change/").content.decode()
    assert 'name="_save"' not in change_page
    assert "Connie Contributor" in change_page


def test_it_shows_the_agreement_text_and_the_signers_copies_on_its_page(personas, nda, web_client_for):
    client = web_client_for("contributor")
    before = client.get(f"/agreements/{nda.pk}/").content.decode()
    assert "<strong>everything</strong>" in before
    assert 'name="signature"' in before
    acceptance = accept(nda, personas.contributor)
    after = client.get(f"/agreements/{nda.pk}/").content.decode()
    assert 'name="signature"' not in after
    assert f"/acceptances/{acceptance.pk}/copy/" in after
