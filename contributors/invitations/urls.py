"""Pages of the invitations feature (included at the site root by cocreate/urls.py)."""

from django.urls import path

from contributors.invitations import views

urlpatterns = [
    path("boards/<slug:slug>/invitations/", views.invitation_list, name="invitation-list"),
    path("boards/<slug:slug>/invitations/<int:pk>/resend/", views.invitation_resend, name="invitation-resend"),
    path("boards/<slug:slug>/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation-revoke"),
    path("invitations/accept/<str:token>/", views.invitation_accept, name="invitation-accept"),
]
