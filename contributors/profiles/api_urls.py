"""API routes of the profiles feature (included under /api/ by cocreate/urls.py)."""

from django.urls import path

from contributors.profiles import api

urlpatterns = [
    path("profile/", api.ProfileView.as_view(), name="api-profile"),
    path("people/<str:username>/portfolio/", api.PortfolioView.as_view(), name="api-portfolio"),
    path(
        "boards/<int:pk>/portfolio-policy/",
        api.BoardPortfolioPolicyView.as_view(),
        name="api-board-portfolio-policy",
    ),
]
