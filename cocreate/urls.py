from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from cocreate import auth_api
from cocreate.api_schema import CachedSchemaView
from cocreate.health import healthz
from contributors import api as contributors_api
from contributors import views as contributors_views
from contributors.notifications.unsubscribe_views import notification_unsubscribe
from contributors.profiles import account_views
from drafts import api as drafts_api
from drafts import editor_views
from drafts import views as drafts_views
from publishing import api as publishing_api

router = DefaultRouter()
router.register("boards", contributors_api.BoardViewSet, basename="api-board")
router.register("drafts", drafts_api.DraftViewSet, basename="api-draft")
router.register("channels", publishing_api.ChannelViewSet, basename="api-channel")
router.register("publications", publishing_api.PublicationViewSet, basename="api-publication")

api_urlpatterns = [
    path("auth/token/", auth_api.TokenView.as_view(), name="api-token"),
    path("auth/logout/", auth_api.LogoutView.as_view(), name="api-logout"),
    path("auth/logout-all/", auth_api.LogoutAllView.as_view(), name="api-logout-all"),
    path("auth/tokens/", auth_api.TokenListView.as_view(), name="api-token-list"),
    path("auth/tokens/<str:token_id>/", auth_api.TokenDetailView.as_view(), name="api-token-detail"),
    path("schema/", CachedSchemaView.as_view(), name="api-schema"),
    # The split view serves its start-up script from a URL (?script), not inline: no CSP exception needed.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    path("", include("contributors.invitations.api_urls")),
    path("", include("contributors.agreements.api_urls")),
    path("", include("contributors.guidelines.api_urls")),
    path("", include("contributors.briefs.api_urls")),
    path("", include("contributors.profiles.api_urls")),
    path("", include("contributors.notifications.centre_api_urls")),
    path("", include("drafts.worklist.api_urls")),
    path("", include("drafts.planning.calendar_api_urls")),
    path("", include("drafts.planning.pillar_api_urls")),
    path("", include("drafts.planning.note_api_urls")),
    path("", include("publishing.reliability_api_urls")),
    path("", include(router.urls)),
]

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("boards/", contributors_views.board_list, name="board-list"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Password reset: the "sent" page is the same whether or not the address has an account.
    path("password-reset/", account_views.password_reset, name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("password-change/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("password-change/done/", account_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("", include("drafts.worklist.urls")),
    path("", include("drafts.planning.calendar_urls")),
    path("boards/<slug:slug>/", contributors_views.board_detail, name="board-detail"),
    path("boards/<slug:slug>/members/", contributors_views.board_members, name="board-members"),
    path("boards/<slug:slug>/drafts/new/", drafts_views.draft_create, name="draft-create"),
    path("boards/<slug:slug>/drafts/new/start/", editor_views.draft_start, name="draft-start"),
    path("boards/<slug:slug>/drafts/new/preview/", editor_views.draft_create_preview, name="draft-create-preview"),
    path("drafts/<int:draft_id>/preview/", editor_views.draft_preview, name="draft-preview"),
    path("drafts/<int:draft_id>/autosave/", editor_views.draft_autosave, name="draft-autosave"),
    path("drafts/<int:draft_id>/", drafts_views.draft_detail, name="draft-detail"),
    path("drafts/<int:draft_id>/edit/", drafts_views.draft_edit, name="draft-edit"),
    path("drafts/<int:draft_id>/transitions/<slug:name>/", drafts_views.draft_transition, name="draft-transition"),
    path("drafts/<int:draft_id>/coauthors/", drafts_views.draft_coauthors, name="draft-coauthors"),
    path("drafts/<int:draft_id>/comments/", drafts_views.comment_create, name="draft-comment"),
    path(
        "drafts/<int:draft_id>/comments/<int:comment_id>/resolve/",
        drafts_views.comment_resolve,
        name="draft-comment-resolve",
    ),
    path("drafts/<int:draft_id>/revisions/", drafts_views.draft_revisions, name="draft-revisions"),
    path("drafts/<int:draft_id>/history/", drafts_views.draft_history, name="draft-history"),
    path(
        "drafts/<int:draft_id>/comments/resolved/",
        drafts_views.draft_resolved_comments,
        name="draft-resolved-comments",
    ),
    path("drafts/<int:draft_id>/diff/", drafts_views.draft_diff, name="draft-diff"),
    path("drafts/<int:draft_id>/images/", drafts_views.draft_image_add, name="draft-image-add"),
    path("drafts/<int:draft_id>/images/<int:image_id>/", drafts_views.draft_image, name="draft-image"),
    path(
        "drafts/<int:draft_id>/images/<int:image_id>/edit/", drafts_views.draft_image_update, name="draft-image-update"
    ),
    path(
        "drafts/<int:draft_id>/images/<int:image_id>/remove/",
        drafts_views.draft_image_remove,
        name="draft-image-remove",
    ),
    path("unsubscribe/<str:token>/", notification_unsubscribe, name="notification-unsubscribe"),
    path("", include("contributors.invitations.urls")),
    path("", include("contributors.agreements.urls")),
    path("", include("contributors.guidelines.urls")),
    path("", include("contributors.briefs.urls")),
    path("", include("contributors.profiles.urls")),
    path("", include("contributors.notifications.centre_urls")),
    path("", include("publishing.urls")),
    path("", include("drafts.planning.pillar_urls")),
    path("", include("drafts.planning.note_urls")),
    path("api/", include(api_urlpatterns)),
    path("admin/", admin.site.urls),
]
