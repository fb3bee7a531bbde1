"""API routes of the guidelines feature (included under /api/ by cocreate/urls.py)."""

from rest_framework.routers import SimpleRouter

from contributors.guidelines.api import GuidelineViewSet

router = SimpleRouter()
router.register("guidelines", GuidelineViewSet, basename="api-guideline")

urlpatterns = router.urls
