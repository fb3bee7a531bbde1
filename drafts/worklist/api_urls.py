from django.urls import path

from drafts.worklist.api import ReviewQueueView

urlpatterns = [path("review-queue/", ReviewQueueView.as_view(), name="api-review-queue")]
