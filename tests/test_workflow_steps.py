"""The workflow steps as drafts.steps describes them, checked on every surface that reads the description:
draft_transition's validation, the draft page's buttons and inputs, the API's schema and answers, the history
and the e-mails. Every test runs over the registry, so a new step is covered by adding it here to SCENARIO."""

import json
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from contributors.notifications.models import Notification
from drafts.selectors import human_transition_names, transition_names
from drafts.services import draft_transition
from drafts.steps import STEPS, past_tense
from tests.factories import advance, future

# For each step a person takes: a state it starts from and who takes it on the contributor's draft.
SCENARIO = {
    "submit": ("draft", "manager"),
    "request_changes": ("review", "reviewer"),
    "approve": ("review", "reviewer"),
    "schedule": ("approved", "manager"),
    "unschedule": ("scheduled", "manager"),
    "archive": ("draft", "manager"),
    "retry": ("failed", "manager"),
}
HUMAN_STEPS = [STEPS[name] for name in human_transition_names()]
WITH_REQUIRED = [step for step in HUMAN_STEPS if any(a.required for a in step.arguments)]


def ids(step) -> str:
    return step.name


def valid_arguments(step, *, as_json: bool = False) -> dict:
    # Channels and own times are optional (all of the step's channels, at the publish time): their own tests
    # are tests/test_schedule_channels*.py.
    values = {"text": "A note for the history.", "datetime": future(90), "channels": None, "times": None}
    arguments = {a.name: values[a.kind] for a in step.arguments if values[a.kind] is not None}
    return {k: v.isoformat() if as_json and hasattr(v, "isoformat") else v for k, v in arguments.items()}


@pytest.fixture
def at_step(personas, draft):
    """at_step(step) -> (draft in the step's starting state, the persona name who takes it)."""

    def _at(step):
        state, persona = SCENARIO[step.name]
        advance(draft, state, personas)
        return draft, persona

    return _at


# --- The registry and the state machine agree ------------------------------------------------------------


def test_it_describes_each_transition_of_the_state_machine_exactly_once():
    assert set(STEPS) == set(transition_names())
    assert set(SCENARIO) == set(human_transition_names())


@pytest.mark.parametrize("step", STEPS.values(), ids=ids)
def test_it_gives_each_step_labels_a_style_and_well_formed_arguments(step):
    assert step.done
    assert step.button
    assert step.done != step.button
    assert past_tense(step.name) == step.done
    assert step.style in {"primary", "secondary", "warning"}
    assert step.destructive == (step.style == "warning")
    if step.destructive:
        assert "?" in step.confirm
    names = [a.name for a in step.arguments]
    assert len(names) == len(set(names))
    for argument in step.arguments:
        assert argument.kind in {"text", "datetime", "channels", "times"}
        assert argument.label


# --- draft_transition validates what the step declares -------------------------------------------------------


@pytest.mark.parametrize("step", HUMAN_STEPS, ids=ids)
def test_it_takes_each_step_with_its_arguments_and_records_them(personas, at_step, step):
    draft, persona = at_step(step)
    arguments = valid_arguments(step)
    event = draft_transition(draft_id=draft.pk, name=step.name, actor=getattr(personas, persona), **arguments)
    assert event.transition == step.name
    if "comment" in arguments:
        assert event.comment == arguments["comment"]
    if "publish_at" in arguments:
        assert event.data["publish_at"] == arguments["publish_at"].isoformat()


@pytest.mark.parametrize("step", WITH_REQUIRED, ids=ids)
def test_it_refuses_a_step_without_its_required_arguments_naming_each(personas, at_step, step):
    draft, persona = at_step(step)
    with pytest.raises(ValidationError) as excinfo:
        draft_transition(draft_id=draft.pk, name=step.name, actor=getattr(personas, persona))
    required = {a.name for a in step.arguments if a.required}
    assert set(excinfo.value.message_dict) == required
    draft.refresh_from_db()
    assert draft.state == SCENARIO[step.name][0]


@pytest.mark.parametrize("step", HUMAN_STEPS, ids=ids)
def test_it_refuses_an_argument_the_step_does_not_take(personas, at_step, step):
    draft, persona = at_step(step)
    with pytest.raises(ValidationError) as excinfo:
        draft_transition(
            draft_id=draft.pk, name=step.name, actor=getattr(personas, persona), colour="red", **valid_arguments(step)
        )
    assert excinfo.value.message_dict == {"colour": [f"“{step.button}” takes no colour."]}


# --- The draft page draws its buttons and inputs from the steps --------------------------------------------


@pytest.mark.parametrize("step", HUMAN_STEPS, ids=ids)
def test_it_shows_each_steps_button_and_labelled_inputs(personas, at_step, web_client_for, step):
    draft, persona = at_step(step)
    page = web_client_for(persona).get(f"/drafts/{draft.pk}/").content.decode()
    form = page[page.index(f'action="/drafts/{draft.pk}/transitions/{step.name}/"') :]
    form = form[: form.index("</form>")]
    label = f"Yes, {step.button.lower()}" if step.destructive else step.button
    assert f'value="{step.name}" class="{step.style}">{label}</button>' in form
    for argument in (a for a in step.arguments if a.kind in {"text", "datetime"}):  # channels: one per channel
        field_id = f"id_{step.name}_{argument.name}"
        assert f'<label for="{field_id}">{argument.label}</label>' in form
        tag = re.search(rf'<(?:input|textarea)\b[^>]*\bid="{field_id}"[^>]*>', form).group(0)
        assert f'name="{argument.name}"' in tag
        assert (" required" in tag) == argument.required
    if step.destructive:
        assert f"<summary>{step.button}…</summary><p>{step.confirm}</p>" in page


