"""What other features add to the workflow, kept out of the drafts app: conditions on submitting, the
arguments a step takes that only a feature understands (publishing: which channels, a time per channel), and
effects of transitions (publishing creates its publications when a draft is scheduled).

A feature registers a check in its AppConfig.ready(). draft_transition runs every check inside the
submit transaction, after the workflow's own state and permission checks. A check refuses by raising
PermissionDenied (e.g. an agreement is not signed: name it in the message) or ValidationError (e.g. a
guideline rule blocks: say what, where and how to fix it). It returns a dict that is merged into the submit
event's `data`, so the audit log shows what the piece was written under (agreement versions, guideline
version, warnings).
"""

from collections.abc import Callable

SubmitCheck = Callable[..., dict]
_submit_checks: list[SubmitCheck] = []


def register_submit_check(check: SubmitCheck) -> SubmitCheck:
    """Register `check(*, draft, actor) -> dict`. Usable as a decorator; registering twice is harmless."""
    if check not in _submit_checks:
        _submit_checks.append(check)
    return check


def run_submit_checks(*, draft, actor) -> dict:
    data: dict = {}
    for check in _submit_checks:
        data.update(check(draft=draft, actor=actor) or {})
    return data


ArgumentCheck = Callable[..., dict]
_argument_checks: dict[str, list[ArgumentCheck]] = {}


def register_argument_check(name: str, check: ArgumentCheck) -> ArgumentCheck:
    """Register `check(*, draft, arguments) -> arguments` for step `name`: it judges the step's arguments
    against what the feature knows (ValidationError naming the field) and completes them (e.g. every chosen
    channel's time). draft_transition runs it after the step's own validation, before the transition."""
    checks = _argument_checks.setdefault(name, [])
    if check not in checks:
        checks.append(check)
    return check


def run_argument_checks(name: str, *, draft, arguments: dict) -> dict:
    for check in _argument_checks.get(name, []):
        arguments = check(draft=draft, arguments=arguments)
    return arguments


Choice = tuple[int, str]  # (value, label)
ArgumentChoices = Callable[..., list[Choice]]
_argument_choices: dict[tuple[str, str], ArgumentChoices] = {}


def register_argument_choices(name: str, argument: str, choices: ArgumentChoices) -> ArgumentChoices:
    """Register `choices(*, draft) -> [(value, label)]`: what the page offers for argument `argument` of
    step `name` (e.g. the board's active channels)."""
    _argument_choices[(name, argument)] = choices
    return choices


def argument_choices(name: str, argument: str, *, draft) -> list[Choice]:
    choices = _argument_choices.get((name, argument))
    return choices(draft=draft) if choices is not None else []


TransitionEffect = Callable[..., None]
_transition_effects: dict[str, list[TransitionEffect]] = {}


def register_transition_effect(name: str, effect: TransitionEffect) -> TransitionEffect:
    """Run `effect(*, draft, actor, arguments)` inside the transaction of transition `name`, after the state
    changed and before the event is written; `arguments` are the step's arguments `for_effects`, as the
    argument checks completed them. Raising aborts the transition. Registering twice is harmless."""
    effects = _transition_effects.setdefault(name, [])
    if effect not in effects:
        effects.append(effect)
    return effect


def run_transition_effects(name: str, *, draft, actor, arguments: dict | None = None) -> None:
    for effect in _transition_effects.get(name, []):
        effect(draft=draft, actor=actor, arguments=arguments or {})


VariantTargets = Callable[..., dict[str, str]]
_variant_targets: list[VariantTargets] = []


def register_variant_targets(targets: VariantTargets) -> VariantTargets:
    """Register `targets(board, *, offered) -> {key: label}`: what a draft on the board may carry its own text for
    (publishing: each of the board's channels, `channel:<id>`, and each kind, `kind:<kind>`)."""
    if targets not in _variant_targets:
        _variant_targets.append(targets)
    return targets


def variant_targets(board, *, offered: bool = False) -> dict[str, str] | None:
    """Every key a variant may have on this board, with its label; None when no feature says (any key).
    offered: only those the editor offers a text box for (the board's active channels)."""
    if not _variant_targets:
        return None
    found: dict[str, str] = {}
    for targets in _variant_targets:
        found.update(targets(board, offered=offered))
    return found
