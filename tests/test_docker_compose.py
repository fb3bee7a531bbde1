"""docker-compose.yml and the Dockerfile, checked against the settings (no Docker engine runs here)."""

import importlib
import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import pytest
import yaml
from celery import Celery
from celery.app.utils import find_app
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APP_SERVICES = ["web", "worker", "worker-claim", "beat"]
REQUIRED_ENV = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
# What an operator would put in .env; every ${...} the file needs must be among them or have a default.
OPERATOR_ENV = {
    "POSTGRES_PASSWORD": "compose-test-password",
    "SECRET_KEY": "compose-test-" + "k" * 60,
    "ALLOWED_HOSTS": "cocreate.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://cocreate.example.com",
}

INTERPOLATION = re.compile(
    r"\$\$|\$\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}|\$(?P<bare>[A-Za-z_][A-Za-z0-9_]*)"
)


class MissingVariable(Exception):
    pass


def interpolate(value, env: dict[str, str]):
    """Docker Compose's variable substitution: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR:?error} (and -/?)."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group("braced") or match.group("bare")
        op, arg = match.group("op"), match.group("arg")
        present = name in env
        usable = present and (env[name] != "" or not (op or "").startswith(":"))
        if usable:
            return env[name]
        if op in (":?", "?"):
            raise MissingVariable(f"{name}: {arg}")
        if op in (":-", "-"):
            return arg
        return env.get(name, "")

    return INTERPOLATION.sub(substitute, value)


@pytest.fixture(scope="module")
def raw_compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def compose(raw_compose) -> dict:
    return interpolate(raw_compose, OPERATOR_ENV)


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {k: ("" if v is None else str(v)) for k, v in env.items()}


def command_words(command) -> list[str]:
    """The words of a service's command; an `sh -c` script is split too (on its && steps)."""
    words = shlex.split(command) if isinstance(command, str) else [str(w) for w in command]
    if words[:2] == ["sh", "-c"]:
        return [w for w in shlex.split(" ".join(words[2:])) if w != "&&"]
    return words


def command_steps(command) -> list[list[str]]:
    words = shlex.split(command) if isinstance(command, str) else [str(w) for w in command]
    if words[:2] != ["sh", "-c"]:
        return [words]
    return [shlex.split(step) for step in " ".join(words[2:]).split("&&")]


def settings_env_names() -> set[str]:
    """Every environment variable cocreate/settings.py reads."""
    source = (ROOT / "cocreate" / "settings.py").read_text()
    names = set(re.findall(r"(?:os\.environ\.get|env_bool|env_int|env_list)\(\s*\"([A-Z][A-Z0-9_]*)\"", source))
    names |= set(re.findall(r"\benv=\"([A-Z][A-Z0-9_]*)\"", source))  # dj_database_url.config(env=...)
    return names


def test_it_reads_the_required_variables_in_settings():
    names = settings_env_names()
    assert names >= REQUIRED_ENV
    assert {"CSRF_TRUSTED_ORIGINS", "EMAIL_HOST", "DEFAULT_FROM_EMAIL"} <= names


def test_it_defines_the_six_services(compose):
    assert set(compose["services"]) == {"postgres", "redis", "web", "worker", "worker-claim", "beat"}
    assert compose["services"]["postgres"]["image"].split(":") == ["postgres", "16"]
    assert compose["services"]["redis"]["image"].split(":") == ["redis", "7"]


def test_it_builds_one_image_for_web_worker_and_beat(raw_compose, compose):
    assert "x-app" in raw_compose
    app = [compose["services"][name] for name in APP_SERVICES]
    assert all(service.get("build") for service in app)
    assert len({yaml.safe_dump(service["build"]) for service in app}) == 1
    assert len({service["image"] for service in app}) == 1
    build = app[0]["build"]
    context = ROOT / (build if isinstance(build, str) else build.get("context", "."))
    dockerfile = build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile"
    assert (context / dockerfile).is_file()


