"""gunicorn believes X-Forwarded-* only from the addresses FORWARDED_ALLOW_IPS names (loopback by default),
not from everyone: with no proxy in front, a client could otherwise claim https (wsgi.url_scheme)."""

import yaml

from tests.test_docker_compose import OPERATOR_ENV, ROOT, command_words, interpolate


def allowed(env: dict[str, str]) -> list[str]:
    web = interpolate(yaml.safe_load((ROOT / "docker-compose.yml").read_text()), env)["services"]["web"]
    words = command_words(web["command"])
    assert "gunicorn" in words
    return [word.split("=", 1)[1] for word in words if word.startswith("--forwarded-allow-ips=")]


def test_gunicorn_believes_forwarded_headers_from_loopback_only_by_default():
    assert allowed(OPERATOR_ENV) == ["127.0.0.1,::1"]


def test_the_operator_names_the_proxy_with_forwarded_allow_ips():
    assert allowed({**OPERATOR_ENV, "FORWARDED_ALLOW_IPS": "10.0.0.5"}) == ["10.0.0.5"]
