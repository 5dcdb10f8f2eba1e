"""Settings for the Medef digital-transformation portal.

The environment is read once, here. With no environment at all the portal runs in its
*embedded* mode (SQLite, Celery eager, e-mail to the console); production reads
DATABASE_URL, CELERY_BROKER_URL, REDIS_URL, ... (see README and .env.example).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.http import is_same_domain
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name, "").strip()
    return [item.strip() for item in raw.split(",") if item.strip()] if raw else default


# --- Core -------------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", True)
TESTING = env_bool("PORTAL_TESTING", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG=0 "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    # Embedded/development mode only: never used when DEBUG is off.
    SECRET_KEY = "embedded-development-key-not-for-production-use-" + "x" * 16

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# Absolute links in e-mails (workers have no request to build them from).
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")


def base_url_problem(base_url: str, allowed_hosts: list[str]) -> str | None:
    """Why ``base_url`` cannot be the public address of a production portal, or None."""
    parsed = urlparse(base_url)
    if not base_url:
        return "it is not set"
    if parsed.scheme != "https" or not parsed.hostname:
        return f"{base_url!r} is not an https:// URL"
    host = f"[{parsed.hostname}]" if ":" in parsed.hostname else parsed.hostname
    if not any(pattern == "*" or is_same_domain(host, pattern) for pattern in allowed_hosts):
        return f"its host {host!r} is not in DJANGO_ALLOWED_HOSTS ({', '.join(allowed_hosts) or 'empty'})"
    return None


if not DEBUG and (problem := base_url_problem(PORTAL_BASE_URL, ALLOWED_HOSTS)):
    raise ImproperlyConfigured(
        f"PORTAL_BASE_URL is required when DJANGO_DEBUG=0 and must be the portal's public https:// "
        f"address, e.g. https://portal.example.org (links in e-mails are built on it): {problem}."
    )

INSTALLED_APPS = [
    # modeltranslation must come before django.contrib.admin
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "import_export",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",  # each app's rules.py: "may this happen now?"
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "portal",
    "organisations",  # ground floor: organisations shared by every programme
    "expeditions",
    "contests",
    "mooc",
    "measures",
    "diagnostic",
    "billing",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # CORS for the public API only (CORS_URLS_REGEX), before anything that may answer early.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, the first to read the body: an oversized one is refused unread.
    "portal.middleware.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "portal.middleware.StaffMFARequiredMiddleware",
    "portal.middleware.PrivatePagesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
SITE_ID = 1

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
                "django.template.context_processors.i18n",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
# Embedded default: SQLite in WAL mode with IMMEDIATE transactions and a busy timeout, so
# that writers queue instead of failing. Capacity guarantees (row locks) are only real on
# PostgreSQL, which production uses through DATABASE_URL.

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
    test_name = env_str("PORTAL_TEST_DB_NAME")
    if test_name:
        DATABASES["default"]["TEST"] = {"NAME": test_name}
else:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "var" / "db.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
EMBEDDED_DATABASE = not DATABASE_URL

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "portal.User"

# --- Cache (allauth rate limits need one shared cache across workers) --------------------

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.RedisCache",  # Django's, with one client per pool
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -----------------------------------------------------------------------------
# Without a broker the tasks run eagerly in the request (embedded mode). With one, a real
# worker and beat run them. Deadlines live in the database and are acted on by the periodic
# sweeps listed in PERIODIC_JOBS; no long ETA/countdown is ever used (Redis would redeliver
# them after the visibility timeout).

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://localhost/"
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "portal")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
}
CELERY_TIMEZONE = "Europe/Paris"

# One registry of periodic jobs: beat schedules them in production, `manage.py
# run_periodic` loops over them in embedded mode. Each job must be idempotent.
PERIODIC_JOBS: dict[str, dict] = {
    "notifications-sweep": {"task": "portal.tasks.sweep_notifications", "every": 60},
    "notifications-purge": {"task": "portal.tasks.purge_old_notifications", "every": 24 * 3600},
    # Retention: accounts never confirmed, expired sessions.
    "accounts-unverified-purge": {"task": "portal.tasks.purge_unverified_accounts", "every": 24 * 3600},
    "sessions-clear": {"task": "portal.tasks.clear_expired_sessions", "every": 24 * 3600},
    "mooc-run-starts": {"task": "mooc.tasks.notify_run_starts", "every": 3600},
    "mooc-inactivity-reminders": {"task": "mooc.tasks.remind_inactive_learners", "every": 24 * 3600},
    # Hourly, idempotent (dedup per person and ISO week): last week's digest goes out early on Monday.
    "measures-weekly-digest": {"task": "measures.tasks.send_weekly_digests", "every": 3600},
    "expeditions-sweep": {"task": "expeditions.tasks.sweep", "every": 300},
    "expeditions-purge-sensitive-data": {"task": "expeditions.tasks.purge_sensitive_data", "every": 24 * 3600},
    # Hourly, idempotent (one reminder per place and invited address): group colleagues who have
    # not completed their details, in the 3 days before the group's deadline.
    "expeditions-group-reminders": {"task": "expeditions.tasks.remind_group_members", "every": 3600},
    # Contest: submitted projects go under review at the deadline; drafts and reviews get reminders.
    "contests-deadline-sweep": {"task": "contests.tasks.deadline_sweep", "every": 60},
    "contests-reminders": {"task": "contests.tasks.send_reminders", "every": 15 * 60},
    # Daily, idempotent: closed invitations of colleagues go CONTESTS_INVITATION_RETENTION_DAYS after closing.
    "contests-invitations-purge": {"task": "contests.tasks.purge_old_invitations", "every": 24 * 3600},
    # Hourly, idempotent: a closed quarter's barometer is frozen once (an open quarter never).
    "diagnostic-barometer-snapshots": {"task": "diagnostic.tasks.snapshot_closed_quarters", "every": 3600},
}
CELERY_BEAT_SCHEDULE = {
    name: {"task": job["task"], "schedule": timedelta(seconds=job["every"])}
    for name, job in PERIODIC_JOBS.items()
}

# --- E-mail -----------------------------------------------------------------------------


def _email_settings_from_url(url: str) -> dict:
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme in {"console", ""}:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme not in {"smtp", "smtps", "smtp+tls", "submission"}:
        raise ImproperlyConfigured(f"EMAIL_URL scheme {scheme!r} is not supported.")
    query = parse_qs(parsed.query)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname or "localhost",
        "EMAIL_PORT": parsed.port or (465 if scheme == "smtps" else 587 if scheme != "smtp" else 25),
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_SSL": scheme == "smtps" or "ssl" in query,
        "EMAIL_USE_TLS": scheme in {"smtp+tls", "submission"} or "tls" in query,
    }


EMAIL_URL = env_str("EMAIL_URL")
if EMAIL_URL:
    globals().update(_email_settings_from_url(EMAIL_URL))
elif env_str("DJANGO_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("DJANGO_EMAIL_HOST")
    EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Medef numérique <numerique@portal.example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Outbox tuning (see portal/notifications/services.py).
NOTIFICATION_LEASE_SECONDS = env_int("NOTIFICATION_LEASE_SECONDS", 300)
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 6)

# Row locks (portal/locking.py): how long a transaction waits for a locked row on PostgreSQL
# before giving up (the request fails and rolls back instead of hanging behind a stuck one).
PORTAL_LOCK_TIMEOUT_SECONDS = env_int("PORTAL_LOCK_TIMEOUT_SECONDS", 15)

# --- Accounts (django-allauth 65.x) -----------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Medef numérique] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "portal.forms.SignupForm"}  # a known address is timed like a new one
ACCOUNT_RATE_LIMITS = {}  # allauth's defaults, on (login_failed, signup, reset_password, ...)
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "me:dashboard"
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Medef numérique"
# Staff must have a second factor in production (see portal.middleware).
PORTAL_STAFF_MFA_REQUIRED = env_bool("PORTAL_STAFF_MFA_REQUIRED", not DEBUG)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation ---------------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr",)
# English pages read dates and numbers the British way (15 January 2026, 14:30), not Django's US default.
FORMAT_MODULE_PATH = ["portal.formats"]
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media -------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"  # never served directly: uploads go through permission-checked views
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# The largest request body each kind of view accepts (first match wins; deploy/Caddyfile holds the
# same figures, a test checks they agree): forms are small; a project's files are 10 MB at most
# (contests/uploads.py) plus the form around them; staff imports and cover images in the admin; and
# MOOC lesson videos (500 MB, mooc/content.py) on the admin's lesson pages only.
PORTAL_REQUEST_BODY_LIMITS = [
    ("videos", r"^/admin/mooc/lesson/", 520 * 1024 * 1024),
    ("admin", r"^/admin/", 30 * 1024 * 1024),
    ("uploads", r"^/(?:en/)?contests/projects/\d+/files/$", 12 * 1024 * 1024),
    ("forms", r"", 1024 * 1024),
]
# Scale-out: with PORTAL_S3_BUCKET, uploads live in an S3-compatible object store (django-storages),
# shared by every web and worker process; otherwise on the local disk (MEDIA_ROOT). The bucket
# stays private: downloads are streamed by the permission-checked views (portal/storage.py),
# never redirected to the store, so no object URL is ever handed out (querystring_auth stays on
# so that even a leaked .url() is signed and short-lived).
PORTAL_S3_BUCKET = env_str("PORTAL_S3_BUCKET")
if PORTAL_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PORTAL_S3_BUCKET,
            "endpoint_url": env_str("PORTAL_S3_ENDPOINT_URL") or None,
            "access_key": env_str("PORTAL_S3_ACCESS_KEY_ID"),
            "secret_key": env_str("PORTAL_S3_SECRET_ACCESS_KEY"),
            "region_name": env_str("PORTAL_S3_REGION", "us-east-1"),
            "location": env_str("PORTAL_S3_PREFIX", "media"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            "addressing_style": "path",
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_PERMISSIONS = 0o640

# --- Security ---------------------------------------------------------------------------

# With a shared cache (production), sessions are read from it and written through to the
# database, which stays the record (portal.sessions): a logged-in page saves a query.
if REDIS_URL:
    SESSION_ENGINE = "portal.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": [],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "media-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# --- Import / export --------------------------------------------------------------------
# Import needs the model's "add" permission and always previews (dry run) before writing;
# export needs "view". Formula neutralisation is done by portal.exports, not by the
# library's own option (which stringifies every cell).

IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_SKIP_ADMIN_CONFIRM = False
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"
# XLSX and JSON exports are built in memory: above this many rows the admin asks for CSV (streamed)
PORTAL_EXPORT_MEMORY_ROW_LIMIT = env_int("PORTAL_EXPORT_MEMORY_ROW_LIMIT", 20_000)

# --- Public API (/api/v1/: Django REST framework + drf-spectacular; see api/) -------------
# Read-only and anonymous: no authentication class (a logged-in person's session is never
# read), no parser (no body is accepted). Each client's rate is counted in the shared cache
# (Redis in production); PORTAL_API_RATE="" switches it off, which the test run does.

PORTAL_API_RATE = env_str("PORTAL_API_RATE", "" if TESTING else "120/minute")
# Each answer is kept this many seconds per URL and language in the shared cache (api/conditional.py).
PORTAL_API_CACHE_SECONDS = env_int("PORTAL_API_CACHE_SECONDS", 0 if TESTING else 10)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "NUM_PROXIES": ALLAUTH_TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Medef numérique — open data API",
    "DESCRIPTION": (
        "Read-only public data of the programme: the 19 measures, learning expeditions, contest editions and "
        "their laureates, MOOC courses, the digital-maturity barometer. Licence Ouverte / Open Licence 2.0 "
        "(SPDX etalab-2.0). Languages: `?lang=fr|en` or `Accept-Language` (French by default); an English "
        "text without a translation is given in French and its field is listed in the object's "
        "`fallback_fields`. Lists are cursor-paginated (`next`). Every answer carries `ETag` and "
        "`Last-Modified`: send `If-None-Match` or `If-Modified-Since` to get 304."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
    "LICENSE": {"name": "Licence Ouverte / Open Licence 2.0 (etalab-2.0)",
                "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"},
}
# CORS: any origin may read the API (GET/HEAD/OPTIONS), never with credentials.
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_HEADERS = ("accept", "accept-language", "if-none-match", "if-modified-since")
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Content-Language", "Link", "Retry-After")

# --- Logging ----------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Portal-wide constants --------------------------------------------------------------

# The address shown in every page's footer.
PORTAL_CONTACT_EMAIL = env_str("PORTAL_CONTACT_EMAIL", "numerique@portal.example.org")
PORTAL_NOTIFICATION_RETENTION_DAYS = env_int("PORTAL_NOTIFICATION_RETENTION_DAYS", 365)
# An account whose address was never confirmed is erased this many days after sign-up.
PORTAL_UNVERIFIED_ACCOUNT_RETENTION_DAYS = env_int("PORTAL_UNVERIFIED_ACCOUNT_RETENTION_DAYS", 30)
# A company invitation (an address) is deleted this many days after it was accepted, declined,
# revoked or expired.
# Verifiable credentials (portal/credential_keys.py): the RSA signing key in PEM, or a file holding
# it; retired public keys stay published so that what they signed still verifies. Without a key,
# the embedded mode and the tests generate one into var/credentials/; production fails check --deploy.
PORTAL_CREDENTIALS_SIGNING_KEY = env_str("PORTAL_CREDENTIALS_SIGNING_KEY")
PORTAL_CREDENTIALS_SIGNING_KEY_FILE = env_str("PORTAL_CREDENTIALS_SIGNING_KEY_FILE")
PORTAL_CREDENTIALS_RETIRED_KEYS = env_str("PORTAL_CREDENTIALS_RETIRED_KEYS")
PORTAL_CREDENTIALS_RETIRED_KEYS_FILE = env_str("PORTAL_CREDENTIALS_RETIRED_KEYS_FILE")
PORTAL_CREDENTIALS_DEV_KEY_DIR = Path(env_str("PORTAL_CREDENTIALS_DEV_KEY_DIR", str(BASE_DIR / "var" / "credentials")))
CONTESTS_INVITATION_RETENTION_DAYS = env_int("CONTESTS_INVITATION_RETENTION_DAYS", 90)
if CONTESTS_INVITATION_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("CONTESTS_INVITATION_RETENTION_DAYS must be a number of days, 1 or more.")

# --- Invoicing: the seller's legal details (the federation), printed on every quote and invoice ---
# The defaults are PLACEHOLDERS for development, marked as such on the documents; production sets
# every BILLING_SELLER_* variable (``manage.py check --deploy`` warns while a placeholder is left).
BILLING_PLACEHOLDER_MARK = "[À RENSEIGNER]"
BILLING_SELLER = {
    "name": env_str("BILLING_SELLER_NAME", "Medef — Mouvement des entreprises de France " + BILLING_PLACEHOLDER_MARK),
    "legal_form": env_str("BILLING_SELLER_LEGAL_FORM", "Association loi 1901 " + BILLING_PLACEHOLDER_MARK),
    "share_capital": env_str("BILLING_SELLER_SHARE_CAPITAL", ""),  # companies only: "au capital de … €"
    # one line per address line; "\n" (backslash n) in the variable separates them
    "address": env_str("BILLING_SELLER_ADDRESS", "55 avenue Bosquet\\n75007 Paris " + BILLING_PLACEHOLDER_MARK).replace("\\n", "\n"),
    "country": env_str("BILLING_SELLER_COUNTRY", "FR"),
    "siren": env_str("BILLING_SELLER_SIREN", "000000000"),
    "rcs": env_str("BILLING_SELLER_RCS", "RCS Paris 000 000 000 " + BILLING_PLACEHOLDER_MARK),
    "vat_number": env_str("BILLING_SELLER_VAT_NUMBER", "FR00000000000"),
    "iban": env_str("BILLING_SELLER_IBAN", ""),
    "bic": env_str("BILLING_SELLER_BIC", ""),
    "email": env_str("BILLING_SELLER_EMAIL", "facturation@portal.example.org"),
}
# Late-payment penalties (Commercial Code L441-10: at least three times the legal interest rate;
# the usual clause is the ECB's refinancing rate plus 10 points) and early-payment terms.
BILLING_LATE_PENALTY_TEXT = env_str(
    "BILLING_LATE_PENALTY_TEXT",
    "taux de refinancement de la BCE majoré de 10 points (article L441-10 du Code de commerce)")
# Printed when the federation opted to pay VAT on debits (services: otherwise due on receipt).
BILLING_VAT_ON_DEBITS = env_bool("BILLING_VAT_ON_DEBITS", False)
BILLING_EARLY_PAYMENT_TEXT = env_str("BILLING_EARLY_PAYMENT_TEXT", "Pas d’escompte pour paiement anticipé.")
