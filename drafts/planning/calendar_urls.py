from django.urls import path

from drafts.planning import calendar_views

urlpatterns = [
    path("calendar/", calendar_views.calendar, name="calendar"),
    path("calendar/events/", calendar_views.calendar_events, name="calendar-events"),
    path("calendar/reschedule/<int:draft_id>/", calendar_views.calendar_reschedule, name="calendar-reschedule"),
    path("boards/<slug:slug>/calendar/", calendar_views.board_calendar, name="board-calendar"),
]
