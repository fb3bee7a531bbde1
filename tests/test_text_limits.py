"""Every text people write has a size limit (cocreate/limits.py), held by the service that writes it: at the
limit it is saved, one character over it is refused with a 400 naming the field and the limit, and nothing
is written."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cocreate import limits
from contributors.agreements import services as agreements
from contributors.agreements.models import AgreementVersion
from contributors.briefs.models import Brief
from contributors.briefs.services import brief_create
from contributors.guidelines.models import Guideline, GuidelineRule
from contributors.guidelines.services import guideline_rule_create, guideline_update
from contributors.invitations.models import Invitation
from contributors.invitations.services import invitation_create
from drafts.models import Draft, DraftComment, DraftRevision
from drafts.services import comment_create, draft_create, draft_update
from tests.factories import make_draft


def over(limit: int) -> str:
    return "x" * (limit + 1)


def at(limit: int) -> str:
    return "x" * limit


def says_limit(errors: list, limit: int) -> bool:
    return any(f"{limit:,} characters" in message or f"{limit} characters" in message for message in errors)


# --- Drafts: title, body, variants, comments --------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "limit"),
    [("title", limits.DRAFT_TITLE_MAX_CHARS), ("body", limits.DRAFT_BODY_MAX_CHARS)],
)
def test_a_draft_text_over_its_limit_is_refused_by_the_api(personas, api_client_for, field, limit):
    client = api_client_for("contributor")
    payload = {"board": personas.board.pk, "title": "Title", field: over(limit)}
    response = client.post("/api/drafts/", payload, format="json")
    assert response.status_code == 400
    assert says_limit(response.json()[field], limit)
    assert not Draft.objects.exists()
    response = client.post("/api/drafts/", {**payload, field: at(limit)}, format="json")
    assert response.status_code == 201


def test_a_variant_over_its_limit_is_refused_on_create_and_update(personas, api_client_for):
    client = api_client_for("contributor")
    payload = {"board": personas.board.pk, "title": "T", "variants": {"kind:x": over(limits.DRAFT_VARIANT_MAX_CHARS)}}
    response = client.post("/api/drafts/", payload, format="json")
    assert response.status_code == 400
    assert "100,000 characters; over: kind:x" in response.json()["variants"][0]
    assert not Draft.objects.exists()
    draft = make_draft(personas.board, personas.contributor)
    response = client.patch(
        f"/api/drafts/{draft.pk}/",
        {"version": draft.version, "variants": {"kind:x": over(limits.DRAFT_VARIANT_MAX_CHARS)}},
        format="json",
    )
    assert response.status_code == 400
    assert DraftRevision.objects.filter(draft=draft).count() == 1
    draft_update(
        draft_id=draft.pk,
        actor=personas.contributor,
        version=1,
        variants={"kind:x": at(limits.DRAFT_VARIANT_MAX_CHARS)},
    )


def test_a_draft_has_at_most_so_many_variants(personas):
    too_many = {f"c{i}": "text" for i in range(limits.DRAFT_VARIANTS_MAX + 1)}
    with pytest.raises(ValidationError, match="At most 20 channels"):
        draft_create(board=personas.board, author=personas.contributor, title="T", variants=too_many)
    # Twenty is allowed: every kind, and nine channels of the board (variant keys name real targets).
    from publishing.models import ChannelKind
    from tests.factories import make_channel

    channels = [
        make_channel(
            personas.board, "mastodon", name=f"M{i}", settings={"url": "https://m.example"}, credentials={"token": "t"}
        )
        for i in range(limits.DRAFT_VARIANTS_MAX - len(ChannelKind))
    ]
    twenty = {f"kind:{kind}": "text" for kind in ChannelKind.values} | {f"channel:{c.pk}": "text" for c in channels}
    assert len(twenty) == limits.DRAFT_VARIANTS_MAX
    draft_create(board=personas.board, author=personas.contributor, title="T", variants=twenty)


def test_a_draft_update_over_the_body_limit_changes_nothing(personas):
    draft = make_draft(personas.board, personas.contributor, body="Before")
    with pytest.raises(ValidationError) as refused:
        draft_update(draft_id=draft.pk, actor=personas.contributor, version=1, body=over(limits.DRAFT_BODY_MAX_CHARS))
    assert says_limit(refused.value.message_dict["body"], limits.DRAFT_BODY_MAX_CHARS)
    draft.refresh_from_db()
    assert (draft.body, draft.version) == ("Before", 1)


def test_a_comment_over_its_limit_is_refused(personas, api_client_for):
    draft = make_draft(personas.board, personas.contributor)
    client = api_client_for("reviewer")
    url = f"/api/drafts/{draft.pk}/comments/"
    response = client.post(url, {"body": over(limits.COMMENT_MAX_CHARS)}, format="json")
    assert response.status_code == 400
    assert not DraftComment.objects.exists()
    with pytest.raises(ValidationError) as refused:
        comment_create(draft_id=draft.pk, author=personas.reviewer, body=over(limits.COMMENT_MAX_CHARS))
    assert says_limit(refused.value.message_dict["body"], limits.COMMENT_MAX_CHARS)
    assert client.post(url, {"body": at(limits.COMMENT_MAX_CHARS)}, format="json").status_code == 201


# --- Briefs -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "limit"),
    [("topic", limits.BRIEF_TOPIC_MAX_CHARS), ("description", limits.BRIEF_DESCRIPTION_MAX_CHARS)],
)
def test_a_brief_text_over_its_limit_is_refused_by_the_api(personas, api_client_for, field, limit):
    client = api_client_for("manager")
    deadline = (timezone.now() + timedelta(days=3)).isoformat()
    payload = {"board": personas.board.pk, "topic": "Topic", "deadline": deadline, field: over(limit)}
    response = client.post("/api/briefs/", payload, format="json")
    assert response.status_code == 400
    assert says_limit(response.json()[field], limit)
    assert not Brief.objects.exists()
    assert client.post("/api/briefs/", {**payload, field: at(limit)}, format="json").status_code == 201


def test_the_brief_form_shows_the_limit_at_the_field(personas, web_client_for):
    form = {
        "topic": "Topic",
        "description": over(limits.BRIEF_DESCRIPTION_MAX_CHARS),
        "deadline": (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "max_claims": "1",
    }
    response = web_client_for("manager").post(reverse("brief-create", args=[personas.board.slug]), form)
    assert response.status_code == 400
    assert "50000 characters" in response.content.decode()
    assert not Brief.objects.exists()


def test_the_brief_service_holds_the_limit_for_every_caller(personas):
    with pytest.raises(ValidationError) as refused:
        brief_create(
            board=personas.board,
            actor=personas.manager,
            topic="Topic",
            description=over(limits.BRIEF_DESCRIPTION_MAX_CHARS),
            deadline=timezone.now() + timedelta(days=3),
        )
    assert says_limit(refused.value.message_dict["description"], limits.BRIEF_DESCRIPTION_MAX_CHARS)


# --- Guidelines: texts, rule fields, the check ------------------------------------------------------------


@pytest.mark.parametrize("field", ["brand", "tone"])
def test_a_guideline_text_over_its_limit_is_refused(personas, api_client_for, web_client_for, field):
    limit = limits.GUIDELINE_TEXT_MAX_CHARS
    response = api_client_for("manager").patch(
        f"/api/guidelines/{personas.board.pk}/", {field: over(limit)}, format="json"
    )
    assert response.status_code == 400
    assert response.json()[field]
    page = web_client_for("manager").post(reverse("guidelines-edit", args=[personas.board.slug]), {field: over(limit)})
    assert page.status_code == 400
    with pytest.raises(ValidationError) as refused:
        guideline_update(board=personas.board, actor=personas.manager, **{field: over(limit)})
    assert says_limit(refused.value.message_dict[field], limit)
    assert not Guideline.objects.exists()
    assert guideline_update(board=personas.board, actor=personas.manager, **{field: at(limit)}).version == 1


def test_rule_fields_have_limits(personas, api_client_for):
    def create(**params):
        return guideline_rule_create(
            board=personas.board, actor=personas.manager, kind=params.pop("kind"), severity="error", params=params
        )

    with pytest.raises(ValidationError, match="200 characters"):
        create(kind="banned_phrase", phrase=over(limits.GUIDELINE_RULE_PHRASE_MAX_CHARS))
    with pytest.raises(ValidationError, match="100 characters"):
        create(kind="required_disclosure", text=over(limits.GUIDELINE_RULE_TAG_MAX_CHARS))
    domains = [f"d{i}.example" for i in range(limits.GUIDELINE_RULE_DOMAINS_MAX + 1)]
    with pytest.raises(ValidationError, match="at most 50 domains"):
        create(kind="allowed_domains", domains=domains)
    assert not GuidelineRule.objects.exists()
    create(kind="banned_phrase", phrase=at(limits.GUIDELINE_RULE_PHRASE_MAX_CHARS))
    create(kind="allowed_domains", domains=domains[:-1])


def test_the_rule_form_limits_the_parameters_it_takes(personas, web_client_for):
    phrase = "x" * (limits.GUIDELINE_RULE_PHRASE_MAX_CHARS + 1)
    response = web_client_for("manager").post(
        reverse("guidelines-rule-create", args=[personas.board.slug]),
        {"kind": "banned_phrase", "severity": "error", "phrase": phrase},
    )
    assert response.status_code == 400
    assert f"at most {limits.GUIDELINE_RULE_PHRASE_MAX_CHARS} characters" in response.content.decode()
    assert not GuidelineRule.objects.exists()


def test_the_check_refuses_text_no_draft_could_hold(personas, api_client_for, web_client_for):
    url = f"/api/guidelines/{personas.board.pk}/check/"
    client = api_client_for("contributor")
    response = client.post(url, {"body": over(limits.DRAFT_BODY_MAX_CHARS)}, format="json")
    assert response.status_code == 400
    assert "body" in response.json()
    assert client.post(url, {"body": at(limits.DRAFT_BODY_MAX_CHARS)}, format="json").status_code == 200
    page = web_client_for("contributor").post(
        reverse("guidelines-check", args=[personas.board.slug]), {"body": over(limits.DRAFT_BODY_MAX_CHARS)}
    )
    assert page.status_code == 400
    assert "Not checked: body: Keep it to 200,000 characters" in page.content.decode()


# --- Invitations and agreements ---------------------------------------------------------------------------


def test_an_invitation_message_over_its_limit_is_refused_by_the_service(personas):
    def invite(message):
        return invitation_create(
            board=personas.board,
            email="new@example.com",
            role="contributor",
            inviter=personas.manager,
            message=message,
            site_url="http://testserver",
        )

    with pytest.raises(ValidationError) as refused:
        invite(over(limits.INVITATION_MESSAGE_MAX_CHARS))
    assert says_limit(refused.value.message_dict["message"], limits.INVITATION_MESSAGE_MAX_CHARS)
    assert not Invitation.objects.exists()
    invite(at(limits.INVITATION_MESSAGE_MAX_CHARS))


def test_an_agreement_pasted_over_its_limit_is_refused(personas):
    agreement = agreements.agreement_create(title="NDA", actor=personas.admin)
    with pytest.raises(ValidationError) as refused:
        agreements.agreement_version_publish(
            agreement=agreement,
            effective_on=date.today(),
            body=over(limits.AGREEMENT_BODY_MAX_CHARS),
            actor=personas.admin,
        )
    assert says_limit(refused.value.message_dict["body"], limits.AGREEMENT_BODY_MAX_CHARS)
    assert not AgreementVersion.objects.exists()
    agreements.agreement_version_publish(
        agreement=agreement, effective_on=date.today(), body=at(limits.AGREEMENT_BODY_MAX_CHARS), actor=personas.admin
    )


def test_the_admin_shows_a_guideline_text_over_its_limit_at_the_field(personas, client):
    client.force_login(personas.admin)
    response = client.post(
        "/admin/guidelines/guideline/add/",
        {"board": personas.board.pk, "brand": over(limits.GUIDELINE_TEXT_MAX_CHARS), "tone": ""},
    )
    assert response.status_code == 200  # the form again, not a 500
    assert "Keep it to 50,000 characters (it has 50,001)." in response.content.decode()
    assert not Guideline.objects.exists()


def test_the_admin_shows_an_agreement_pasted_over_its_limit_at_the_field(personas, client):
    agreement = agreements.agreement_create(title="NDA", actor=personas.admin)
    client.force_login(personas.admin)
    response = client.post(
        "/admin/agreements/agreementversion/add/",
        {"agreement": agreement.pk, "body": over(limits.AGREEMENT_BODY_MAX_CHARS), "effective_on": "2026-01-01"},
    )
    assert response.status_code == 200
    assert "Keep it to 200,000 characters (it has 200,001)." in response.content.decode()
    assert not AgreementVersion.objects.exists()
