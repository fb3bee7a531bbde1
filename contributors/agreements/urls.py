"""Pages of the agreements feature (included at the site root by cocreate/urls.py)."""

from django.urls import path

from contributors.agreements import views

urlpatterns = [
    path("boards/<slug:slug>/agreements/", views.board_agreements, name="board-agreements"),
    path("boards/<slug:slug>/agreements/manage/", views.board_agreements_manage, name="board-agreements-manage"),
    path("boards/<slug:slug>/agreements/new/", views.board_agreement_create, name="board-agreement-create"),
    path(
        "boards/<slug:slug>/agreements/<int:pk>/withdraw/",
        views.board_agreement_withdraw,
        name="board-agreement-withdraw",
    ),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement-detail"),
    path("agreements/<int:pk>/versions/new/", views.agreement_version_create, name="agreement-version-create"),
    path("agreements/<int:pk>/accept/", views.agreement_accept, name="agreement-accept"),
    path("agreements/<int:pk>/document/", views.agreement_document, name="agreement-document"),
    path("agreements/<int:pk>/acceptances/", views.agreement_acceptances, name="agreement-acceptances"),
    path("agreements/<int:pk>/acceptances.csv", views.agreement_acceptances_csv, name="agreement-acceptances-csv"),
    path("acceptances/<int:pk>/copy/", views.acceptance_copy, name="acceptance-copy"),
]
