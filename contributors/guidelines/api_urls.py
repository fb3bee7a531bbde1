"""API routes of the guidelines feature (included under /api/ by cocreate/urls.py)."""

urlpatterns = []
