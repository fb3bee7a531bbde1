"""A guideline problem at a place in the text says which characters are wrong (start, end), so the editor can
highlight them: offsets in code points of the field's text, beside the line and column (kept as they were)."""

from contributors.guidelines.checks import WARNING, TextParts, check_text, rule_from
from contributors.guidelines.services import guideline_rule_create


def problems(rules, **parts):
    return check_text(rules, TextParts(**parts)).problems


def test_a_banned_phrase_is_spanned_as_written_whatever_its_case_and_spacing():
    rule = rule_from(kind="banned_phrase", params={"phrase": "low hanging fruit"})
    text = "Café ☕ 👩🏽‍💻\nPick the Low  Hanging fruit."
    (problem,) = problems([rule], body=text)
    assert text[problem.start : problem.end] == "Low  Hanging fruit"
    assert (problem.line, problem.column) == (2, 10)


def test_a_link_to_another_domain_is_spanned_without_the_sentences_full_stop():
    rule = rule_from(kind="allowed_domains", params={"domains": ["example.com"]}, severity=WARNING)
    text = "See https://elsewhere.test/a?b=1. And https://example.com/ok."
    (problem,) = problems([rule], title="T", body=text)
    assert text[problem.start : problem.end] == "https://elsewhere.test/a?b=1"
    assert problem.severity == WARNING


def test_a_text_over_a_length_limit_is_spanned_from_the_limit_to_its_end():
    rule = rule_from(kind="length_limit", params={"channel": "x", "max_length": 10})
    (problem,) = problems([rule], variants={"kind:x": "Twelve chars!"})
    assert (problem.start, problem.end) == (10, 13)
    assert (problem.field, problem.channel) == ("variant", "x")


def test_a_problem_of_the_whole_text_has_no_span():
    rule = rule_from(kind="required_hashtag", params={"hashtag": "#launch"})
    (problem,) = problems([rule], body="No tag")
    assert (problem.line, problem.start, problem.end) == (None, None, None)


def test_the_dictionary_form_keeps_every_key_it_had_and_adds_the_span():
    rule = rule_from(kind="banned_phrase", params={"phrase": "synergy"})
    (problem,) = problems([rule], body="so synergy")
    data = problem.as_dict()
    assert {"kind", "severity", "message", "fix", "field", "channel", "line", "column", "rule_id", "where"} <= set(data)
    assert (data["start"], data["end"]) == (3, 10)


def test_the_check_api_answers_the_span(personas, api_client_for):
    guideline_rule_create(
        board=personas.board,
        actor=personas.manager,
        kind="banned_phrase",
        severity="error",
        params={"phrase": "synergy"},
    )
    response = api_client_for("contributor").post(
        f"/api/guidelines/{personas.board.pk}/check/", {"title": "T", "body": "Pure synergy!"}, format="json"
    )
    assert response.status_code == 200
    (problem,) = response.json()["problems"]
    assert (problem["start"], problem["end"], problem["line"], problem["column"]) == (5, 12, 1, 6)
