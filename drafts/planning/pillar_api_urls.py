"""API routes of content pillars and the mix (included under /api/ by cocreate/urls.py)."""

from django.urls import path

from drafts.planning.pillar_api import BoardMixView, BoardPillarsView, BoardPillarView, DraftPillarsView

urlpatterns = [
    path("boards/<int:board_id>/pillars/", BoardPillarsView.as_view(), name="api-board-pillars"),
    path("boards/<int:board_id>/pillars/<int:pillar_id>/", BoardPillarView.as_view(), name="api-board-pillar"),
    path("boards/<int:board_id>/mix/", BoardMixView.as_view(), name="api-board-mix"),
    path("drafts/<int:draft_id>/pillars/", DraftPillarsView.as_view(), name="api-draft-pillars"),
]
