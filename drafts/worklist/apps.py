from django.apps import AppConfig


class WorklistConfig(AppConfig):
    """My work, the review queue across boards and the reminders that keep work moving (no models of its own:
    it reads drafts, briefs and publications, and tells people through contributors.notifications)."""

    name = "drafts.worklist"
    label = "worklist"
