"""Pages of the profiles feature (included at the site root by cocreate/urls.py)."""

from django.urls import path

from contributors.profiles import token_views, views

urlpatterns = [
    path("profile/", views.profile_edit, name="profile-edit"),
    path("profile/tokens/revoke-all/", token_views.tokens_revoke_all, name="profile-tokens-revoke-all"),
    path("profile/tokens/<str:token_id>/revoke/", token_views.token_revoke, name="profile-token-revoke"),
    path("people/<str:username>/", views.portfolio, name="portfolio"),
    path("people/<str:username>/avatar/", views.avatar, name="profile-avatar"),
    path("boards/<slug:slug>/portfolio/", views.board_portfolio_policy, name="board-portfolio-policy"),
]
