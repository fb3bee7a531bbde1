"""Pages of calendar notes, deadlines and the calendar feed (included at the site root by cocreate/urls.py)."""

from django.urls import path

from drafts.planning import deadline_views, feed_views, note_views

urlpatterns = [
    path("boards/<slug:slug>/calendar/notes/", note_views.board_calendar_notes, name="board-calendar-notes"),
    path(
        "boards/<slug:slug>/calendar/notes/<int:note_id>/edit/",
        note_views.board_calendar_note_edit,
        name="board-calendar-note-edit",
    ),
    path(
        "boards/<slug:slug>/calendar/notes/<int:note_id>/delete/",
        note_views.board_calendar_note_delete,
        name="board-calendar-note-delete",
    ),
    path("drafts/<int:draft_id>/deadline/", deadline_views.draft_deadline, name="draft-deadline"),
    path("calendar/feed/<str:token>.ics", feed_views.calendar_feed, name="calendar-feed"),
    path("profile/calendar-feed/reset/", feed_views.calendar_feed_reset_view, name="calendar-feed-reset"),
]
