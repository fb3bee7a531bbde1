"""Guideline rules are edited on the guidelines page with one small form per rule kind: labelled inputs,
each kind's own validation (the engine's), errors at the input, nothing saved on bad input, 409 on a stale
version, htmx swapping the rules section, removal asked first. Who may do it is in matrix_guidelines.py."""

import json
from html import unescape

import pytest
from django.urls import reverse

from contributors.guidelines.checks import RULE_KINDS
from contributors.guidelines.forms import RULE_FORMS
from contributors.guidelines.models import GuidelineRule, GuidelineVersion
from contributors.guidelines.services import guideline_rule_create, guideline_update
from tests.factories import member
from tests.test_query_counts import assert_same_count, logged_in, measure

HTMX = {"HTTP_HX_REQUEST": "true"}


def rules_url(personas):
    return reverse("guidelines-rule-create", args=[personas.board.slug])


def page_url(personas):
    return reverse("guidelines", args=[personas.board.slug])


def post_rule(client, personas, kind, **fields):
    return client.post(rules_url(personas), {"kind": kind, "severity": "error", **fields})


def only_rule():
    return GuidelineRule.objects.get()


def test_it_has_a_form_for_every_rule_kind():
    assert set(RULE_FORMS) == set(RULE_KINDS)


@pytest.mark.parametrize(
    ("kind", "fields", "params"),
    [
        (
            "banned_phrase",
            {"phrase": "  synergy ", "replacement": "teamwork"},
            {"phrase": "synergy", "replacement": "teamwork"},
        ),
        ("banned_phrase", {"phrase": "leverage"}, {"phrase": "leverage", "replacement": ""}),
        ("required_disclosure", {"text": "#ad"}, {"text": "#ad"}),
        ("required_hashtag", {"hashtag": "PlannerLaunch"}, {"hashtag": "#PlannerLaunch"}),
        ("length_limit", {"channel": "x", "max_length": "280"}, {"channel": "x", "max_length": 280}),
        (
            "allowed_domains",
            {"domains": "example.com\nwww.Shop.example.com, blog.example.com"},
            {"domains": ["example.com", "shop.example.com", "blog.example.com"]},
        ),
    ],
)
def test_each_kind_form_saves_its_rule(personas, web_client_for, kind, fields, params):
    response = post_rule(web_client_for("manager"), personas, kind, **fields)
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(personas)}#rules-{kind}"
    rule = only_rule()
    assert (rule.kind, rule.severity, rule.params) == (kind, "error", params)
    assert GuidelineVersion.objects.get().change.startswith(f"Added rule #{rule.pk}")


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        ("banned_phrase", {"phrase": "   "}, "This field is required."),
        ("required_disclosure", {"text": ""}, "This field is required."),
        ("required_hashtag", {"hashtag": "two words"}, "A hashtag is # and letters, digits or _, without spaces."),
        ("length_limit", {"channel": "x", "max_length": "0"}, "Ensure this value is greater than or equal to 1."),
        ("length_limit", {"channel": "x", "max_length": "lots"}, "Enter a whole number."),
        ("length_limit", {"channel": "myspace", "max_length": "5"}, "Select a valid choice."),
        ("allowed_domains", {"domains": "example.com not_a_domain"}, "Not a domain name: not_a_domain."),
        ("allowed_domains", {"domains": " , "}, "List at least one domain"),
    ],
)
def test_a_bad_rule_comes_back_with_the_reason_at_its_input_and_nothing_saved(
    personas, web_client_for, kind, fields, message
):
    response = post_rule(web_client_for("manager"), personas, kind, **fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    # The error sits in the kind's own form, next to what was typed.
    section = page[page.index(f'id="rules-{kind}"') :]
    assert message in section[: section.index("</form>")]
    assert not GuidelineRule.objects.exists()
    assert not GuidelineVersion.objects.exists()


def test_an_unknown_kind_is_refused_with_a_message(personas, web_client_for):
    response = post_rule(web_client_for("manager"), personas, "lucky_charm", phrase="x")
    assert response.status_code == 400
    assert "Choose which kind of rule to add." in response.content.decode()
    assert not GuidelineRule.objects.exists()


def test_there_is_no_json_to_type_anywhere(personas, web_client_for):
    guideline_rule_create(
        board=personas.board, actor=None, kind="banned_phrase", severity="error", params={"phrase": "synergy"}
    )
    client = web_client_for("manager")
    pages = [
        client.get(page_url(personas)),
        client.get(reverse("guidelines-rule-edit", args=["launch", only_rule().pk])),
    ]
    for response in pages:
        html = response.content.decode()
        assert "JSON" not in html
        assert 'name="params"' not in html
    assert 'name="phrase"' in pages[0].content.decode()


def test_a_stale_version_is_refused_with_409_and_the_typed_rule_kept(personas, web_client_for):
    client = web_client_for("manager")
    guideline_update(board=personas.board, actor=None, tone="Warm.")  # version 1
    response = post_rule(client, personas, "banned_phrase", phrase="paradigm", version="0")
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed since you opened them" in page
    assert 'value="paradigm"' in page  # what they typed is still there
    assert not GuidelineRule.objects.exists()
    # The form now carries the version the page shows, so sending it again is a deliberate choice.
    form = page[page.index('id="rules-banned_phrase"') :]
    assert 'name="version" value="1"' in form[: form.index("</form>")]
    assert post_rule(client, personas, "banned_phrase", phrase="paradigm", version="1").status_code == 302


def test_htmx_swaps_the_rules_section_with_a_toast(personas, web_client_for):
    response = web_client_for("manager").post(
        rules_url(personas),
        {"kind": "banned_phrase", "severity": "warning", "phrase": "synergy", "version": "0"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="rules"')
    assert "<html" not in html
    assert json.loads(response["HX-Trigger"]) == {
        "toast": {"message": "Rule added: Don't write “synergy”.", "level": "success"}
    }
    assert "Don't write “synergy”." in unescape(html)
    # Every add form has the new version, and so has the new rule's Remove.
    assert html.count('name="version" value="1"') == len(RULE_FORMS) + 1


def test_htmx_shows_a_bad_rule_in_place(personas, web_client_for):
    response = web_client_for("manager").post(
        rules_url(personas), {"kind": "required_hashtag", "severity": "error", "hashtag": "#"}, **HTMX
    )
    assert response.status_code == 400
    assert "<html" not in response.content.decode()
    assert not GuidelineRule.objects.exists()


def test_a_rule_is_changed_through_its_kind_form(personas, web_client_for):
    rule = guideline_rule_create(
        board=personas.board,
        actor=None,
        kind="length_limit",
        severity="error",
        params={"channel": "x", "max_length": 280},
    )
    client = web_client_for("manager")
    url = reverse("guidelines-rule-edit", args=[personas.board.slug, rule.pk])
    form = client.get(url).content.decode()
    assert 'value="280"' in form
    assert (
        client.post(url, {"channel": "x", "max_length": "-3", "severity": "error", "version": "1"}).status_code == 400
    )
    assert only_rule().params == {"channel": "x", "max_length": 280}
    response = client.post(url, {"channel": "bluesky", "max_length": "300", "severity": "warning", "version": "1"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.params, rule.severity) == ({"channel": "bluesky", "max_length": 300}, "warning")
    stale = client.post(url, {"channel": "x", "max_length": "100", "severity": "error", "version": "1"})
    assert stale.status_code == 409
    rule.refresh_from_db()
    assert rule.params["max_length"] == 300


def test_removing_a_rule_asks_first(personas, web_client_for):
    rule = guideline_rule_create(
        board=personas.board, actor=None, kind="required_hashtag", severity="error", params={"hashtag": "#launch"}
    )
    client = web_client_for("manager")
    url = reverse("guidelines-rule-delete", args=[personas.board.slug, rule.pk])
    listed = client.get(page_url(personas)).content.decode()
    # The Remove button opens a question (a disclosure, a dialog with JS) holding the real button.
    confirm = listed[listed.index('<details class="confirm" data-confirm-title="Remove this rule?"') :]
    assert f'action="{url}"' in confirm[: confirm.index("</details>")]
    question = client.get(url)
    assert question.status_code == 200
    assert "Remove this rule?" in question.content.decode()
    assert GuidelineRule.objects.filter(pk=rule.pk).exists()
    response = client.post(url, {"version": "1"}, follow=True)
    assert not GuidelineRule.objects.exists()
    assert "Rule removed: Posts carry #launch." in [str(m) for m in response.context["messages"]]


def test_the_tone_of_voice_and_brand_texts_are_edited_with_a_toast(personas, web_client_for):
    response = web_client_for("manager").post(
        reverse("guidelines-edit", args=[personas.board.slug]),
        {"brand": "We are Planner.", "tone": "Warm, direct, never smug.", "version": "0"},
        follow=True,
    )
    assert "Guidelines saved." in [str(m) for m in response.context["messages"]]
    assert "Warm, direct, never smug." in response.content.decode()


def test_the_rules_list_runs_a_fixed_number_of_queries(personas):
    client = logged_in(personas.manager)
    url = page_url(personas)

    def add(count):
        for index in range(count):
            kind, params = [
                ("banned_phrase", {"phrase": f"word{index}"}),
                ("required_hashtag", {"hashtag": f"#tag{index}"}),
                ("allowed_domains", {"domains": [f"site{index}.example.com"]}),
            ][index % 3]
            guideline_rule_create(
                board=personas.board,
                actor=member(personas.board, "manager"),
                kind=kind,
                severity="error",
                params=params,
            )

    add(2)
    small = measure(client, url)
    add(12)
    large = measure(client, url)
    assert_same_count(small, large)
    assert "site11.example.com" in large[2].content.decode()
