"""JSON API for agreements. Thin: parse input, call a selector or service, serialize the result."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from contributors.agreements import selectors, services
from contributors.agreements.models import Acceptance
from contributors.agreements.serializers import AcceptanceSerializer, AcceptSerializer, AgreementSerializer
from contributors.agreements.views import client_details


class AgreementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Agreements required on your boards (all of them for site admins), and accepting them."""

    serializer_class = AgreementSerializer

    def get_queryset(self):
        return selectors.agreements_for_user(self.request.user).order_by("title", "id")

    def get_object(self):
        try:
            return selectors.agreement_get_for_user(self.request.user, int(self.kwargs["pk"]))
        except ValueError:
            raise Http404("No such agreement.") from None

    def _serialize(self, agreements: list, **kwargs):
        """With the versions in force, the user's acceptances and requirements: a page in a few queries."""
        return AgreementSerializer(
            agreements if kwargs.get("many") else agreements[0],
            context={**self.get_serializer_context(), **self._standing(agreements)},
            **kwargs,
        ).data

    def _standing(self, agreements: list) -> dict:
        versions = selectors.current_versions([a.pk for a in agreements])
        accepted = set(
            Acceptance.objects.filter(
                user=self.request.user, version__in=[v.pk for v in versions.values()]
            ).values_list("version_id", flat=True)
        )
        required: dict[int, set[int]] = {}
        for obligation in selectors.obligations_for_user(self.request.user):
            required.setdefault(obligation.agreement.pk, set()).add(obligation.board_id)
        return {
            "versions": versions,
            "accepted_version_ids": accepted,
            "required_boards": required,
            "today": selectors.today(),
        }

    def list(self, request, *args, **kwargs):
        page = list(self.paginate_queryset(self.get_queryset()))
        return self.get_paginated_response(self._serialize(page, many=True))

    def retrieve(self, request, *args, **kwargs):
        return Response(self._serialize([self.get_object()]))

    @extend_schema(request=AcceptSerializer, responses={201: AcceptanceSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Sign the version in force with your typed full name (send the `version` you read)."""
        agreement = self.get_object()
        serializer = AcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        acceptance = services.agreement_accept(
            agreement=agreement,
            user=request.user,
            signature=serializer.validated_data["signature"],
            version_number=serializer.validated_data.get("version"),
            **client_details(request),
        )
        return Response(AcceptanceSerializer(acceptance).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: AcceptanceSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def acceptances(self, request, pk=None):
        """Every acceptance of every version (site admins and the managers of every board requiring it)."""
        agreement = self.get_object()
        if not selectors.agreement_managed_by(request.user, agreement):
            raise PermissionDenied("Only site admins and the managers of every board that requires it see this.")
        page = self.paginate_queryset(agreement.acceptances.select_related("user").order_by("-accepted_at", "-id"))
        return self.get_paginated_response(AcceptanceSerializer(page, many=True).data)
