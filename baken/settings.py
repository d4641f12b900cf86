"""Baken's one settings module, read from the environment.

Every variable is documented in ``docs/configuration.md`` and ``.env.example``. The defaults
give a working embedded installation: SQLite under ``var/``, an in-memory channel layer, the
database task backend and secrets generated once into ``var/``. A wrong value stops start-up
with a message that names the variable (see ``baken.lib.env``).
"""

from __future__ import annotations

import importlib.util
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
import structlog
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from baken.lib.env import env_bool, env_int, env_list, env_secret, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(env_str("BAKEN_VAR_DIR", str(BASE_DIR / "var"))).resolve()

# --- Mode -------------------------------------------------------------------------------------

#: Production refuses generated secrets and plain HTTP; see docs/configuration.md.
PRODUCTION = env_bool("BAKEN_PRODUCTION", False)
#: Demo mode lets staff in without a second factor (never in production).
DEMO_MODE = env_bool("BAKEN_DEMO_MODE", False)
if PRODUCTION and DEMO_MODE:
    raise ImproperlyConfigured("BAKEN_DEMO_MODE cannot be on when BAKEN_PRODUCTION is on.")
DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG cannot be on when BAKEN_PRODUCTION is on.")

SECRET_KEY = env_secret("SECRET_KEY", default_file=VAR_DIR / "secret_key", generate=not PRODUCTION)
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long.")
#: In production a key must be long and not a placeholder from a manual or an example file.
PRODUCTION_KEY_MIN_LENGTH = 50
_PLACEHOLDER_KEY = re.compile(r"insecure|change.?me|example|secret|default|^(.)\1*$", re.I)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
for _origin in CSRF_TRUSTED_ORIGINS:
    if urlparse(_origin).scheme not in {"http", "https"}:
        raise ImproperlyConfigured(
            f"CSRF_TRUSTED_ORIGINS entries must start with https:// (got {_origin!r})."
        )

# --- Applications -----------------------------------------------------------------------------

INSTALLED_APPS = [
    "baken.web.apps.BakenAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "channels",
    "django_otp",
    "django_otp_webauthn",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "baken.operations",
    "django_htmx",
    "csp",
    # Baken's bounded contexts, in dependency order (see docs/architecture.md).
    "baken.directory",
    "baken.accounts",
    "baken.audit",
    "baken.casework",
    "baken.chat",
    "baken.portal",
    "baken.insight",
    "baken.admonitor",
    "baken.supervision",
    "baken.programmes",
    "baken.web",
    "baken.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "baken.lib.middleware.RequestLogMiddleware",
    "baken.lib.middleware.AllowedMethodsMiddleware",
    "baken.lib.middleware.NoStoreForStaffMiddleware",
    "baken.casework.middleware.ApiVersionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "baken.accounts.middleware.StaffSessionMiddleware",
    "baken.audit.middleware.AuditContextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

#: Paths whose every answer is ``Cache-Control: no-store`` (personal data; lib/middleware.py).
NO_STORE_PATH_PREFIXES = ["/werk/", "/beheer/", "/api/"]

ROOT_URLCONF = "baken.urls"
ASGI_APPLICATION = "baken.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "baken.web.context_processors.baken",
            ],
        },
    },
]

# Form widgets render through templates in baken/templates/django/forms (NL Design System classes).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Requests larger than this are refused (413 on the API) before anything is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# Request bodies are refused before Django reads them (baken.lib.asgi_limits, in asgi.py):
# public pages and the partner API small, staff pages with a session large enough for the
# largest upload (an ad export of 50 MB, admonitor.forms) with multipart overhead.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_MB", 2, minimum=1) * 1024 * 1024
REQUEST_BODY_MAX_BYTES_STAFF = env_int("REQUEST_BODY_MAX_MB_STAFF", 60, minimum=1) * 1024 * 1024

# --- Database, cache, channel layer, tasks ----------------------------------------------------

_DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'baken.sqlite3'}"
# The URLs carry passwords: like the keys they may come from a file (``DATABASE_URL_FILE``).
DATABASE_URL = (
    env_secret("DATABASE_URL")
    if env_str("DATABASE_URL") or env_str("DATABASE_URL_FILE")
    else _DEFAULT_DATABASE_URL
)
_db_scheme = urlparse(DATABASE_URL).scheme
if _db_scheme not in {"sqlite", "postgres", "postgresql"}:
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with sqlite:// or postgres:// (got {_db_scheme or 'nothing'!r})."
    )
if PRODUCTION and _db_scheme == "sqlite" and not env_bool("BAKEN_ALLOW_SQLITE", False):
    raise ImproperlyConfigured(
        "Production runs on PostgreSQL: set DATABASE_URL=postgres://… (or, for a single-process "
        "installation that accepts SQLite's limits, BAKEN_ALLOW_SQLITE=true)."
    )
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {exc}") from None
if _db_scheme in {"postgres", "postgresql"}:
    # A connection pool (psycopg-pool, Django's "pool" option): under ASGI every websocket
    # frame and request reaches the database through a worker thread that closes its
    # connection afterwards; from a pool that costs nothing, a fresh PostgreSQL backend costs
    # milliseconds (docs/chat.md, bench/chat.py).
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": env_int("DATABASE_POOL_MIN", 2, minimum=1),
            "max_size": env_int("DATABASE_POOL_MAX", 10, minimum=1),
            "timeout": 10,
        }
    }
if _db_scheme == "sqlite":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server and a task worker use the file at the same time.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_secret("REDIS_URL") if env_str("REDIS_URL") or env_str("REDIS_URL_FILE") else ""
if REDIS_URL:
    if urlparse(REDIS_URL).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(f"REDIS_URL must start with redis:// (got {REDIS_URL!r}).")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "baken",
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "baken"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

#: Background tasks (mail, ad files): in the database, run by the worker role (``baken
#: db_worker``). Without a worker (development) they run at once, after the request commits.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if PRODUCTION or env_str("BAKEN_TASKS", "") == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}

# --- Accounts, authentication, sessions -------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "baken.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:staff-home"
QUICK_EXIT_URL = env_str("QUICK_EXIT_URL", "https://www.weeronline.nl/")

# Staff sessions end when the browser closes, after STAFF_SESSION_IDLE_MINUTES without a
# request, and at the latest after SESSION_COOKIE_AGE. Pages warn a few minutes before.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env_int("SESSION_MAX_HOURS", 10, minimum=1) * 3600
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 30, minimum=2)
# Step-up: changing a second factor, the password or roles asks for password and second factor
# again, valid this many minutes (accounts/sessions.py).
STAFF_STEP_UP_MINUTES = env_int("STAFF_STEP_UP_MINUTES", 5, minimum=1)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# The CSRF cookie lasts as long as the browser session, not Django's default year: a visitor's
# browser keeps no Baken cookie after it is closed (issue 17, "fewer traces").
CSRF_COOKIE_AGE = None

# django-axes: lock by username only (see QUALITY.md); answer a locked login with 429.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
# ... and so without storing the IP address or browser of any attempt (accounts/lockout.py).
AXES_HANDLER = "baken.accounts.lockout.AddresslessAxesHandler"
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
AXES_USERNAME_FORM_FIELD = "username"

# django-otp
OTP_TOTP_ISSUER = "Baken"
OTP_TOTP_THROTTLE_FACTOR = 1

# django-otp-webauthn: passkeys, as a second factor only (never instead of the password).
# Browsers accept a passkey only on an origin whose host is the RP ID or a subdomain of it, and
# never on an IP address: locally, open Baken at http://localhost:8000, not 127.0.0.1.
OTP_WEBAUTHN_RP_NAME = "Baken"
OTP_WEBAUTHN_RP_ID = env_str("WEBAUTHN_RP_ID", "localhost").strip().lower()
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "WEBAUTHN_ORIGINS",
    [
        "http://localhost:8000"
        if OTP_WEBAUTHN_RP_ID == "localhost"
        else f"https://{OTP_WEBAUTHN_RP_ID}"
    ],
)
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
_DOMAIN_NAME = r"localhost|([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*"
if not re.fullmatch(_DOMAIN_NAME, OTP_WEBAUTHN_RP_ID):
    raise ImproperlyConfigured(
        f"WEBAUTHN_RP_ID must be a domain name like baken.example.nl (got {OTP_WEBAUTHN_RP_ID!r})."
    )
