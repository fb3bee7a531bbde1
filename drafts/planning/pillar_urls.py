"""Pages of the content pillars and the mix panel (included at the site root by cocreate/urls.py)."""

from django.urls import path

from drafts.planning import pillar_views as views

urlpatterns = [
    path("boards/<slug:slug>/pillars/", views.board_pillars, name="board-pillars"),
    path("boards/<slug:slug>/pillars/<int:pillar_id>/edit/", views.board_pillar_edit, name="board-pillar-edit"),
    path("boards/<slug:slug>/pillars/<int:pillar_id>/delete/", views.board_pillar_delete, name="board-pillar-delete"),
    path("boards/<slug:slug>/pillars/<int:pillar_id>/move/", views.board_pillar_move, name="board-pillar-move"),
    path("boards/<slug:slug>/calendar/mix/", views.board_calendar_mix, name="board-calendar-mix"),
    path("drafts/<int:draft_id>/pillars/", views.draft_pillars, name="draft-pillars"),
]
