"""Pages of the agreements feature (included at the site root by cocreate/urls.py)."""

from django.urls import path

from contributors.agreements import views

urlpatterns = [
    path("boards/<slug:slug>/agreements/", views.board_agreements, name="board-agreements"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement-detail"),
    path("agreements/<int:pk>/accept/", views.agreement_accept, name="agreement-accept"),
    path("agreements/<int:pk>/document/", views.agreement_document, name="agreement-document"),
    path("agreements/<int:pk>/acceptances/", views.agreement_acceptances, name="agreement-acceptances"),
    path("agreements/<int:pk>/acceptances.csv", views.agreement_acceptances_csv, name="agreement-acceptances-csv"),
    path("acceptances/<int:pk>/copy/", views.acceptance_copy, name="acceptance-copy"),
]