for _origin in OTP_WEBAUTHN_ALLOWED_ORIGINS:
    _parsed = urlparse(_origin)
    _host = _parsed.hostname or ""
    if (
        _parsed.path
        or (_host != OTP_WEBAUTHN_RP_ID and not _host.endswith(f".{OTP_WEBAUTHN_RP_ID}"))
        or (_parsed.scheme != "https" and not (_parsed.scheme == "http" and _host == "localhost"))
    ):
        raise ImproperlyConfigured(
            "WEBAUTHN_ORIGINS entries must look like https://<WEBAUTHN_RP_ID or a subdomain>[:port]"
            f" (http:// only for localhost, no path); got {_origin!r}."
        )

# --- Encryption at rest -----------------------------------------------------------------------

# django-fernet-encrypted-fields derives its Fernet keys from SECRET_KEY and SALT_KEY; Baken
# calls the latter FIELD_ENCRYPTION_KEY. A comma-separated list rotates: the first encrypts,
# every one decrypts (docs/security.md, crypto inventory).
FIELD_ENCRYPTION_KEY = env_secret(
    "FIELD_ENCRYPTION_KEY", default_file=VAR_DIR / "field_encryption_key", generate=not PRODUCTION
)
SALT_KEY = [key.strip() for key in FIELD_ENCRYPTION_KEY.split(",") if key.strip()]
if any(len(key) < 32 for key in SALT_KEY):
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY entries must be at least 32 characters.")

# Keyed pseudonyms (HMAC) that link the same person, phone or address across signals and the
# anonymous reporters' receipt codes. An HMAC cannot be re-keyed without its input, so a
# comma-separated list rotates: the first makes every new pseudonym and digest, every one is
# still looked up (docs/security.md, "Rotating keys"). PSEUDONYM_KEY is the first.
PSEUDONYM_KEYS = [
    key.strip()
    for key in env_secret(
        "PSEUDONYM_KEY", default_file=VAR_DIR / "pseudonym_key", generate=not PRODUCTION
    ).split(",")
    if key.strip()
]
if not PSEUDONYM_KEYS:
    raise ImproperlyConfigured("PSEUDONYM_KEY must not be empty.")
PSEUDONYM_KEY = PSEUDONYM_KEYS[0]
if PRODUCTION:
    # Minimum lengths: the signing key and the encrypting field key can be rotated (a fallback,
    # a second entry), so they must be long now; older field keys and existing pseudonym keys
    # cannot be dropped without losing data or links, so for them the general minimum of 32
    # holds. Every entry of a list is checked, and no key may appear twice.
    _keys = {"SECRET_KEY": (SECRET_KEY, PRODUCTION_KEY_MIN_LENGTH)}
    for _n, _key in enumerate(SALT_KEY):
        _minimum = PRODUCTION_KEY_MIN_LENGTH if _n == 0 else 32
        _keys[f"FIELD_ENCRYPTION_KEY[{_n}]" if _n else "FIELD_ENCRYPTION_KEY"] = (_key, _minimum)
    for _n, _key in enumerate(PSEUDONYM_KEYS):
        _keys[f"PSEUDONYM_KEY[{_n}]" if _n else "PSEUDONYM_KEY"] = (_key, 32)
    for _name, (_key, _minimum) in _keys.items():
        if len(_key) < _minimum or _PLACEHOLDER_KEY.search(_key):
            raise ImproperlyConfigured(
                f"{_name} is too short or a placeholder: in production use at least "
                f"{_minimum} random characters (docs/configuration.md, production checklist)."
            )
    if len({_key for _key, _minimum in _keys.values()}) < len(_keys):
        raise ImproperlyConfigured(
            "SECRET_KEY, FIELD_ENCRYPTION_KEY and PSEUDONYM_KEY must be three different keys"
            " (and no key twice in a list)."
        )

# --- Security headers -------------------------------------------------------------------------

