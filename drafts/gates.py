"""Conditions other features put on submitting a draft, kept out of the drafts app.

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
