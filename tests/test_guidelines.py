import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from contributors.guidelines import checks
from contributors.guidelines.checks import ERROR, WARNING, TextParts, position, rule_from, run_checks
from contributors.guidelines.demo import BROKEN_DRAFT_TITLE, load_demo
from contributors.guidelines.models import Guideline, GuidelineVersion
from contributors.guidelines.selectors import guideline_check, guideline_for_board
from contributors.guidelines.services import (
    guideline_rule_create,
    guideline_rule_delete,
    guideline_rule_update,
    guideline_update,
)
from contributors.models import User
from drafts.models import Draft, DraftEvent
from drafts.services import draft_transition
from tests.factories import make_draft


def rule(kind, severity=ERROR, **params):
    return rule_from(kind=kind, severity=severity, params=params)


def check(a_rule, **parts):
    return a_rule.check(TextParts(**parts))


def add_rule(personas, kind, severity=ERROR, **params):
    return guideline_rule_create(
        board=personas.board, actor=personas.manager, kind=kind, severity=severity, params=params
    )


# --- The engine -------------------------------------------------------------------------------------------


class TestEngine:
    def test_it_counts_lines_and_columns_from_one(self):
        text = "first line\nsecond synergy"
        assert position(text, 0) == (1, 1)
        assert position(text, text.index("synergy")) == (2, 8)

    def test_it_places_problems_in_the_body_title_and_variant(self):
        problems = check(
            rule("banned_phrase", phrase="synergy"),
            title="Synergy now",
            body="Hello\n  so much synergy",
            variants={"x": "a\nb synergy"},
        )
        assert [(p.field, p.channel, p.line, p.column) for p in problems] == [
            ("title", "", 1, 1),
            ("body", "", 2, 11),
            ("variant", "x", 2, 3),
        ]
        assert problems[1].where == "Body, line 2, column 11"
        assert problems[2].where == "X text, line 2, column 3"

    def test_it_lists_blocking_problems_before_warnings(self):
        rules = [rule("required_hashtag", WARNING, hashtag="#launch"), rule("banned_phrase", phrase="synergy")]
        problems = run_checks(rules, TextParts(body="synergy"))
        assert [p.severity for p in problems] == [ERROR, WARNING]

    def test_it_refuses_an_unknown_kind_or_severity(self):
        with pytest.raises(ValidationError, match="Choose one of"):
            rule_from(kind="vibes", params={})
        with pytest.raises(ValidationError, match="Choose one of"):
            rule_from(kind="banned_phrase", severity="fatal", params={"phrase": "x"})

    def test_it_registers_every_kind_with_a_description_and_help(self):
        assert set(checks.RULE_KINDS) == {
            "banned_phrase",
            "required_disclosure",
            "required_hashtag",
            "length_limit",
            "allowed_domains",
        }
        assert all(cls.label and cls.help for cls in checks.RULE_KINDS.values())


class TestBannedPhrase:
    def test_it_finds_the_phrase_in_any_case_and_suggests_the_replacement(self):
        [problem] = check(rule("banned_phrase", phrase="synergy", replacement="teamwork"), body="Real SYNERGY.")
        assert "“SYNERGY”" in problem.message
        assert problem.fix == "Replace it with “teamwork”."
        assert problem.blocking

    def test_it_matches_whole_words_only(self):
        assert check(rule("banned_phrase", phrase="ad"), body="We added a badge.") == []

    def test_it_matches_a_phrase_across_spaces_and_line_breaks(self):
        [problem] = check(rule("banned_phrase", phrase="game changer"), body="A game\nchanger.")
        assert (problem.line, problem.column) == (1, 3)

    def test_it_asks_to_rephrase_without_a_replacement(self):
        [problem] = check(rule("banned_phrase", WARNING, phrase="synergy"), body="synergy")
        assert problem.fix == "Remove it or say it another way."
        assert not problem.blocking

    def test_it_requires_a_phrase(self):
        with pytest.raises(ValidationError):
            rule("banned_phrase", phrase="  ")


class TestRequiredDisclosure:
    def test_it_asks_contributors_to_disclose_in_body_and_each_variant(self):
        problems = check(
            rule("required_disclosure", text="#ad"),
            body="I love it.",
            variants={"x": "Love it #ad", "bluesky": "Love it"},
            author_role="contributor",
        )
        assert [(p.field, p.channel) for p in problems] == [("body", ""), ("variant", "bluesky")]
        assert problems[0].fix == "Add “#ad” to the body."

    def test_it_accepts_the_disclosure_in_the_title(self):
        assert (
            check(rule("required_disclosure", text="Sponsored"), title="Sponsored: tips", author_role="contributor")
            == []
        )

    def test_it_does_not_apply_to_the_brands_own_team(self):
        assert check(rule("required_disclosure", text="#ad"), body="Hello", author_role="manager") == []


