"""API routes of the agreements feature (included under /api/ by cocreate/urls.py)."""

urlpatterns = []
