"""API routes of the briefs feature (included under /api/ by cocreate/urls.py)."""

from rest_framework.routers import SimpleRouter

from .api import BriefViewSet

router = SimpleRouter()
router.register("briefs", BriefViewSet, basename="api-brief")

urlpatterns = router.urls
