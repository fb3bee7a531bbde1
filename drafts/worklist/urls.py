from django.urls import path

from drafts.worklist import views

urlpatterns = [
    path("", views.my_work, name="my-work"),
    path("review/", views.review_queue, name="review-queue"),
    path("boards/<slug:slug>/settings/", views.board_settings, name="board-settings"),
]
