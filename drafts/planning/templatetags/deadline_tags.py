"""{% deadline_panel_for draft as panel %}: what the draft page's deadline panel shows this person."""

import zoneinfo

from django import template
from django.utils import timezone

from drafts.planning.deadline_forms import DeadlineForm
from drafts.planning.deadline_selectors import deadline_of, may_set_deadline
from drafts.planning.deadline_services import CLOSED_STATES

register = template.Library()


@register.simple_tag(takes_context=True)
def deadline_panel_for(context, draft) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    deadline = deadline_of(draft)
    may_edit = may_set_deadline(draft, user)
    # A published or archived draft takes no new deadline; one left over may still be cleared.
    may_set = may_edit and draft.state not in CLOSED_STATES
    form = context.get("deadline_form")
    if may_set and form is None:
        initial = {}
        if deadline is not None:
            local = timezone.localtime(deadline.due_at, zoneinfo.ZoneInfo(draft.board.time_zone or "UTC"))
            initial = {"due_at": local.replace(tzinfo=None), "label": deadline.label}
        form = DeadlineForm(initial=initial)
    return {
        "deadline": deadline,
        "may_set": may_set,
        "may_clear": may_edit and deadline is not None,
        "form": form if may_set else None,
    }
