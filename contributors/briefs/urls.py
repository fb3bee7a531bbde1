"""Pages of the briefs feature (included at the site root by cocreate/urls.py)."""

urlpatterns = []
