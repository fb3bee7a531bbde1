"""Pages send a person the agreement gate keeps out to the agreement, not to a dead-end 403.

A page request (GET) goes to the agreement with `next` set to where it was going; the agreement page takes
the person back there once they sign. A form sent to a gated page (POST) goes there too, back to the page
the form was on. htmx requests get a 403 fragment with the link instead of a redirect, so a half-typed
editor around them is never navigated away from. The API is left alone: DRF answers it (a JSON 403 naming
the agreement and its address, cocreate.api.exception_handler) before a middleware sees the error.
"""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render

from contributors.agreements.gate import AgreementRequired
from contributors.agreements.next_url import safe_next, with_next


class AgreementGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, AgreementRequired):
            return None
        message = str(exception)
        if getattr(request, "htmx", False) and not request.htmx.boosted:
            context = {"message": message, "sign_url": exception.sign_url}
            return render(request, "agreements/_required.html", context, status=403)
        if request.method == "POST" and request.accepts("application/json") and not request.accepts("text/html"):
            # The editor's background saves (fetch, JSON): a redirect would be followed to an HTML page.
            return JsonResponse({"detail": message, "agreement_url": exception.sign_url}, status=403)
        if request.method in ("GET", "HEAD"):
            # The agreement page itself says why they are there (it has a `next`): no toast needed.
            next_url = safe_next(request, request.get_full_path())
        else:
            next_url = safe_next(request, request.headers.get("Referer"))
            messages.warning(request, f"{message} What you sent was not saved: sign, then send it again.")
        return redirect(with_next(exception.sign_url, next_url))
