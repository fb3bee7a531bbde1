"""Pages of the agreements feature (included at the site root by cocreate/urls.py)."""

urlpatterns = []
