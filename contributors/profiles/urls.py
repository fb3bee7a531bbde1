"""Pages of the profiles feature (included at the site root by cocreate/urls.py)."""

from django.urls import path

from contributors.profiles import views

urlpatterns = [
    path("profile/", views.profile_edit, name="profile-edit"),
    path("people/<str:username>/", views.portfolio, name="portfolio"),
    path("people/<str:username>/avatar/", views.avatar, name="profile-avatar"),
    path("boards/<slug:slug>/portfolio/", views.board_portfolio_policy, name="board-portfolio-policy"),
]