@pytest.mark.parametrize("name", APP_SERVICES)
def test_it_gives_each_app_service_the_environment_the_settings_read(compose, name):
    env = environment(compose["services"][name])
    read = settings_env_names()
    missing = REQUIRED_ENV - {k for k, v in env.items() if v}
    assert not missing, f"{name} lacks {sorted(missing)}"
    assert "CSRF_TRUSTED_ORIGINS" in env
    mail = {n for n in read if n.startswith("EMAIL_") or n == "DEFAULT_FROM_EMAIL"}
    assert mail <= set(env), f"{name} lacks e-mail settings {sorted(mail - set(env))}"
    unknown = set(env) - read
    assert not unknown, f"{name} sets variables the settings never read (typo?): {sorted(unknown)}"
    assert env["DEBUG"] == "0"
    assert len(env["SECRET_KEY"]) >= 50


def test_it_shares_one_environment_between_the_app_services(compose):
    envs = [environment(compose["services"][name]) for name in APP_SERVICES]
    assert envs[0] == envs[1] == envs[2]


def test_it_refuses_to_start_without_the_secrets(raw_compose):
    for name in ["POSTGRES_PASSWORD", "SECRET_KEY", "ALLOWED_HOSTS"]:
        env = {k: v for k, v in OPERATOR_ENV.items() if k != name}
        with pytest.raises(MissingVariable, match=name):
            interpolate(raw_compose, env)
        with pytest.raises(MissingVariable, match=name):
            interpolate(raw_compose, {**env, name: ""})