HTTPS = env_bool("BAKEN_HTTPS", PRODUCTION)
if PRODUCTION and not HTTPS:
    raise ImproperlyConfigured("BAKEN_HTTPS must be on when BAKEN_PRODUCTION is on.")
if env_bool("BAKEN_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    # The __Host- prefix: a browser keeps such a cookie only when it came over HTTPS, with
    # Path=/ and no Domain, so no sibling (sub)domain can plant or overwrite it. On plain HTTP
    # (a laptop) browsers refuse the prefix, so the plain names stay there.
    SESSION_COOKIE_NAME = "__Host-baken-session"
    CSRF_COOKIE_NAME = "__Host-baken-csrf"
SECURE_SSL_REDIRECT = HTTPS
#: The proxy and the orchestrator probe health over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
SECURE_HSTS_SECONDS = 63072000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin", not "no-referrer": with no-referrer browsers send `Origin: null` on every form
# POST, which Django's CSRF protection (rightly) refuses. same-origin still sends nothing to any
# other site, so no visited address leaks out (docs/security.md).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    # Lockout is by username on purpose (QUALITY.md): staff share NAT addresses, and an
    # address-based lock would need every visitor's address, which Baken never keeps.
    "axes.W006",
    *([] if PRODUCTION else ["security.W004", "security.W008"]),
]

# django-csp 4: no inline script and no third-party origin, anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# django-permissions-policy: Baken needs none of these browser features.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "browsing-topics",
    )
}

# --- Language ---------------------------------------------------------------------------------

LANGUAGE_CODE = "nl"
#: The staff side speaks Dutch and English; the public side (portal, self-check, chat, report)
#: also the languages of the region's largest groups of labour migrants and newcomers.
LANGUAGES = [
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("pl", _("Polish")),
    ("ro", _("Romanian")),
    ("bg", _("Bulgarian")),
    ("uk", _("Ukrainian")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
]
STAFF_LANGUAGES = ("nl", "en")
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
#: Secure like the session and CSRF cookies (wapiti found it without: docs/security-scans.md).
LANGUAGE_COOKIE_SECURE = HTTPS

# --- Static files -----------------------------------------------------------------------------

STATIC_URL = "/static/"
#: `baken collectstatic` writes here; the image collects into /opt/baken/static at build time,
#: outside the var volume, so that an upgrade brings its own files (docs/deploy.md).
STATIC_ROOT = Path(env_str("BAKEN_STATIC_ROOT", str(VAR_DIR / "static"))).resolve()
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Case documents and inspection photos, encrypted before they are stored, go to the "private"
# storage (baken.lib.storage): a directory under var/ by default; S3-compatible object storage
# with BAKEN_STORAGE=s3 (django-storages, boto3 from the `s3` extra), so that web containers hold
# no state. Neither has a URL: files are served only through audited views (docs/deploy.md).
BAKEN_STORAGE = env_str("BAKEN_STORAGE", "local").strip().lower()
if BAKEN_STORAGE == "local":
    PRIVATE_STORAGE: dict[str, object] = {
        "BACKEND": "baken.lib.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": env_str("BAKEN_PRIVATE_DIR", str(VAR_DIR / "private"))},
    }
elif BAKEN_STORAGE == "s3":
    if importlib.util.find_spec("boto3") is None:
        raise ImproperlyConfigured(
            "BAKEN_STORAGE=s3 needs boto3: install Baken with its s3 extra (pip install 'baken[s3]')."
        )
    if not env_str("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("AWS_STORAGE_BUCKET_NAME must be set when BAKEN_STORAGE=s3.")
    _s3_options: dict[str, object] = {
        "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
        # Objects go under this prefix in the bucket; the bucket itself must not be public.
        "location": env_str("AWS_LOCATION", "private"),
        "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
        "region_name": env_str("AWS_S3_REGION_NAME") or None,
        # "path" for most S3-compatible servers (MinIO, Ceph), "virtual" for AWS itself.
        "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE") or None,
    }
    # Without keys boto3 finds its own credentials (an instance role, ~/.aws); *_FILE for secrets.
    for _name, _option in (
        ("AWS_ACCESS_KEY_ID", "access_key"),
        ("AWS_SECRET_ACCESS_KEY", "secret_key"),
    ):
        if env_str(_name) or env_str(f"{_name}_FILE"):
            _s3_options[_option] = env_secret(_name)
    PRIVATE_STORAGE = {"BACKEND": "baken.lib.storage_s3.PrivateS3Storage", "OPTIONS": _s3_options}
