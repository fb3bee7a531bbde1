"""Settings, driven by environment variables.

Defaults are safe for production (DEBUG off, secure cookies, HSTS); `make run` turns DEBUG on and uses
the embedded SQLite database and a filesystem Celery broker so the demo needs no server at all.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from cocreate.logcontext import CONTEXT_FORMAT as LOG_CONTEXT_FORMAT
from cocreate.logcontext import install_record_factory as install_log_context
from cocreate.observability import sentry_init

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("COCREATE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only-0123456789abcdefghijklmnopqrstuvwxyz"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "axes",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "contributors",
    "contributors.invitations",
    "contributors.agreements",
    "contributors.guidelines",
    "contributors.briefs",
    "contributors.profiles",
    "contributors.notifications",
    "drafts",
    "drafts.worklist",
    "drafts.planning",
    "publishing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cocreate.middleware.RequestBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cocreate.error_pages.ServiceErrorMiddleware",
    # Pages the agreement gate refuses lead to the agreement (302 with ?next=) instead of a 403.
    "contributors.agreements.middleware.AgreementGateMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during authentication into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cocreate.urls"
WSGI_APPLICATION = "cocreate.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                # {{ nav }}: the app bar's boards and user menu (cocreate/navigation.py), read lazily.
                "cocreate.navigation.navigation",
            ],
            # {{ user|person }}: display name and @username, wherever a page shows who did something;
            # {{ when|zoned:board }}: a time in the board's time zone, labelled with the zone.
            # {{ user|initials }}, {% board_tabs board %}: the design system's helpers (docs/design.md).
            "builtins": [
                "contributors.profiles.templatetags.people",
                "contributors.templatetags.zoned",
                "cocreate.templatetags.ui",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
# No DATABASE_URL: the embedded SQLite database, tuned so that web, worker and beat can write at the same
# time: WAL lets readers run beside a writer, IMMEDIATE takes the write lock when a transaction starts
# (no lock upgrade deadlocks), and the busy timeout makes a writer wait instead of "database is locked".
SQLITE_PATH = VAR_DIR / "cocreate.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "contributors.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out attempts before checking passwords
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # anonymous visitors never hold object permissions

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule: revokes the user's API tokens whenever their password changes, however it changes.
    {"NAME": "contributors.profiles.tokens.RevokeApiTokensOnPasswordChange"},
]
# Failed sign-ins are throttled per (username, IP address) pair: a guesser is stopped, but someone guessing
# from elsewhere cannot lock the real user out, and a lockout ends by itself after the cool-off.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# X-Forwarded-For is trusted only when TRUSTED_PROXY_COUNT says how many proxies stand in front; otherwise
# a guesser could pick a new "address" for every attempt.
AXES_IPWARE_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for a day

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my-work"
# An approved draft not scheduled for this long is overdue, and its board's managers are reminded.
WORKLIST_APPROVED_DUE_HOURS = int(os.environ.get("WORKLIST_APPROVED_DUE_HOURS", 72))
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# With DEBUG, whitenoise serves straight from the finders and no collectstatic is needed.
STATIC_ROOT = os.environ.get("STATIC_ROOT") or (None if DEBUG else BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Request bodies over this size are refused with 413 by cocreate.middleware before they are read; the image
# and avatar upload endpoints take their file limit on top.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440))
# Uploaded pictures: at most this many pixels, judged from the header before decoding (cocreate/imaging.py).
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", 25_000_000))

# --- Cache ----------------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ---------------------------------------------------------------------------------------
# Redis in production; without REDIS_URL the filesystem transport, which needs no server and is shared by
# the demo's web, worker and beat processes through a folder.
CELERY_BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "cocreatefs://"  # kombu's filesystem transport, made safe: cocreate/broker.py
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
        # The folder is polled: kombu's default of once a second left the demo's posts up to a minute late
        # once a backlog formed (bench/bench_publishing.py --embedded). Listing a folder 10 times a second
        # costs next to nothing.
        "polling_interval": 0.1,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = "UTC"
# The claim tick has its own queue, so it never waits behind publishing; a worker started without -Q
# consumes all three (the embedded demo's does), production runs one for "claim" and others for the rest.
CELERY_TASK_QUEUES = [Queue("celery"), Queue("claim"), Queue("publish")]
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "publishing.tasks.claim_due_publications": {"queue": "claim"},
    "publishing.tasks.publish_publications": {"queue": "publish"},
    "publishing.tasks.publish_publication": {"queue": "publish"},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # The database says what is due; beat only hands it to the workers, every second.
    "claim-due-publications": {"task": "publishing.tasks.claim_due_publications", "schedule": 1.0},
    "preflight-publications": {"task": "publishing.tasks.preflight_publications", "schedule": 60.0},
    "notify-missed-draft-events": {"task": "drafts.tasks.notify_missed_draft_events", "schedule": 300.0},
    # Overdue reviews, approved drafts not scheduled, scheduled posts whose pre-flight failed: each step is
    # remembered (the notification's source), so running it every ten minutes reminds each person once.
    "worklist-reminders": {"task": "drafts.worklist.tasks.send_work_reminders", "schedule": 600.0},
    "clear-expired-sessions": {"task": "cocreate.tasks.clear_expired_sessions", "schedule": 3600.0},
    # Notifications (contributors/notifications/tasks.py): each person's daily digest at their own hour, the
    # e-mails whose task was lost, and the reminders before a brief's deadline; all claimed, so sent once.
    "notification-digests": {"task": "contributors.notifications.tasks.send_digests", "schedule": 900.0},
    "notification-mail-missed": {"task": "contributors.notifications.tasks.send_missed_emails", "schedule": 300.0},
    "brief-deadline-reminders": {"task": "contributors.notifications.tasks.remind_brief_deadlines", "schedule": 900.0},
    # Claimed once per agreement and end date, so running it hourly sends each reminder once.
    "agreement-expiry-reminders": {
        "task": "contributors.agreements.tasks.send_agreement_expiry_reminders",
        "schedule": 3600.0,
    },
}

# Fernet keys for channel credentials, newest first (publishing/crypto.py); derived from SECRET_KEY if unset.
CHANNEL_CREDENTIAL_KEYS = env_list("CHANNEL_CREDENTIAL_KEYS", "")
PUBLISHING_HTTP_TIMEOUT = float(os.environ.get("PUBLISHING_HTTP_TIMEOUT", 10))
PUBLISHING_BACKOFF_BASE_SECONDS = float(os.environ.get("PUBLISHING_BACKOFF_BASE_SECONDS", 30))
# Work whose task was lost is taken back after these many seconds (sending: longer than a task may run).
PUBLISHING_CLAIM_STALE_SECONDS = float(os.environ.get("PUBLISHING_CLAIM_STALE_SECONDS", 120))
PUBLISHING_SENDING_STALE_SECONDS = float(os.environ.get("PUBLISHING_SENDING_STALE_SECONDS", 360))
# Claimed rows not yet taken by a worker, at most: a burst waits in the database, not in the broker.
PUBLISHING_CLAIM_AHEAD = int(os.environ.get("PUBLISHING_CLAIM_AHEAD", 1000))
# Channels may reach loopback, private and link-local addresses, and plain http (publishing/egress.py):
# for development and the demo's stand-ins only; off in production, where it would allow SSRF.
PUBLISHING_ALLOW_PRIVATE_ADDRESSES = env_bool("PUBLISHING_ALLOW_PRIVATE_ADDRESSES", DEBUG)

# --- E-mail ---------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cocreate <noreply@localhost>")
# Where people open Cocreate, scheme and host (no trailing slash): e-mails are sent by workers, which have no
# request to take the address from, so every link in a mail starts with this. Without it: the demo's address
# with DEBUG, else https:// and the first of ALLOWED_HOSTS.
SITE_URL = (
    os.environ.get("SITE_URL")
    or ("http://127.0.0.1:8000" if DEBUG else (f"https://{ALLOWED_HOSTS[0]}" if ALLOWED_HOSTS else "http://localhost"))
).rstrip("/")

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous API caller gets 401 with a WWW-Authenticate header, not 403.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "cocreate.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "cocreate.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cocreate.api.exception_handler",
    "PAGE_SIZE": 50,
    # The browsable API is a debugging aid: in production every API answer is JSON.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
# API tokens (django-rest-knox): several per user, stored as digests, each ending after API_TOKEN_TTL_DAYS.
# A password change or reset and deactivating the account revoke them all (contributors/profiles/tokens.py).
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=float(os.environ.get("API_TOKEN_TTL_DAYS", 30))),
    "AUTH_HEADER_PREFIX": "Token",
}
API_TOKEN_MAX_PER_USER = int(os.environ.get("API_TOKEN_MAX_PER_USER", 20))
# Password reset requests: at most this many an hour per address, and as many per client address.
PASSWORD_RESET_RATE_PER_HOUR = int(os.environ.get("PASSWORD_RESET_RATE_PER_HOUR", 5))

SPECTACULAR_SETTINGS = {
    "TITLE": "Cocreate API",
    "DESCRIPTION": "Boards, drafts and their review workflow.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and the docs page are for signed-in users only (anonymous: 401), like the rest of the API.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # The docs page's scripts are served from our own static files: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Drafts and publications both have a `state`: name their enums apart in the schema.
    "ENUM_NAME_OVERRIDES": {
        "DraftStateEnum": "drafts.models.DraftState",
        "PublicationStateEnum": "publishing.models.PublicationState",
        "NotificationKindEnum": "contributors.notifications.kinds.Kind",
    },
}

# --- Security -------------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers and orchestrators probe over plain http on the inside: the health check answers them there.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# X-Forwarded-Proto says "this came in over https" only when a proxy of ours sets it; without one in front,
# any client could send the header and pass for a secure request.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT > 0 else None
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts and styles come from our own static files, or carry the
# request's nonce ({{ CSP_NONCE }}); no inline handlers, no eval. htmx's indicator <style> is turned off in
# base.html (its rules live in cocreate.css). data: images are for the icons inlined in Swagger UI's
# stylesheet. The API docs page needs no exception: it is the split Swagger view, whose script is a URL.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Powerful browser features the app never uses, denied to the page and anything it embeds.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
}

# --- Logs and error reporting --------------------------------------------------------------------
# Every line says which draft, publication and channel it is about ("-" when none): the Celery task entry
# points set the ids (cocreate/logcontext.py). The worker keeps Celery's own log set-up, with the same ids.
install_log_context()
LOG_FORMAT = f"%(asctime)s %(levelname)s %(name)s {LOG_CONTEXT_FORMAT} %(message)s"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"context": {"format": LOG_FORMAT}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "context"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
CELERY_WORKER_LOG_FORMAT = f"[%(asctime)s: %(levelname)s/%(processName)s] {LOG_CONTEXT_FORMAT} %(message)s"
CELERY_WORKER_TASK_LOG_FORMAT = (
    f"[%(asctime)s: %(levelname)s/%(processName)s] %(task_name)s[%(task_id)s] {LOG_CONTEXT_FORMAT} %(message)s"
)
# Sentry (Django and Celery integrations) only when SENTRY_DSN is set; off otherwise.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
SENTRY_ENABLED = sentry_init(
    dsn=SENTRY_DSN,
    environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
    traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", 0)),
)
