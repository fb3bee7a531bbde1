from django.apps import AppConfig


class PlanningConfig(AppConfig):
    """Planning the month: each board's content pillars with their target mix, the calendar's notes and
    internal deadlines, and each person's private calendar feed."""

    name = "drafts.planning"
    label = "planning"
