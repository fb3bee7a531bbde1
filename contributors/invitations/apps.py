from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    name = "contributors.invitations"
    label = "invitations"