else:
    raise ImproperlyConfigured(f"BAKEN_STORAGE must be local or s3 (got {BAKEN_STORAGE!r}).")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
    "private": PRIVATE_STORAGE,
}
WHITENOISE_USE_FINDERS = DEBUG

#: The bearer token Prometheus sends for ``/metrics`` (without it: open in development, absent
#: in production).
METRICS_TOKEN = (
    env_secret("METRICS_TOKEN") if env_str("METRICS_TOKEN") or env_str("METRICS_TOKEN_FILE") else ""
)

# --- Logging ----------------------------------------------------------------------------------

# Logs never carry a client address: anonymous visitors must stay unseen (docs/privacy.md).
#: ``json`` (one object per line, for a log collector) or ``plain`` (for a terminal).
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "plain")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or plain (got {LOG_FORMAT!r}).")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        # One JSON object per line (structlog renders the standard library's records), with the
        # request id of the request it belongs to (baken.lib.middleware).
        "json": {
            "()": structlog.stdlib.ProcessorFormatter,
            "foreign_pre_chain": [
                structlog.contextvars.merge_contextvars,
                structlog.stdlib.add_log_level,
                structlog.stdlib.add_logger_name,
                structlog.processors.TimeStamper(fmt="iso", utc=True),
            ],
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                structlog.processors.JSONRenderer(),
            ],
        },
    },
    # No visitor's address in any log line (docs/privacy.md): see baken/lib/logfilters.py.
    "filters": {
        "redact_addresses": {"()": "baken.lib.logfilters.RedactAddresses"},
        "drop_connection_lines": {"()": "baken.lib.logfilters.DropConnectionLines"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["redact_addresses"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "uvicorn.access": {"handlers": [], "propagate": False},
        "uvicorn.error": {"filters": ["drop_connection_lines"]},
        "axes": {"level": "WARNING"},
        # One line per job start and end would drown the log: job runs are on record.
        "apscheduler": {"level": "WARNING"},
        # A failing probe answers 503 with the reason; no traceback per probe in the log.
        "health_check": {"level": "ERROR"},
    },
}

# --- Baken ------------------------------------------------------------------------------------

#: A referral without an answer for this many days sends a reminder (and again every period).
REFERRAL_REMINDER_DAYS = env_int("REFERRAL_REMINDER_DAYS", 5, minimum=1)
#: Retention (docs/privacy.md), enforced by `baken purge` (run it daily).
#: Signals that never became a case are deleted this long after triage:
SIGNAL_RETENTION_DAYS = env_int("SIGNAL_RETENTION_DAYS", 365, minimum=30)
#: Closed cases lose their direct identifiers this long after closure:
CASE_PSEUDONYMISE_YEARS = env_int("CASE_PSEUDONYMISE_YEARS", 5, minimum=1)
#: Audit events are kept this long:
AUDIT_RETENTION_YEARS = env_int("AUDIT_RETENTION_YEARS", 7, minimum=1)
#: Failed logins are kept shorter: they serve spotting password guessing, not accountability.
AUDIT_LOGIN_FAILED_RETENTION_DAYS = env_int("AUDIT_LOGIN_FAILED_RETENTION_DAYS", 365, minimum=30)
#: The region a signal belongs to when no municipality is known (one Baken serves one region).
DEFAULT_REGION = env_str("BAKEN_DEFAULT_REGION", "twente")

# --- Mail (docs/configuration.md) -------------------------------------------------------------
# Baken never sends inside a request: every mail goes into the outbox (operations.OutboundMail)
# and a background task delivers it, retrying with back-off; what fails for good shows in Baken.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION or env_str("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = (
    env_secret("EMAIL_HOST_PASSWORD")
    if env_str("EMAIL_HOST_PASSWORD") or env_str("EMAIL_HOST_PASSWORD_FILE")
    else ""
)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS (STARTTLS, port 587) or EMAIL_USE_SSL, not both.")
#: Seconds before a silent mail server counts as down (the outbox then retries).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "baken@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
#: Delivery attempts before a mail counts as failed (waits 1, 2, 4, … minutes, at most an hour).
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 8, minimum=1)

