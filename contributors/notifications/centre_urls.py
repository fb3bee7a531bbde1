"""Pages of the notification centre (included at the site root by cocreate/urls.py)."""

from django.urls import path

from . import centre_views as views

urlpatterns = [
    path("notifications/", views.notification_centre, name="notification-centre"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications-read-all"),
    path("notifications/bell/", views.notification_bell, name="notification-bell"),
    path("notifications/bell/latest/", views.notification_bell_latest, name="notification-bell-latest"),
    path("notifications/preferences/", views.notification_preferences, name="notification-preferences"),
    path("notifications/<int:notification_id>/open/", views.notification_open, name="notification-open"),
    path("notifications/<int:notification_id>/read/", views.notification_read, name="notification-read"),
    path("drafts/<int:draft_id>/mentions/", views.draft_mentions, name="draft-mentions"),
]
