"""The OpenAPI document, generated once per process and version: it follows from the code alone (it is served
public, the same for every signed-in user), and generating it walks every endpoint's serializers, which takes
a second or more each time."""

from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

_schemas: dict[str | None, dict] = {}


class CachedSchemaView(SpectacularAPIView):
    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        if version not in _schemas:
            _schemas[version] = super()._get_schema_response(request).data
        return Response(
            data=_schemas[version],
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'},
        )
