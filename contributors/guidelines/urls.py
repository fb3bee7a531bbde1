"""Pages of the guidelines feature (included at the site root by cocreate/urls.py)."""

urlpatterns = []
