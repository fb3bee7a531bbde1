from django.urls import path

from drafts.planning.calendar_api import CalendarView

urlpatterns = [path("calendar/", CalendarView.as_view(), name="api-calendar")]