# --- Scheduled jobs and background roles (docs/deploy.md) -----------------------------------
#: Minutes between runs of each scheduled job (``baken/web/jobs.py``), run by ``baken
#: scheduler``; ``BAKEN_JOB_<NAME>_MINUTES`` changes one (``BAKEN_JOB_PURGE_MINUTES=720``).
JOB_INTERVAL_MINUTES = {
    name: env_int(f"BAKEN_JOB_{name.upper()}_MINUTES", default, minimum=1)
    for name, default in {
        "mail_outbox": 1,
        "worker_ping": 1,
        "referral_reminders": 60,
        "insight_refresh": 60,
        "ad_inbox": 15,
        "purge": 24 * 60,
        "sessions_cleanup": 24 * 60,
        "lockouts_cleanup": 24 * 60,
    }.items()
}
#: The folder a collector drops files of ads into; the ``ad_inbox`` job takes them in.
ADMONITOR_INBOX_DIR = env_str("ADMONITOR_INBOX_DIR", "")
#: Whether a worker and a scheduler must be running: ``/health/ready`` fails without them.
EXPECT_BACKGROUND_ROLES = env_bool("BAKEN_EXPECT_BACKGROUND", PRODUCTION)
#: A role not seen for this long counts as down.
HEARTBEAT_STALE_SECONDS = env_int("BAKEN_HEARTBEAT_STALE_SECONDS", 180, minimum=30)

#: Anonymous reports one visitor may send per hour, and receipt codes they may try
#: (rotating hash, cache only; docs/privacy.md).
ANONYMOUS_REPORTS_PER_HOUR = env_int("ANONYMOUS_REPORTS_PER_HOUR", 5, minimum=1)
RECEIPT_LOOKUPS_PER_HOUR = env_int("RECEIPT_LOOKUPS_PER_HOUR", 20, minimum=1)
#: A coordinator gets at most one e-mail per this many minutes for alerts raised by anonymous
#: reports (every alert is still in Baken): a flood of reports cannot flood their mailbox.
ANONYMOUS_ALERT_MAIL_MINUTES = env_int("ANONYMOUS_ALERT_MAIL_MINUTES", 10, minimum=1)

#: The chat (docs/chat.md). Transcripts are deleted this long after the last message, unless a
#: signal was made of the conversation:
CHAT_RETENTION_DAYS = env_int("CHAT_RETENTION_DAYS", 30, minimum=1)
#: Raw ads are deleted this long after they were last seen (docs/admonitor.md).
ADMONITOR_RETENTION_DAYS = env_int("ADMONITOR_RETENTION_DAYS", 90, minimum=1)
CHAT_MESSAGE_MAX_CHARS = env_int("CHAT_MESSAGE_MAX_CHARS", 2000, minimum=100)
#: Frames per second one visitor socket may send (bursts of 10 allowed).
CHAT_FRAMES_PER_SECOND = env_int("CHAT_FRAMES_PER_SECOND", 3, minimum=1)
#: New chats or left messages per visitor (rotating address hash, cache only) per hour.
CHAT_STARTS_PER_HOUR = env_int("CHAT_STARTS_PER_HOUR", 6, minimum=1)
#: A blocked visitor cannot start a new chat from the same address for this long.
CHAT_BLOCK_HOURS = env_int("CHAT_BLOCK_HOURS", 24, minimum=1)
CHAT_CLOSED_ON_PUBLIC_HOLIDAYS = env_bool("CHAT_CLOSED_ON_PUBLIC_HOLIDAYS", True)

#: Directory entries not verified for this many days appear on the "to check" list.
DIRECTORY_VERIFY_AFTER_DAYS = env_int("DIRECTORY_VERIFY_AFTER_DAYS", 365, minimum=1)
