"""A board's managers and site admins manage agreements in the app: create one with who must sign it,
publish a new version (everyone it binds signs again), see who signed which version when and who has not,
withdraw it from the board. Who may open which page is in matrix_agreement_manage.py."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from contributors.agreements.gate import is_gated
from contributors.agreements.models import Acceptance, Agreement, AgreementRequirement, AgreementVersion
from contributors.agreements.services import (
    agreement_accept,
    agreement_create_for_board,
    agreement_version_publish,
    agreement_withdraw,
)
from tests.factories import member
from tests.test_query_counts import assert_same_count, logged_in, measure


def today():
    return timezone.localdate()


def create_form(**extra):
    return {
        "title": "Launch NDA",
        "roles": ["contributor"],
        "body": "Keep the launch secret.",
        "effective_on": today().isoformat(),
        **extra,
    }


@pytest.fixture
def nda(personas):
    return agreement_create_for_board(
        board=personas.board,
        title="Launch NDA",
        roles=["contributor"],
        body="Keep the launch secret.",
        effective_on=today() - timedelta(days=1),
        actor=personas.manager,
    )


def test_a_manager_creates_an_agreement_that_gates_the_board(personas, web_client_for):
    client = web_client_for("manager")
    response = client.post(reverse("board-agreement-create", args=["launch"]), create_form(), follow=True)
    assert response.redirect_chain == [(reverse("board-agreements-manage", args=["launch"]), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "“Launch NDA” created: the contributors of Launch sign it before they work there."
    ]
    agreement = Agreement.objects.get()
    assert list(agreement.requirements.values_list("board__slug", "role")) == [("launch", "contributor")]
    assert agreement.versions.get().number == 1
    assert is_gated(personas.contributor, personas.board)
    assert not is_gated(personas.reviewer, personas.board)
    page = response.content.decode()
    assert "Launch NDA" in page
    assert "0 of 1" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": "  "}, "This field is required."),
        ({"roles": []}, "This field is required."),
        ({"roles": ["overlord"]}, "Select a valid choice. overlord is not one of the available choices."),
        ({"body": ""}, "Give the agreement either as text or as a PDF (one of the two)."),
        ({"effective_on": "someday"}, "Enter a valid date."),
    ],
)
def test_a_bad_agreement_is_refused_with_the_reason_and_nothing_written(personas, web_client_for, change, message):
    response = web_client_for("manager").post(reverse("board-agreement-create", args=["launch"]), create_form(**change))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Agreement.objects.exists()
    assert not AgreementVersion.objects.exists()


def test_text_and_pdf_together_are_refused(personas, web_client_for):
    pdf = SimpleUploadedFile("nda.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = web_client_for("manager").post(
        reverse("board-agreement-create", args=["launch"]), {**create_form(), "pdf": pdf}
    )
    assert response.status_code == 400
    assert not Agreement.objects.exists()


def test_a_file_that_is_no_pdf_is_refused_and_nothing_is_left_half_made(personas, web_client_for):
    fake = SimpleUploadedFile("nda.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = web_client_for("manager").post(
        reverse("board-agreement-create", args=["launch"]), {**create_form(body=""), "pdf": fake}
    )
    assert response.status_code == 400
    assert "That file is not a PDF." in response.content.decode()
    assert not Agreement.objects.exists()  # the agreement and its requirement went with the refused version
    assert not AgreementRequirement.objects.exists()


def test_an_agreement_can_be_a_pdf(personas, web_client_for):
    pdf = SimpleUploadedFile("nda.pdf", b"%PDF-1.4 the contract", content_type="application/pdf")
    response = web_client_for("manager").post(
        reverse("board-agreement-create", args=["launch"]), {**create_form(body=""), "pdf": pdf}
    )
    assert response.status_code == 302
    assert AgreementVersion.objects.get().is_pdf


def test_a_new_version_makes_everyone_sign_again(personas, nda, web_client_for):
    agreement_accept(agreement=nda, user=personas.contributor, signature="Connie Contributor")
    assert not is_gated(personas.contributor, personas.board)
    client = web_client_for("manager")
    url = reverse("agreement-version-create", args=[nda.pk]) + "?board=launch"
    form = client.get(url).content.decode()
    assert "Keep the launch secret." in form  # the text to start from
    assert "Publish version 2" in form
    response = client.post(url, {"body": "Keep the launch secret, even after.", "effective_on": today().isoformat()})
    assert response.status_code == 302
    assert response["Location"] == reverse("board-agreements-manage", args=["launch"])
    assert nda.versions.order_by("-number").first().number == 2
    assert is_gated(personas.contributor, personas.board)


def test_a_version_for_later_takes_effect_on_its_day(personas, nda, web_client_for):
    agreement_accept(agreement=nda, user=personas.contributor, signature="Connie Contributor")
    later = today() + timedelta(days=7)
    web_client_for("manager").post(
        reverse("agreement-version-create", args=[nda.pk]), {"body": "New terms.", "effective_on": later.isoformat()}
    )
    assert not is_gated(personas.contributor, personas.board)
    page = web_client_for("manager").get(reverse("board-agreements-manage", args=["launch"])).content.decode()
    assert "Version 2 from" in page


def test_a_manager_of_one_board_cannot_rewrite_an_agreement_another_board_requires(personas, nda):
    from contributors.agreements.services import agreement_require

    agreement_require(agreement=nda, board=personas.other_board, role="contributor", actor=personas.admin)
    with pytest.raises(PermissionDenied, match="every board"):
        agreement_version_publish(agreement=nda, effective_on=today(), body="Changed.", actor=personas.manager)
    assert nda.versions.count() == 1
    other_manager = member(personas.other_board, "manager")
    with pytest.raises(PermissionDenied):
        agreement_version_publish(agreement=nda, effective_on=today(), body="Changed.", actor=other_manager)
    assert agreement_version_publish(agreement=nda, effective_on=today(), body="Changed.", actor=personas.admin)


def test_the_services_refuse_everyone_but_managers(personas, nda):
    for user in (personas.contributor, personas.reviewer, personas.outsider):
        with pytest.raises(PermissionDenied):
            agreement_create_for_board(
                board=personas.board, title="X", roles=["contributor"], body="x", effective_on=today(), actor=user
            )
        with pytest.raises(PermissionDenied):
            agreement_version_publish(agreement=nda, effective_on=today(), body="Changed.", actor=user)
        with pytest.raises(PermissionDenied):
            agreement_withdraw(agreement=nda, board=personas.board, actor=user)
    assert Agreement.objects.count() == 1
    assert nda.versions.count() == 1
    assert nda.requirements.count() == 1


def test_the_report_says_who_signed_which_version_when_and_who_has_not(personas, nda, web_client_for):
    second = member(personas.board, "contributor", username="zoe")
    agreement_accept(agreement=nda, user=personas.contributor, signature="Connie Contributor")
    agreement_version_publish(agreement=nda, effective_on=today(), body="Version two.", actor=personas.manager)
    agreement_accept(agreement=nda, user=second, signature="Zoe Writer")
    response = web_client_for("manager").get(reverse("agreement-acceptances", args=[nda.pk]) + "?board=launch")
    assert response.status_code == 200
    rows = {
        (row.user.username, row.status, row.acceptance.version_number if row.acceptance else None)
        for row in response.context["rows"]
    }
    assert rows == {
        ("contributor", "accepted an older version", 1),
        ("contributor", "not accepted", None),
        ("zoe", "accepted", 2),
    }
    html = response.content.decode()
    assert "1 still to sign." in html
    assert "Zoe Writer" in html
    assert f'title="{personas.board.time_zone}"' in html  # signing times labelled in the board's zone


def test_withdrawing_asks_first_and_keeps_the_signatures(personas, nda, web_client_for):
    agreement_accept(agreement=nda, user=personas.contributor, signature="Connie Contributor")
    client = web_client_for("manager")
    url = reverse("board-agreement-withdraw", args=["launch", nda.pk])
    manage = client.get(reverse("board-agreements-manage", args=["launch"])).content.decode()
    confirm = manage[manage.index('<details class="confirm" data-confirm-title="Withdraw this agreement?"') :]
    assert f'action="{url}"' in confirm[: confirm.index("</details>")]
    question = client.get(url).content.decode()
    assert "Withdraw this agreement?" in question
    assert "“Launch NDA” to work on Launch" in question
    assert nda.requirements.exists()
    response = client.post(url, follow=True)
    assert not nda.requirements.exists()
    assert Acceptance.objects.count() == 1
    assert "Launch no longer requires “Launch NDA”. What was signed stays on record." in [
        str(m) for m in response.context["messages"]
    ]
    assert client.post(url).status_code == 404  # already withdrawn


def test_the_report_runs_a_fixed_number_of_queries(personas, nda):
    client = logged_in(personas.manager)
    url = reverse("agreement-acceptances", args=[nda.pk])

    def add(count):
        for _ in range(count):
            user = member(personas.board, "contributor")
            agreement_accept(agreement=nda, user=user, signature="Some Signer")
            member(personas.board, "contributor")  # and one who has not signed

    add(2)
    small = measure(client, url)
    add(10)
    large = measure(client, url)
    assert_same_count(small, large)
    assert len(large[2].context["rows"]) == 1 + 2 * 12


def test_the_managers_list_runs_a_fixed_number_of_queries(personas, nda):
    client = logged_in(personas.manager)
    url = reverse("board-agreements-manage", args=["launch"])

    def add(count):
        for index in range(count):
            agreement = agreement_create_for_board(
                board=personas.board,
                title=f"Contract {index}",
                roles=["contributor", "reviewer"],
                body="Terms.",
                effective_on=today(),
                actor=None,
            )
            agreement_accept(agreement=agreement, user=member(personas.board, "contributor"), signature="Some Signer")

    add(1)
    small = measure(client, url)
    add(8)
    large = measure(client, url)
    assert_same_count(small, large)
    assert len(large[2].context["rows"]) == 1 + 9
