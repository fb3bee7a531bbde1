from django.urls import path

from publishing import reliability_views, views

urlpatterns = [
    path("boards/<slug:slug>/channels/", views.board_channels, name="board-channels"),
    path("boards/<slug:slug>/publications/", views.board_publications, name="board-publications"),
    path("boards/<slug:slug>/reliability/", reliability_views.board_reliability, name="board-reliability"),
    path("channels/<int:channel_id>/", views.channel_edit, name="channel-edit"),
    path("channels/<int:channel_id>/test/", views.channel_test, name="channel-test"),
    path("publications/<int:publication_id>/retry/", views.publication_retry, name="publication-retry"),
    path("publications/<int:publication_id>/check/", views.publication_check, name="publication-check"),
]
