"""API routes of the agreements feature (included under /api/ by cocreate/urls.py)."""

from rest_framework.routers import SimpleRouter

from contributors.agreements.api import AgreementViewSet

router = SimpleRouter()
router.register("agreements", AgreementViewSet, basename="api-agreement")

urlpatterns = router.urls
