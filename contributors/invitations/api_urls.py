"""API routes of the invitations feature (included under /api/ by cocreate/urls.py)."""

from rest_framework.routers import SimpleRouter

from contributors.invitations.api import InvitationViewSet

router = SimpleRouter()
router.register("invitations", InvitationViewSet, basename="api-invitation")

urlpatterns = router.urls
