"""A channel's settings and credentials judged by its kind's declared fields (ConfigField on the adapter).

channel_create and channel_update call config_clean, so the pages, the API and the admin accept exactly
the same values; the per-kind forms read the same declarations to build their inputs.
"""

import ipaddress
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from publishing.adapters import REGISTRY
from publishing.adapters.base import ConfigField
from publishing.egress import is_public, private_addresses_allowed

# Written by the adapters themselves (a Bluesky session, when a refreshed LinkedIn token expires): kept
# when stored, never typed in.
MANAGED_CREDENTIALS = {"session", "refresh_token_expires_at"}


def settings_fields(kind: str) -> tuple[ConfigField, ...]:
    return REGISTRY[kind].settings_fields if kind in REGISTRY else ()


def credential_fields(kind: str) -> tuple[ConfigField, ...]:
    return REGISTRY[kind].credential_fields if kind in REGISTRY else ()


def locating_settings(kind: str) -> tuple[str, ...]:
    """The settings that say where the channel points (see ConfigField.locates)."""
    return tuple(field.name for field in settings_fields(kind) if field.locates)


def config_clean(
    *, kind: str, label: str, settings: dict, credentials: dict | None, stored_credentials: dict | None = None
) -> tuple[dict, dict | None]:
    """The settings and the new credentials (None: keep the stored ones) with each value checked and
    normalised; ValidationError {"settings": [...], "credentials": [...]} naming every problem."""
    if kind not in REGISTRY:
        return settings, credentials  # Channel.full_clean refuses an unknown kind
    errors: dict[str, list[ValidationError]] = {}
    settings = _section(settings, settings_fields(kind), "settings", errors, known=set())
    if credentials is not None:
        credentials = _section(credentials, credential_fields(kind), "credentials", errors, known=MANAGED_CREDENTIALS)
    in_force = {
        "settings": settings,
        "credentials": credentials if credentials is not None else stored_credentials or {},
    }
    for section, fields in (("settings", settings_fields(kind)), ("credentials", credential_fields(kind))):
        missing = [f.name for f in fields if f.required and in_force[section].get(f.name) in (None, "", [])]
        if missing:
            message = f"{label} needs these {section}: {', '.join(missing)}."
            errors.setdefault(section, []).insert(0, ValidationError(message, code="required"))
    if errors:
        raise ValidationError(errors)
    return settings, credentials


def field_error(name: str, problem: str) -> ValidationError:
    """A problem with one key; params["field"] lets a form show it at that key's input."""
    return ValidationError(f"{name}: {problem}".replace("%", "%%"), code="invalid", params={"field": name})


def _section(values, fields, section: str, errors: dict, known: set) -> dict:
    if not isinstance(values, dict):
        errors[section] = [ValidationError(f"The {section} are an object of names and values.", code="invalid")]
        return {}
    declared = {field.name: field for field in fields}
    cleaned = {}
    for name, value in values.items():
        field = declared.get(name)
        if field is None:
            if name in known:
                cleaned[name] = value
            else:
                errors.setdefault(section, []).append(field_error(name, "not a setting of this kind of channel."))
            continue
        if value is None or value == "":
            continue  # left empty: the adapter's default
        try:
            cleaned[name] = clean_value(field, value)
        except ValueError as problem:
            errors.setdefault(section, []).append(field_error(name, str(problem)))
    return cleaned


# The longest URL the platforms take (Pinterest's link), and plenty for any other text setting.
SETTING_MAX_CHARS = 2048


def clean_value(field: ConfigField, value):
    """The value in the type the adapter reads, or ValueError saying what is wrong with it."""
    cleaner = CLEANERS[field.type]
    return cleaner(field, value)


def _text(field, value):
    if not isinstance(value, str):
        raise ValueError("must be text.")
    value = value.strip()
    if len(value) > SETTING_MAX_CHARS:
        raise ValueError(f"must be at most {SETTING_MAX_CHARS:,} characters.")
    return value


def _url(field, value):
    """An address the server will connect to: https (http too where private addresses are allowed, for
    development), with a host, no credentials in it, and not a literal non-public IP in production."""
    value = _text(field, value)
    parts = urlsplit(value)
    schemes = ("https", "http") if private_addresses_allowed() else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        raise ValueError(f"must be an {' or '.join(schemes)} address, e.g. https://example.com.")
    if parts.username or parts.password:
        raise ValueError("must not hold a user name or password (they go in the credentials).")
    try:
        parts.port  # noqa: B018 - raises for a port that is not a number
    except ValueError:
        raise ValueError("has a port that is not a number.") from None
    _refuse_private_literal(parts.hostname)
    return value


def _link(field, value):
    """A link put in posts (never fetched by the server): http or https."""
    value = _text(field, value)
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError("must be an http or https address, e.g. https://example.com/page.")
    return value


def _host(field, value):
    value = _text(field, value)
    if not value or any(char in value for char in "/:@ ?#") and not _is_ip(value):
        raise ValueError("must be a host name, e.g. smtp.example.com (no scheme, port or path).")
    _refuse_private_literal(value)
    return value


def _refuse_private_literal(host: str) -> None:
    if _is_ip(host) and not private_addresses_allowed() and not is_public(host):
        raise ValueError(f"{host} is not a public address.")


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return False
    return True


def _integer(field, value):
    if isinstance(value, bool):
        raise ValueError("must be a whole number.")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or not 0 <= value <= 2**53:
        raise ValueError("must be a whole number, 0 or more.")
    return value


def _number(field, value):
    if isinstance(value, bool) or not isinstance(value, int | float):
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ValueError("must be a number.") from None
    return value


def _boolean(field, value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ValueError("must be true or false.")


def _choice(field, value):
    if value not in field.choices:
        raise ValueError(f"must be one of {', '.join(field.choices)}.")
    return value


def _list(field, value, item=_text):
    if isinstance(value, str):
        value = [part for part in value.replace("\n", ",").split(",") if part.strip()]
    if not isinstance(value, list) or len(value) > 1000:
        raise ValueError("must be a list.")
    return [item(field, element) for element in value]


def _integers(field, value):
    return _list(field, value, _integer)


def _email(field, value):
    value = _text(field, value)
    try:
        validate_email(value)
    except ValidationError:
        raise ValueError(f"{value} is not an e-mail address.") from None
    return value


def _emails(field, value):
    return _list(field, value, _email)


CLEANERS = {
    "text": _text,
    "url": _url,
    "link": _link,
    "host": _host,
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "choice": _choice,
    "list": _list,
    "integers": _integers,
    "emails": _emails,
    "email": _email,
}