@pytest.mark.parametrize("name", APP_SERVICES)
def test_it_points_database_url_at_the_postgres_service(compose, name):
    postgres = environment(compose["services"]["postgres"])
    database = dj_database_url.parse(environment(compose["services"][name])["DATABASE_URL"])
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["HOST"] == "postgres"
    assert int(database["PORT"] or 5432) == 5432
    assert database["NAME"] == postgres["POSTGRES_DB"]
    assert database["USER"] == postgres["POSTGRES_USER"]
    assert database["PASSWORD"] == postgres["POSTGRES_PASSWORD"] == OPERATOR_ENV["POSTGRES_PASSWORD"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_it_points_redis_url_at_the_redis_service(compose, name):
    url = urlsplit(environment(compose["services"][name])["REDIS_URL"])
    assert url.scheme == "redis"
    assert url.hostname == "redis"
    assert (url.port or 6379) == 6379


@pytest.mark.parametrize("name", APP_SERVICES)
def test_it_starts_app_services_after_healthy_postgres_and_redis(compose, name):
    depends_on = compose["services"][name]["depends_on"]
    assert isinstance(depends_on, dict), "the long form is needed for conditions"
    for dependency in ["postgres", "redis"]:
        assert depends_on[dependency]["condition"] == "service_healthy"
    for dependency, spec in depends_on.items():
        assert spec["condition"] == "service_healthy"
        assert compose["services"][dependency].get("healthcheck"), f"{dependency} has no healthcheck"


@pytest.mark.parametrize(
    ("name", "probe"),
    [
        ("postgres", "pg_isready"),
        ("redis", "redis-cli ping"),
        ("web", "urlopen"),
        ("worker", "ping"),
        ("worker-claim", "ping"),
    ],
)
def test_it_has_healthchecks(compose, name, probe):
    test = compose["services"][name]["healthcheck"]["test"]
    assert test[0] in {"CMD", "CMD-SHELL"}
    assert probe in " ".join(test[1:])


def test_it_checks_web_health_the_way_the_proxy_asks(compose):
    test = compose["services"]["web"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    code = test[3]
    compile(code, "web healthcheck", "exec")
    # Through the SSL redirect and host validation, like the proxy in front of it.
    assert "X-Forwarded-Proto" in code
    assert "ALLOWED_HOSTS" in code
    assert "8000" in code
    # The health check that asks the database and the broker, not a page that needs neither.
    assert "/healthz/" in code
    assert "/login/" not in code


def test_it_keeps_postgres_data_in_a_volume(compose):
    volumes = compose["services"]["postgres"]["volumes"]
    named = [v.split(":")[0] for v in volumes if v.split(":")[1] == "/var/lib/postgresql/data"]
    assert named, "postgres keeps its data in a volume"
    assert named[0] in compose["volumes"]


def test_it_migrates_and_collects_static_files_before_gunicorn_starts(compose):
    steps = command_steps(compose["services"]["web"]["command"])
    programs = [step[:3] if step[0] == "python" else step[:2] for step in steps]
    assert programs[0] == ["python", "manage.py", "migrate"]
    assert ["python", "manage.py", "collectstatic"] in programs
    assert programs[-1] == ["exec", "gunicorn"], "gunicorn replaces the shell, so it gets the stop signal"
    assert "--noinput" in steps[0]


def gunicorn_app(compose) -> str:
    words = command_words(compose["services"]["web"]["command"])
    return next(w for w in words[words.index("gunicorn") + 1 :] if not w.startswith("-"))


def test_it_serves_cocreate_wsgi_with_gunicorn(compose):
    target = gunicorn_app(compose)
    assert target.split(":")[0] == "cocreate.wsgi"
    module_name, _, attribute = target.partition(":")
    module = importlib.import_module(module_name)
    assert callable(getattr(module, attribute or "application"))


@pytest.mark.parametrize(("name", "subcommand"), [("worker", "worker"), ("worker-claim", "worker"), ("beat", "beat")])
def test_it_runs_celery_on_the_cocreate_app(compose, name, subcommand):
    words = command_words(compose["services"][name]["command"])
    assert words[:4] == ["celery", "-A", "cocreate", subcommand]
    app = find_app(words[2])
    assert isinstance(app, Celery)
    assert app.main == "cocreate"
    app.loader.import_default_modules()  # what a starting worker or beat does: autodiscovery included
    assert "drafts.tasks.notify_draft_event" in app.tasks


def test_it_keeps_the_beat_schedule_in_a_volume_or_tmp(compose):
    beat = compose["services"]["beat"]
    words = command_words(beat["command"])
    schedule = next((w.split("=", 1)[1] for w in words if w.startswith(("--schedule=", "-s="))), None)
    if schedule is None and "--schedule" in words:
        schedule = words[words.index("--schedule") + 1]
    assert schedule, "beat needs a writable schedule file"
    mounts = [v.split(":")[1] for v in beat.get("volumes", []) if v.split(":")[0] in compose.get("volumes", {})]
    assert schedule.startswith("/tmp/") or any(schedule.startswith(m.rstrip("/") + "/") for m in mounts)


def test_it_builds_a_python_311_image_that_runs_as_a_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11", dockerfile, re.M)
    assert "pip install -r requirements.txt -c constraints.txt" in dockerfile, "install the same pins as make install"
    assert re.search(r"^USER (?!root)\S+", dockerfile, re.M)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", ".git", "var"} <= set(ignored), "keep the virtualenv, history and local data out of the image"


def app_subprocess_env(extra: dict[str, str]) -> dict[str, str]:
    """A clean environment, as in the container: nothing leaks in from the test run (or other tests)."""
    inherited = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if k in os.environ}
    return {**inherited, "DJANGO_SETTINGS_MODULE": "cocreate.settings", **extra}


MINIMAL_PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "cocreate.example.com",
}


@pytest.mark.parametrize("source", ["minimal", "compose"])
def test_it_passes_the_deploy_check(compose, source):
    extra = MINIMAL_PRODUCTION_ENV if source == "minimal" else environment(compose["services"]["web"])
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=app_subprocess_env(extra),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output


def test_it_loads_the_web_app_as_gunicorn_would(compose):
    """gunicorn --check-config imports the app with the compose environment and production settings."""
    words = command_words(compose["services"]["web"]["command"])
    gunicorn_args = words[words.index("gunicorn") + 1 :]
    result = subprocess.run(
        [str(Path(sys.executable).with_name("gunicorn")), "--check-config", *gunicorn_args],
        cwd=ROOT,
        env=app_subprocess_env(environment(compose["services"]["web"])),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
