"""API routes of the profiles feature (included under /api/ by cocreate/urls.py)."""

urlpatterns = []
