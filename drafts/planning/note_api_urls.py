"""API routes of calendar notes, deadlines and best-time hints (included under /api/ by cocreate/urls.py)."""

from django.urls import path

from drafts.planning import note_api

urlpatterns = [
    path("boards/<int:board_id>/notes/", note_api.BoardNotesView.as_view(), name="api-board-notes"),
    path("boards/<int:board_id>/notes/<int:note_id>/", note_api.BoardNoteView.as_view(), name="api-board-note"),
    path("boards/<int:board_id>/best-times/", note_api.BoardBestTimesView.as_view(), name="api-board-best-times"),
    path("drafts/<int:draft_id>/deadline/", note_api.DraftDeadlineView.as_view(), name="api-draft-deadline"),
]
