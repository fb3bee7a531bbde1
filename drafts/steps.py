"""Each workflow step described once: what it is called, what it takes, how it reads.

django-fsm-2 (drafts.models.Draft) is the state machine: sources, targets, permissions. This module says the
rest, and draft_transition (argument validation), the draft page (buttons and their inputs), the API (the
transition endpoint's request schema and validation), the history, the e-mails and the tests all read it.
Adding a step is its transition method on Draft plus one entry in STEPS.

An argument named `comment` is the note written into the step's DraftEvent; an argument `for_effects` (which
channels, a time per channel) is judged by the features that registered an argument check for the step
(drafts.gates; publishing knows the board's channels) and goes to the step's transition effects; every other
argument is passed to the transition method. All are recorded in the event's data.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from cocreate import limits
from cocreate.ids import MAX_ID

COMMENT_MAX_LENGTH = limits.COMMENT_MAX_CHARS  # a step's note is a comment too


@dataclass(frozen=True)
class Argument:
    name: str
    # "channels": ids of channels (absent: every channel the step offers); "times": an own time per channel,
    # {channel id: aware datetime} (absent: the step's publish time).
    kind: Literal["text", "datetime", "channels", "times"]
    label: str  # the form's visible label; the API's field description
    required: bool = False
    required_message: str = ""
    hint: str = ""  # what the form says under the label, and the API's description adds
    for_effects: bool = False  # for the transition effects (see the module's docstring), not the method

    def clean(self, value):
        """The value as the transition uses it, or ValidationError naming this argument."""
        if self.kind == "text":
            return self._clean_text(value)
        if self.kind == "channels":
            return self._clean_channels(value)
        if self.kind == "times":
            return self._clean_times(value)
        return self._clean_datetime(value)

    def _clean_text(self, value) -> str:
        value = "" if value is None else value
        if not isinstance(value, str):
            self._refuse("Give text.")
        if self.required and not value.strip():
            self._refuse(self.required_message or f"{self.label} is required.")
        if len(value) > COMMENT_MAX_LENGTH:
            self._refuse(f"Keep it under {COMMENT_MAX_LENGTH:,} characters (it has {len(value):,}).")
        return value

    def _clean_datetime(self, value) -> datetime | None:
        if value is None:
            if self.required:
                self._refuse(self.required_message or f"{self.label} is required.")
            return None
        problem = time_problem(value)
        if problem:
            self._refuse(problem)
        return value

    def _clean_channels(self, value) -> list[int] | None:
        if value is None:
            return None  # every channel the step offers
        if not isinstance(value, list | tuple) or not all(_is_id(item) for item in value):
            self._refuse("Give a list of channel ids.")
        if not value:
            self._refuse("Choose at least one channel.")
        return list(dict.fromkeys(value))

    def _clean_times(self, value) -> dict[int, datetime] | None:
        if value is None or value == {}:
            return None
        if not isinstance(value, dict) or not all(_is_id(key) for key in value):
            self._refuse("Give a time per channel id.")
        # Each time is judged by time_problem where the channels are known, so the message can name them.
        return dict(value)

    def _refuse(self, message: str):
        raise ValidationError({self.name: [message]})


def time_problem(value) -> str:
    """What is wrong with a publish time ("" when nothing is): it must be aware and in the future."""
    if not isinstance(value, datetime):
        return "Give a date and time (ISO 8601 with offset)."
    if timezone.is_naive(value):
        return "Give the publish time with its UTC offset."
    if value <= timezone.now():
        return "The publish time must be in the future."
    return ""


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


@dataclass(frozen=True)
class Step:
    name: str
    done: str  # past tense, for the history and e-mails: "Your draft was {done} by Rita."
    button: str  # what the page's button says it does
    arguments: tuple[Argument, ...] = ()
    style: Literal["primary", "secondary", "warning"] = "secondary"
    # A destructive step cannot be undone: the page asks this question before taking it.
    confirm: str = ""
    # Fills in what a caller may leave out, from the draft: (draft, cleaned arguments) -> cleaned arguments.
    defaults: Callable[..., dict] | None = None

    @property
    def destructive(self) -> bool:
        return bool(self.confirm)

    def clean(self, draft, given: dict) -> tuple[str, dict]:
        """(comment, transition method kwargs) from what the caller gave; ValidationError for anything wrong,
        every field's message at once."""
        declared = {argument.name: argument for argument in self.arguments}
        undeclared = [name for name, value in given.items() if name not in declared and value not in (None, "")]
        errors: dict[str, list[str]] = {name: [f"“{self.button}” takes no {name}."] for name in undeclared}
        cleaned = {}
        for name, argument in declared.items():
            try:
                cleaned[name] = argument.clean(given.get(name))
            except ValidationError as exc:
                errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
        if self.defaults is not None:
            cleaned = self.defaults(draft, cleaned)
        comment = cleaned.pop("comment", "")
        return comment, {name: value for name, value in cleaned.items() if value is not None}

    @property
    def effect_arguments(self) -> frozenset[str]:
        return frozenset(argument.name for argument in self.arguments if argument.for_effects)


