"""JSON API for guidelines, keyed by the board's id. Thin: parse input, call a selector or service."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from contributors.agreements import gate
from contributors.guidelines import selectors, services
from contributors.guidelines.models import Guideline
from contributors.guidelines.serializers import (
    CheckResultSerializer,
    CheckSerializer,
    GuidelineSerializer,
    GuidelineUpdateSerializer,
    GuidelineVersionSerializer,
    RuleSerializer,
    RuleUpdateSerializer,
)
from contributors.permissions import is_site_admin
from contributors.selectors import boards_for_user
from drafts.selectors import draft_get_for_user


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("Not found.") from None


def _version(params) -> int | None:
    value = params.get("version")
    if value is None:
        return None
    if not (value.isascii() and value.isdigit() and int(value) <= 2**31 - 1):
        raise ValidationError({"version": ["Give the guidelines' version as a whole number."]})
    return int(value)


class GuidelineViewSet(viewsets.GenericViewSet):
    """Each board's brand guidelines, tone of voice and rules; managers change them."""

    serializer_class = GuidelineSerializer

    def get_queryset(self):
        boards = boards_for_user(self.request.user).order_by("name", "pk")
        if not is_site_admin(self.request.user):
            boards = boards.exclude(pk__in=gate.gated_board_ids(self.request.user))
        return boards

    def _guideline(self) -> Guideline:
        return selectors.guideline_get_for_user(self.request.user, pk=_int(self.kwargs["pk"]))

    def list(self, request):
        boards = self.paginate_queryset(self.get_queryset())
        saved = {g.board_id: g for g in Guideline.objects.filter(board__in=boards).prefetch_related("rules")}
        guidelines = [saved.get(board.pk) or Guideline(board=board) for board in boards]
        for guideline in guidelines:
            guideline.board = next(b for b in boards if b.pk == guideline.board_id)
        return self.get_paginated_response(GuidelineSerializer(guidelines, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(GuidelineSerializer(self._guideline()).data)

    @extend_schema(request=GuidelineUpdateSerializer, responses={200: GuidelineSerializer})
    def partial_update(self, request, pk=None):
        board = selectors.guideline_readable_board(request.user, pk=_int(pk))
        serializer = GuidelineUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        guideline = services.guideline_update(board=board, actor=request.user, **serializer.validated_data)
        return Response(GuidelineSerializer(guideline).data)

    @extend_schema(responses={200: GuidelineVersionSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        """Every version, newest first: the text and rules, who changed them and what changed."""
        versions = selectors.guideline_versions(self._guideline())
        page = self.paginate_queryset(versions)
        return self.get_paginated_response(GuidelineVersionSerializer(page, many=True).data)

    @extend_schema(request=CheckSerializer, responses={200: CheckResultSerializer})
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        """The problems the board's rules find in a title, body and variants (nothing is saved)."""
        guideline = self._guideline()
        serializer = CheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        author = request.user
        if data["draft"] is not None:
            draft = draft_get_for_user(request.user, data["draft"])
            if draft.board_id != guideline.board.pk:
                raise Http404("No such draft on this board.")
            author = draft.author
        report = selectors.guideline_check(
            guideline,
            title=data["title"],
            body=data["body"],
            variants={k: v for k, v in data["variants"].items() if v.strip()},
            author_role=selectors.role_for_checks(author, guideline.board),
        )
        result = {
            "version": guideline.version,
            "blocking": report.blocking,
            "total": report.total,
            "problems": [p.as_dict() for p in report.problems],
        }
        return Response(CheckResultSerializer(result).data)

    @extend_schema(methods=["get"], responses={200: RuleSerializer(many=True)})
    @extend_schema(methods=["post"], request=RuleSerializer, responses={201: RuleSerializer})
    @action(detail=True, methods=["get", "post"])
    def rules(self, request, pk=None):
        """The board's rules; managers add one with kind, severity and params."""
        if request.method == "POST":
            board = selectors.guideline_readable_board(request.user, pk=_int(pk))
            serializer = RuleSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            rule = services.guideline_rule_create(board=board, actor=request.user, **serializer.validated_data)
            return Response(RuleSerializer(rule).data, status=status.HTTP_201_CREATED)
        guideline = self._guideline()
        return Response(RuleSerializer(guideline.rules.all() if guideline.pk else [], many=True).data)

    @extend_schema(methods=["patch"], request=RuleUpdateSerializer, responses={200: RuleSerializer})
    @extend_schema(
        methods=["delete"],
        request=None,
        responses={204: None},
        parameters=[OpenApiParameter("version", int, description="If given, refused with 409 when stale.")],
    )
    @action(detail=True, methods=["patch", "delete"], url_path=r"rules/(?P<rule_id>[0-9]+)", url_name="rule")
    def rule(self, request, pk=None, rule_id=None):
        board = selectors.guideline_readable_board(request.user, pk=_int(pk))
        if request.method == "DELETE":
            services.guideline_rule_delete(
                board=board, actor=request.user, rule_id=_int(rule_id), version=_version(request.query_params)
            )
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = RuleUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rule = services.guideline_rule_update(
            board=board, actor=request.user, rule_id=_int(rule_id), **serializer.validated_data
        )
        return Response(RuleSerializer(rule).data)