class TestRequiredHashtag:
    def test_it_asks_for_the_hashtag_in_the_body_and_each_variant(self):
        problems = check(
            rule("required_hashtag", WARNING, hashtag="launch"),
            body="Out now #launch",
            variants={"x": "Out now #launchday", "mastodon": "Out now #Launch"},
        )
        assert [(p.field, p.channel, p.severity) for p in problems] == [("variant", "x", WARNING)]
        assert problems[0].fix == "Add #launch to the X text."

    def test_it_refuses_a_hashtag_with_spaces(self):
        with pytest.raises(ValidationError):
            rule("required_hashtag", hashtag="#two words")


class TestLengthLimit:
    def test_it_points_at_the_first_character_over_the_limit(self):
        [problem] = check(rule("length_limit", channel="x", max_length=10), variants={"x": "123456789\n12345"})
        assert (problem.field, problem.channel, problem.line, problem.column) == ("variant", "x", 2, 1)
        assert "15 characters; the limit is 10" in problem.message
        assert problem.fix.startswith("Cut 5 characters")

    def test_it_accepts_text_at_the_limit_and_other_channels(self):
        limit = rule("length_limit", channel="x", max_length=5)
        assert check(limit, body="long body text", variants={"x": "12345", "linkedin": "much longer"}) == []

    def test_it_knows_only_the_draft_channels(self):
        with pytest.raises(ValidationError, match="Choose one of"):
            rule("length_limit", channel="myspace", max_length=10)
        with pytest.raises(ValidationError):
            rule("length_limit", channel="x", max_length=0)


class TestAllowedDomains:
    def test_it_flags_links_to_other_domains_where_they_are(self):
        problems = check(
            rule("allowed_domains", domains=["planner.example"]),
            body="Read https://planner.example/a and\nhttps://shop.planner.example/b, not http://evil.example/x.",
        )
        [problem] = problems
        assert (problem.line, problem.column) == (2, 37)
        assert "evil.example" in problem.message
        assert "planner.example" in problem.fix

    def test_it_does_not_take_a_lookalike_for_a_subdomain(self):
        [problem] = check(rule("allowed_domains", domains=["planner.example"]), body="https://notplanner.example/")
        assert "notplanner.example" in problem.message

    def test_it_refuses_something_that_is_not_a_domain(self):
        with pytest.raises(ValidationError, match="Not a domain"):
            rule("allowed_domains", domains=["not a domain"])


# --- Versions ---------------------------------------------------------------------------------------------


def test_it_keeps_every_version_with_who_changed_what(personas):
    guideline_update(board=personas.board, actor=personas.manager, brand="v1 brand", tone="Warm.")
    guideline_update(board=personas.board, actor=personas.admin, brand="v2 brand")
    add_rule(personas, "banned_phrase", phrase="synergy", replacement="teamwork")
    versions = list(Guideline.objects.get(board=personas.board).versions.order_by("number"))
    assert [(v.number, v.author, v.brand, v.tone) for v in versions] == [
        (1, personas.manager, "v1 brand", "Warm."),
        (2, personas.admin, "v2 brand", "Warm."),
        (3, personas.manager, "v2 brand", "Warm."),
    ]
    assert versions[0].change == "Edited the brand guidelines and tone of voice."
    assert "synergy" in versions[2].change
    assert versions[2].rules[0]["params"] == {"phrase": "synergy", "replacement": "teamwork"}
    assert guideline_for_board(personas.board).version == 3


def test_it_versions_rule_changes_and_removals(personas):
    a_rule = add_rule(personas, "length_limit", channel="x", max_length=280)
    guideline_rule_update(board=personas.board, actor=personas.manager, rule_id=a_rule.pk, severity=WARNING)
    guideline_rule_delete(board=personas.board, actor=personas.manager, rule_id=a_rule.pk)
    versions = GuidelineVersion.objects.order_by("number")
    assert [len(v.rules) for v in versions] == [1, 1, 0]
    assert versions[1].rules[0]["severity"] == WARNING
    assert versions[2].change.startswith("Removed rule")


def test_it_writes_no_version_when_nothing_changed(personas):
    guideline_update(board=personas.board, actor=personas.manager, brand="Same")
    guideline_update(board=personas.board, actor=personas.manager, brand="Same")
    assert GuidelineVersion.objects.count() == 1


