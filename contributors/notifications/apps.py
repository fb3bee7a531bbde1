from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "contributors.notifications"
    label = "notifications"
