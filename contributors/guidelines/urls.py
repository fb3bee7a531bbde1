"""Pages of the guidelines feature (included at the site root by cocreate/urls.py)."""

from django.urls import path

from contributors.guidelines import views

urlpatterns = [
    path("boards/<slug:slug>/guidelines/", views.guidelines, name="guidelines"),
    path("boards/<slug:slug>/guidelines/edit/", views.guidelines_edit, name="guidelines-edit"),
    path("boards/<slug:slug>/guidelines/check/", views.guidelines_check, name="guidelines-check"),
    path("boards/<slug:slug>/guidelines/rules/", views.guidelines_rule_create, name="guidelines-rule-create"),
    path(
        "boards/<slug:slug>/guidelines/rules/<int:rule_id>/edit/",
        views.guidelines_rule_edit,
        name="guidelines-rule-edit",
    ),
    path(
        "boards/<slug:slug>/guidelines/rules/<int:rule_id>/delete/",
        views.guidelines_rule_delete,
        name="guidelines-rule-delete",
    ),
]
