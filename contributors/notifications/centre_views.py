"""Pages of the notification centre: the list, opening and marking read, the bell's fragments, preferences, and
the @mention candidates of a draft's comment boxes. Thin: parse, call a selector or service, render."""

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cocreate.errors import refusal_for
from contributors.agreements.gate import AgreementRequired
from contributors.notifications import selectors, services
from contributors.notifications.centre_forms import PreferencesForm
from contributors.notifications.links import safe_path
from drafts.selectors import draft_get_for_user

CHANGED = "notifications-changed"  # the bell listens for this event and fetches its count again


def _fragment_login_required(view):
    """login_required, but a signed-out htmx poll gets 204 (nothing swapped), not the login page in the bell."""
    protected = login_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated and getattr(request, "htmx", False):
            return HttpResponse(status=204)
        return protected(request, *args, **kwargs)

    return wrapper


def _filter(request) -> str:
    return "unread" if request.GET.get("show") == "unread" else "all"


def _page(request, show: str):
    try:
        return selectors.inbox_page(
            request.user,
            unread_only=show == "unread",
            after=request.GET.get("after") or None,
            before=request.GET.get("before") or None,
        )
    except ValidationError:
        messages.error(request, "That page link is broken or out of date: here is the first page.")
        return selectors.inbox_page(request.user, unread_only=show == "unread")


def _centre_context(request, show: str) -> dict:
    return {"page": _page(request, show), "show": show, "unread": selectors.unread_count_capped(request.user)}


@login_required
@require_GET
def notification_centre(request):
    return render(request, "notifications/centre.html", _centre_context(request, _filter(request)))


@login_required
@require_GET
def notification_open(request, notification_id: int):
    """Follow a notification: it is marked read and the reader lands on the page it is about (a path of this
    site only: anything else lands on the centre)."""
    notification = selectors.notification_get_for_user(request.user, notification_id)
    services.notification_mark_read(user=request.user, notification_id=notification.pk)
    return redirect(safe_path(notification.url))


def _back(request) -> str:
    return safe_path(request.POST.get("next") or reverse("notification-centre"))


def _changed(response: HttpResponse, message: str) -> HttpResponse:
    response["HX-Trigger"] = json.dumps({CHANGED: True, "toast": {"message": message, "level": "success"}})
    return response


@login_required
@require_POST
def notification_read(request, notification_id: int):
    notification = selectors.notification_get_for_user(request.user, notification_id)
    services.notification_mark_read(user=request.user, notification_id=notification.pk)
    if request.htmx:
        notification.refresh_from_db()
        context = {"n": notification, "oob_unread": selectors.unread_count_capped(request.user)}
        response = render(request, "notifications/_item.html", context)
        return _changed(response, "Marked as read.")
    messages.success(request, "Marked as read.")
    return redirect(_back(request))


@login_required
@require_POST
def notifications_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    message = f"{count} notification{'s' if count != 1 else ''} marked as read." if count else "Nothing was unread."
    if request.htmx:
        response = render(request, "notifications/_inbox.html", _centre_context(request, _filter(request)))
        return _changed(response, message)
    messages.success(request, message)
    return redirect(_back(request))


@_fragment_login_required
@require_GET
def notification_bell(request):
    """The bell's count, as htmx fetches it every 20 s and on focus: one query."""
    return render(request, "notifications/_bell_count.html", {"unread": selectors.unread_count_capped(request.user)})


@_fragment_login_required
@require_GET
def notification_bell_latest(request):
    """The bell's panel: the latest few unread, fetched when it opens."""
    return render(request, "notifications/_bell_latest.html", {"latest": selectors.latest_unread(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    table = selectors.preferences_table(request.user)
    digest = selectors.digest_settings_for(request.user)
    initial = {"digest_hour": digest.hour, "digest_time_zone": digest.time_zone}
    form = PreferencesForm(request.POST or None, table=table, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.preferences_update(
                    user=request.user,
                    kinds=form.kinds(),
                    digest_hour=form.cleaned_data["digest_hour"],
                    digest_time_zone=form.cleaned_data["digest_time_zone"],
                )
            except ValidationError as exc:
                refusal = refusal_for(exc)
                form.add_service_errors(refusal.field_errors if refusal else {})
                status = 400
            else:
                messages.success(request, "Your notification preferences are saved.")
                return redirect("notification-preferences")
        else:
            status = 400
    context = {"form": form, "digest": digest}
    return render(request, "notifications/preferences.html", context, status=status)


@login_required
@require_GET
def draft_mentions(request, draft_id: int):
    """People an @mention in a comment on this draft may name (only for someone who may see the draft)."""
    try:
        draft = draft_get_for_user(request.user, draft_id)
    except AgreementRequired as refused:  # JSON for the script that asks, naming where to sign
        return JsonResponse({"detail": str(refused), "agreement_url": refused.sign_url}, status=403)
    query = request.GET.get("q", "")
    if len(query) > 150:
        raise Http404("No such person.")
    people = selectors.mention_candidates(draft, query, writer=request.user)
    return JsonResponse({"results": [{"username": p.username, "display_name": p.display_name} for p in people]})
