"""API routes of the invitations feature (included under /api/ by cocreate/urls.py)."""

urlpatterns = []
