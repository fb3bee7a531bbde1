"""API routes of the notification centre (included under /api/ by cocreate/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .centre_api import NotificationPreferencesView, NotificationViewSet

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="api-notification")

urlpatterns = [
    path("notification-preferences/", NotificationPreferencesView.as_view(), name="api-notification-preferences"),
    *router.urls,
]