@pytest.mark.parametrize("step", HUMAN_STEPS, ids=ids)
def test_it_takes_each_step_posted_from_the_page(personas, at_step, web_client_for, step):
    draft, persona = at_step(step)
    data = valid_arguments(step)
    if "publish_at" in data:
        data["publish_at"] = data["publish_at"].isoformat()
    response = web_client_for(persona).post(f"/drafts/{draft.pk}/transitions/{step.name}/", data)
    assert response.status_code == 302
    assert draft.events.last().transition == step.name


@pytest.mark.parametrize("step", WITH_REQUIRED, ids=ids)
def test_it_answers_the_page_and_the_api_with_the_same_message_for_a_missing_argument(
    personas, at_step, web_client_for, api_client_for, step
):
    draft, persona = at_step(step)
    page = web_client_for(persona).post(f"/drafts/{draft.pk}/transitions/{step.name}/", {})
    api = api_client_for(persona).post(f"/api/drafts/{draft.pk}/transitions/{step.name}/", {}, format="json")
    assert (page.status_code, api.status_code) == (400, 400)
    for argument in (a for a in step.arguments if a.required):
        assert api.json()[argument.name] == [argument.required_message]
        assert f"{argument.name}: {argument.required_message}" in [str(m) for m in page.context["messages"]]


# --- The API: one request schema per step, and the same validation ------------------------------------------


@pytest.fixture
def schema(personas, api_client_for):
    return json.loads(api_client_for("contributor").get("/api/schema/", {"format": "json"}).content)


@pytest.mark.parametrize("step", HUMAN_STEPS, ids=ids)
def test_it_documents_each_steps_request_body(schema, step):
    name = step.name.title().replace("_", "") + "TransitionRequest"
    component = schema["components"]["schemas"][name]
    assert set(component["properties"]) == {"version"} | {a.name for a in step.arguments}
    assert set(component.get("required", [])) == {a.name for a in step.arguments if a.required}
    body = schema["paths"]["/api/drafts/{id}/transitions/{name}/"]["post"]["requestBody"]["content"]
    union = schema["components"]["schemas"][body["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]
    assert {"$ref": f"#/components/schemas/{name}"} in union["anyOf"]


def test_it_offers_no_request_body_for_the_workers_steps(schema):
    union = schema["components"]["schemas"]["TransitionRequest"]["anyOf"]
    assert len(union) == len(HUMAN_STEPS)
    assert not any("MarkPublished" in ref["$ref"] or "MarkFailed" in ref["$ref"] for ref in union)


@pytest.mark.parametrize("step", HUMAN_STEPS, ids=ids)
def test_it_takes_each_step_through_the_api(personas, at_step, api_client_for, step):
    draft, persona = at_step(step)
    body = valid_arguments(step, as_json=True)
    response = api_client_for(persona).post(f"/api/drafts/{draft.pk}/transitions/{step.name}/", body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["event"]["comment"] == body.get("comment", "")


# --- The history and the e-mails say what happened in the step's words -------------------------------------


# How each step's notification says it, in words (archive tells nobody: it is history, not news).
TOLD_IN_WORDS = {
    "submit": "submitted ‘Spring launch post’ for review",
    "request_changes": "asked for changes on ‘Spring launch post’",
    "approve": "approved ‘Spring launch post’",
    "schedule": "scheduled ‘Spring launch post’ for",
    "unschedule": "took ‘Spring launch post’ off the schedule",
    "retry": "scheduled again ‘Spring launch post’ for",
}


@pytest.mark.parametrize("step", HUMAN_STEPS, ids=ids)
def test_it_names_each_step_in_the_past_tense_in_history_and_in_words_in_notifications(
    personas, at_step, web_client_for, django_capture_on_commit_callbacks, step
):
    draft, persona = at_step(step)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event = draft_transition(
            draft_id=draft.pk, name=step.name, actor=getattr(personas, persona), **valid_arguments(step)
        )
    told = list(Notification.objects.filter(source=f"event:{event.pk}"))
    if step.name in TOLD_IN_WORDS:
        assert told
        for notification in told:
            assert notification.title.startswith(f"@{persona} {TOLD_IN_WORDS[step.name]}")
            assert f"'{step.name}'" not in notification.title
            assert " -> " not in notification.title
        for message in mail.outbox:  # the ones e-mailed at once: the same words as subject
            assert message.subject in {n.title for n in told}
    else:
        assert told == []
        assert mail.outbox == []
    page = web_client_for("manager").get(f"/drafts/{draft.pk}/").content.decode()
    history = page[page.index('<ol class="events">') :]
    assert re.search(rf"</strong>\s*{re.escape(step.done)}\b", history)
