"""API routes of the briefs feature (included under /api/ by cocreate/urls.py)."""

urlpatterns = []