def _note(label: str) -> Argument:
    return Argument("comment", "text", label)


def _publish_as_soon_as_possible(draft, cleaned: dict) -> dict:
    # Retrying without a new time means "as soon as possible", never "at the slot that has passed".
    if cleaned.get("publish_at") is None:
        cleaned["publish_at"] = max(draft.publish_at or timezone.now(), timezone.now())
    return cleaned


PUBLISH_AT = Argument(
    "publish_at",
    "datetime",
    "Publish at",
    required=True,
    required_message="A publish time is required (ISO 8601 with offset).",
)


def _channels(label: str, hint: str) -> Argument:
    return Argument("channels", "channels", label, hint=hint, for_effects=True)


def _times(hint: str) -> Argument:
    return Argument("times", "times", "Own time per channel (optional)", hint=hint, for_effects=True)


STEPS: dict[str, Step] = {
    step.name: step
    for step in [
        Step(
            "submit",
            done="submitted for review",
            button="Submit for review",
            arguments=(_note("Note for the reviewers (optional)"),),
            style="primary",
        ),
        Step(
            "request_changes",
            done="sent back for changes",
            button="Send back for changes",
            arguments=(
                Argument(
                    "comment",
                    "text",
                    "What should change?",
                    required=True,
                    required_message="Say what should change: a comment is required.",
                ),
            ),
        ),
        Step(
            "approve",
            done="approved",
            button="Approve",
            arguments=(_note("Comment (optional)"),),
            style="primary",
        ),
        Step(
            "schedule",
            done="scheduled",
            button="Schedule",
            arguments=(
                PUBLISH_AT,
                _channels("Channels", "Where the post goes: every active channel of the board unless you choose."),
                _times("A channel without its own time publishes at the publish time."),
                _note("Note (optional)"),
            ),
            style="primary",
        ),
        Step("unschedule", done="unscheduled", button="Unschedule", arguments=(_note("Why? (optional)"),)),
        Step(
            "archive",
            done="archived",
            button="Archive",
            arguments=(_note("Why? (optional)"),),
            style="warning",
            confirm="Archive this draft? An archived draft cannot be brought back.",
        ),
        Step(
            "retry",
            done="retried",
            button="Retry the failed channels",
            arguments=(
                Argument("publish_at", "datetime", "New publish time (optional: as soon as possible)"),
                _channels("Channels to retry", "Every failed channel unless you choose; the others stay failed."),
                _times("A channel without its own time goes at the new publish time."),
                _note("Note (optional)"),
            ),
            style="primary",
            defaults=_publish_as_soon_as_possible,
        ),
        # Reported by the publishing workers (actor None), never offered to a person.
        Step("mark_published", done="published", button="Mark published"),
        Step("mark_failed", done="marked failed", button="Mark failed", arguments=(_note("What went wrong"),)),
    ]
}

# Events that are not workflow steps, as the history names them.
OTHER_EVENTS = {
    "create": "created",
    "set_coauthors": "changed the co-authors",
    "set_deadline": "set the deadline",  # drafts.planning.deadline_services
    "clear_deadline": "cleared the deadline",
    "set_pillars": "changed the pillars",  # drafts.services.draft_pillars_set
}


def step_get(name: str) -> Step:
    """The step called `name`, or 404 (a URL naming no step is a page that does not exist)."""
    step = STEPS.get(name)
    if step is None:
        raise Http404(f"There is no transition called {name!r}.")
    return step


def past_tense(event_name: str) -> str:
    """How the history and e-mails name an event: a step's `done`, or the name of another kind of event."""
    step = STEPS.get(event_name)
    if step is not None:
        return step.done
    return OTHER_EVENTS.get(event_name, event_name.replace("_", " "))
