"""Pages of the profiles feature (included at the site root by cocreate/urls.py)."""

urlpatterns = []
