"""The private calendar feed (/calendar/feed/<token>.ics: no sign-in, the secret is the key) and its reset
from the profile page."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST, require_safe

from drafts.planning.feed_ical import feed_ics
from drafts.planning.feed_selectors import feed_content, feed_get_by_token
from drafts.planning.feed_services import calendar_feed_reset


@require_safe
def calendar_feed(request, token: str):
    feed = feed_get_by_token(token)
    body = feed_ics(feed_content(feed.user))
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return response
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    response["Content-Disposition"] = 'inline; filename="cocreate.ics"'
    # The address is a secret: no shared cache keeps it, and search engines leave it alone.
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_POST
def calendar_feed_reset_view(request):
    calendar_feed_reset(user=request.user)
    messages.success(
        request, "Your calendar link is new: calendars subscribed to the old one stop updating. Subscribe again."
    )
    return redirect("profile-edit")
