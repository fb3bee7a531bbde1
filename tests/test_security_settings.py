"""Production settings that depend on the environment: the browsable API and the proxy's https header.

cocreate/settings.py is imported afresh in a clean subprocess per environment, as a container would.
"""

import json
import subprocess
import sys

import pytest
from django.test import override_settings

from tests.test_docker_compose import MINIMAL_PRODUCTION_ENV, ROOT, app_subprocess_env

READ_SETTINGS = (
    "import json; from cocreate import settings as s; "
    "print(json.dumps({'renderers': s.REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES'], "
    "'proxy_ssl_header': s.SECURE_PROXY_SSL_HEADER}))"
)


def settings_under(**env: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS],
        cwd=ROOT,
        env=app_subprocess_env({**MINIMAL_PRODUCTION_ENV, **env}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_answers_the_api_in_json_only():
    assert settings_under(DEBUG="0")["renderers"] == ["rest_framework.renderers.JSONRenderer"]


def test_debug_adds_the_browsable_api():
    assert settings_under(DEBUG="1")["renderers"] == [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ]


@pytest.mark.parametrize("count", [None, "", "0"])
def test_it_ignores_x_forwarded_proto_without_a_trusted_proxy(count):
    env = {} if count is None else {"TRUSTED_PROXY_COUNT": count}
    assert settings_under(**env)["proxy_ssl_header"] is None


def test_it_trusts_x_forwarded_proto_behind_a_counted_proxy():
    assert settings_under(TRUSTED_PROXY_COUNT="1")["proxy_ssl_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_a_browser_opening_the_api_gets_json(personas, api_client_for):
    response = api_client_for("reviewer").get("/api/drafts/", HTTP_ACCEPT=BROWSER_ACCEPT)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert api_client_for("reviewer").get("/api/drafts/?format=api").status_code == 404


@override_settings(SECURE_SSL_REDIRECT=True)
def test_a_client_cannot_claim_https_with_the_header_when_no_proxy_is_trusted(client, settings):
    assert settings.SECURE_PROXY_SSL_HEADER is None  # the test run sets no TRUSTED_PROXY_COUNT
    response = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_behind_a_trusted_proxy_the_header_marks_the_request_secure(client, db):
    assert client.get("/login/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
