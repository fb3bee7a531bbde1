"""Pages of the invitations feature (included at the site root by cocreate/urls.py)."""

urlpatterns = []
