"""Pages answer a service error the way the API does: the status from cocreate.errors' table and its
message, on templates/error.html. Views that show a form again with the reason use
cocreate.views.report_service_errors instead; this catches what a view lets through."""

from django.core.exceptions import ValidationError
from django.shortcuts import render

from cocreate.errors import ServiceError, refusal_for


class ServiceErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # PermissionDenied and Http404 are left to Django's 403 and 404 pages (same statuses).
        if not isinstance(exception, (ValidationError, ServiceError)):
            return None
        refusal = refusal_for(exception)
        response = render(request, "error.html", {"message": refusal.message}, status=refusal.status)
        for name, value in refusal.headers.items():
            response[name] = value
        return response
