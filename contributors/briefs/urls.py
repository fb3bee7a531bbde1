"""Pages of the briefs feature (included at the site root by cocreate/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("boards/<slug:slug>/briefs/", views.brief_list, name="brief-list"),
    path("boards/<slug:slug>/briefs/new/", views.brief_create, name="brief-create"),
    path("briefs/<int:brief_id>/", views.brief_detail, name="brief-detail"),
    path("briefs/<int:brief_id>/edit/", views.brief_edit, name="brief-edit"),
    path("briefs/<int:brief_id>/close/", views.brief_close, name="brief-close"),
    path("briefs/<int:brief_id>/claim/", views.brief_claim, name="brief-claim"),
]