def test_it_lets_only_managers_change_guidelines(personas):
    with pytest.raises(PermissionDenied):
        guideline_update(board=personas.board, actor=personas.reviewer, brand="Mine now")
    with pytest.raises(PermissionDenied):
        add_rule_as(personas.contributor, personas)
    assert not Guideline.objects.filter(board=personas.board).exists()


def add_rule_as(user, personas):
    return guideline_rule_create(
        board=personas.board, actor=user, kind="banned_phrase", severity=ERROR, params={"phrase": "x"}
    )


def test_it_refuses_bad_rule_parameters_with_the_field_named(personas):
    with pytest.raises(ValidationError) as refused:
        add_rule(personas, "length_limit", channel="x", max_length="lots")
    assert "max_length" in str(refused.value.message_dict["params"])
    assert not GuidelineVersion.objects.exists()


# --- The submit gate --------------------------------------------------------------------------------------


def test_it_blocks_the_submit_with_a_clear_message_and_writes_nothing(personas):
    add_rule(personas, "banned_phrase", phrase="synergy", replacement="teamwork")
    draft = make_draft(personas.board, personas.contributor, title="Hello", body="Pure\nsynergy here")
    with pytest.raises(ValidationError) as refused:
        draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)
    assert refused.value.messages == [
        "The board's guidelines (version 1) block this submit:",
        "Body, line 2, column 1: “synergy” is not used in this board's content. Replace it with “teamwork”.",
    ]
    draft.refresh_from_db()
    assert (draft.state, draft.version, draft.review_round) == ("draft", 1, 0)
    assert not DraftEvent.objects.filter(draft=draft, transition="submit").exists()


def test_it_records_warnings_and_the_version_on_the_submit_event(personas):
    guideline_update(board=personas.board, actor=personas.manager, tone="Warm.")
    add_rule(personas, "required_hashtag", WARNING, hashtag="#launch")
    draft = make_draft(personas.board, personas.contributor, title="Hello", body="No tag")
    event = draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)
    assert event.data["guideline_version"] == 2
    [warning] = event.data["guideline_warnings"]
    assert (warning["kind"], warning["severity"], warning["field"]) == ("required_hashtag", WARNING, "body")
    assert warning["fix"] == "Add #launch to the body."


def test_it_checks_contributor_rules_against_the_author_not_the_submitter(personas):
    add_rule(personas, "required_disclosure", text="#ad")
    own = make_draft(personas.board, personas.manager, title="Brand post", body="Ours")
    draft_transition(draft_id=own.pk, name="submit", actor=personas.manager)
    theirs = make_draft(personas.board, personas.contributor, title="Guest post", body="Theirs")
    with pytest.raises(ValidationError, match="#ad"):
        draft_transition(draft_id=theirs.pk, name="submit", actor=personas.manager)


def test_it_leaves_boards_without_guidelines_alone(personas):
    add_rule(personas, "banned_phrase", phrase="spring")  # a rule of Launch, not of the other board
    other = make_draft(personas.other_board, personas.outsider, title="Spring is here")
    event = draft_transition(draft_id=other.pk, name="submit", actor=personas.outsider)
    assert "guideline_version" not in event.data
    assert "guideline_warnings" not in event.data


# --- Pages ------------------------------------------------------------------------------------------------


