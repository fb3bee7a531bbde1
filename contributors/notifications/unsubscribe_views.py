"""The unsubscribe link every notification e-mail carries: signed, no sign-in needed.

GET shows what the link stops and a button (a link scanner or a preview that follows it changes nothing);
POST, from that button or from the mail client's own one-click unsubscribe (RFC 8058: List-Unsubscribe-Post,
no cookie, no CSRF token), sets the kind to in the app only."""

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from contributors.notifications import mail


@csrf_exempt  # RFC 8058: the mail client POSTs without a token; the signed link is the authority
@require_http_methods(["GET", "POST"])
def notification_unsubscribe(request, token: str):
    try:
        if request.method == "POST":
            subscription = mail.unsubscribe(token)
            done = True
        else:
            subscription = mail.unsubscribe_check(token)
            done = False
    except mail.BadUnsubscribeLink as exc:
        return render(request, "notifications/unsubscribe_invalid.html", {"reason": str(exc)}, status=400)
    return render(
        request,
        "notifications/unsubscribe.html",
        {"subscription": subscription, "done": done, "token": token},
    )
