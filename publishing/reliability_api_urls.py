"""API route of the reliability panel (included under /api/ by cocreate/urls.py)."""

from django.urls import path

from publishing.reliability_api import BoardReliabilityView

urlpatterns = [path("boards/<int:board_id>/reliability/", BoardReliabilityView.as_view(), name="api-board-reliability")]