def test_it_checks_as_the_contributor_types(personas, web_client_for):
    add_rule(personas, "banned_phrase", phrase="synergy", replacement="teamwork")
    add_rule(personas, "length_limit", WARNING, channel="x", max_length=5)
    url = reverse("guidelines-check", args=[personas.board.slug])
    response = web_client_for("contributor").post(
        url, {"title": "Hi", "body": "so\nsynergy", "variant_kind_x": "too long"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="guideline-problems"' in html
    assert "Body, line 2, column 1" in html
    assert "Replace it with “teamwork”" in html
    assert "X text, line 1, column 6" in html


def test_it_says_so_when_the_text_is_fine(personas, web_client_for):
    add_rule(personas, "banned_phrase", phrase="synergy")
    url = reverse("guidelines-check", args=[personas.board.slug])
    response = web_client_for("contributor").post(url, {"title": "Hi", "body": "teamwork"})
    assert "No problems with the guidelines (version 1)" in response.content.decode()


def test_it_shows_the_guidelines_and_live_check_beside_the_draft_editor(personas, draft, web_client_for):
    guideline_update(board=personas.board, actor=personas.manager, tone="Be *warm*.")
    add_rule(personas, "banned_phrase", phrase="synergy", replacement="teamwork")
    response = web_client_for("contributor").get(reverse("draft-edit", args=[draft.pk]))
    html = response.content.decode()
    assert "<em>warm</em>" in html
    assert "write “synergy”; write “teamwork”." in html
    # The editor's live preview runs the check as you type and shows the problems (tests/test_editor_preview.py).
    assert f'hx-post="{reverse("draft-preview", args=[draft.pk])}"' in html
    assert 'id="guideline-problems"' in html


def test_it_lets_managers_edit_the_guidelines_page(personas, web_client_for):
    client = web_client_for("manager")
    response = client.post(
        reverse("guidelines-edit", args=[personas.board.slug]), {"brand": "# Brand", "tone": "Warm."}
    )
    assert response.status_code == 302
    page = client.get(reverse("guidelines", args=[personas.board.slug])).content.decode()
    assert "Version 1" in page
    assert "Edited the brand guidelines and tone of voice." in page


def test_it_shows_a_bad_rule_back_with_the_reason(personas, web_client_for):
    response = web_client_for("manager").post(
        reverse("guidelines-rule-create", args=[personas.board.slug]),
        {"kind": "length_limit", "severity": "error", "channel": "myspace", "max_length": "5"},
    )
    assert response.status_code == 400
    assert "Select a valid choice. myspace is not one of the available choices." in response.content.decode()
    assert not GuidelineVersion.objects.exists()


# --- API --------------------------------------------------------------------------------------------------


def test_it_serves_guidelines_with_their_rules(personas, api_client_for):
    guideline_update(board=personas.board, actor=personas.manager, brand="Brand", tone="Tone")
    add_rule(personas, "required_hashtag", WARNING, hashtag="#launch")
    data = api_client_for("contributor").get(f"/api/guidelines/{personas.board.pk}/").json()
    assert (data["board"], data["brand"], data["tone"], data["version"]) == ("launch", "Brand", "Tone", 2)
    assert [(r["kind"], r["severity"], r["params"]) for r in data["rules"]] == [
        ("required_hashtag", WARNING, {"hashtag": "#launch"})
    ]


def test_it_lets_managers_update_through_the_api(personas, api_client_for):
    response = api_client_for("manager").patch(
        f"/api/guidelines/{personas.board.pk}/", {"tone": "Short sentences.", "version": 0}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["version"] == 1
    versions = api_client_for("contributor").get(f"/api/guidelines/{personas.board.pk}/versions/").json()
    assert [(v["number"], v["author"], v["tone"]) for v in versions["results"]] == [(1, "manager", "Short sentences.")]


def test_it_returns_the_problems_for_a_text(personas, api_client_for):
    add_rule(personas, "banned_phrase", phrase="synergy", replacement="teamwork")
    add_rule(personas, "required_hashtag", WARNING, hashtag="#launch")
    response = api_client_for("contributor").post(
        f"/api/guidelines/{personas.board.pk}/check/",
        {"title": "Synergy", "body": "#launch", "variants": {"x": "hello"}},
        format="json",
    )
    data = response.json()
    assert response.status_code == 200
    assert (data["version"], data["blocking"]) == (2, True)
    assert [(p["field"], p["channel"], p["line"], p["column"], p["severity"]) for p in data["problems"]] == [
        ("title", "", 1, 1, ERROR),
        ("variant", "x", None, None, WARNING),
    ]
    assert data["problems"][0]["fix"] == "Replace it with “teamwork”."


def test_it_validates_new_rules_in_the_api(personas, api_client_for):
    response = api_client_for("manager").post(
        f"/api/guidelines/{personas.board.pk}/rules/",
        {"kind": "allowed_domains", "severity": "error", "params": {"domains": ["nope nope"]}},
        format="json",
    )
    assert response.status_code == 400
    assert "Not a domain" in str(response.json())


def test_it_hides_guidelines_of_boards_without_a_role(personas, api_client_for, web_client_for):
    guideline_update(board=personas.board, actor=personas.manager, brand="Secret plans")
    assert api_client_for("outsider").get(f"/api/guidelines/{personas.board.pk}/").status_code == 404
    listed = api_client_for("outsider").get("/api/guidelines/").json()["results"]
    assert [item["board"] for item in listed] == ["elsewhere"]
    response = web_client_for("outsider").post(
        reverse("guidelines-check", args=[personas.board.slug]), {"title": "x", "body": "y"}
    )
    assert response.status_code == 404


def test_it_hides_guidelines_from_gated_users(personas, api_client_for, web_client_for, draft):
    from contributors.agreements.services import agreement_create, agreement_require, agreement_version_publish

    guideline_update(board=personas.board, actor=personas.manager, brand="Secret plans")
    nda = agreement_create(title="Launch NDA", actor=None)
    agreement_version_publish(agreement=nda, effective_on=timezone.localdate(), body="Keep it secret.", actor=None)
    agreement_require(agreement=nda, board=personas.board, role="contributor", actor=None)
    assert api_client_for("contributor").get(f"/api/guidelines/{personas.board.pk}/").status_code == 403
    assert api_client_for("contributor").get("/api/guidelines/").json()["results"] == []
    page = web_client_for("contributor").get(reverse("draft-edit", args=[draft.pk])).content.decode()
    assert "Secret plans" not in page
    assert "hx-post" not in page
    assert api_client_for("manager").get(f"/api/guidelines/{personas.board.pk}/").json()["brand"] == "Secret plans"


# --- Demo -------------------------------------------------------------------------------------------------


def test_it_loads_demo_guidelines_once_without_blocking_the_demo_drafts(personas):
    alice = User.objects.create_user(username="alice")
    from contributors.services import board_role_grant

    board_role_grant(board=personas.board, user=alice, role="contributor")
    boards, users = {"launch": personas.board}, {"manager": personas.manager, "alice": alice}
    load_demo(boards=boards, users=users)
    load_demo(boards=boards, users=users)
    guideline = Guideline.objects.get(board=personas.board)
    assert guideline.version == 1 + guideline.rules.count()
    broken = Draft.objects.get(title=BROKEN_DRAFT_TITLE)
    problems = guideline_check(guideline, title=broken.title, body=broken.body, variants=broken.variants)
    assert {p.kind for p in problems if p.blocking} == {"banned_phrase", "length_limit", "allowed_domains"}
    clean = make_draft(personas.board, alice, title="Meet the planner", body="Out today.", variants={"kind:x": "Hi"})
    draft_transition(draft_id=clean.pk, name="submit", actor=alice)
    assert Draft.objects.filter(title=BROKEN_DRAFT_TITLE).count() == 1


def test_it_explains_a_refused_submit_on_the_draft_page_and_in_the_api(personas, draft, web_client_for, api_client_for):
    add_rule(personas, "length_limit", channel="x", max_length=5)
    from drafts.services import draft_update

    draft_update(
        draft_id=draft.pk, actor=personas.contributor, version=draft.version, variants={"kind:x": "far too long"}
    )
    page = web_client_for("contributor").post(reverse("draft-transition", args=[draft.pk, "submit"]))
    assert page.status_code == 400
    assert "X text, line 1, column 6: The X text has 12 characters; the limit is 5." in page.content.decode()
    api = api_client_for("contributor").post(f"/api/drafts/{draft.pk}/transitions/submit/", {}, format="json")
    assert api.status_code == 400
    assert any("Cut 7 characters" in line for line in api.json()["detail"])
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_it_documents_the_guidelines_api_in_the_schema(personas, api_client_for):
    paths = api_client_for("contributor").get("/api/schema/?format=json").json()["paths"]
    assert {"/api/guidelines/", "/api/guidelines/{id}/", "/api/guidelines/{id}/check/"} <= set(paths)
    assert "requestBody" in paths["/api/guidelines/{id}/check/"]["post"]


def test_it_versions_rules_added_in_the_admin_and_shows_the_history(personas, client):
    guideline_update(board=personas.board, actor=personas.manager, brand="Brand")
    guideline = Guideline.objects.get(board=personas.board)
    client.force_login(personas.admin)
    response = client.post(
        "/admin/guidelines/guidelinerule/add/",
        {"guideline": guideline.pk, "kind": "banned_phrase", "severity": "warning", "params": '{"phrase": "synergy"}'},
    )
    assert response.status_code == 302
    assert [(v.number, v.author) for v in guideline.versions.order_by("number")] == [
        (1, personas.manager),
        (2, personas.admin),
    ]
    page = client.get(f"/admin/guidelines/guideline/{guideline.pk}/change/").content.decode()
    assert "Added rule" in page
    bad = client.post(
        "/admin/guidelines/guidelinerule/add/",
        {"guideline": guideline.pk, "kind": "length_limit", "severity": "error", "params": '{"channel": "fax"}'},
    )
    assert bad.status_code == 200
    assert guideline.rules.count() == 1
