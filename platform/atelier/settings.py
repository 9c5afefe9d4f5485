"""Atelier's one settings module.

Every value comes from the environment, with a default that runs on a fresh machine (the embedded mode):
SQLite in `var/`, media in `var/media/`, Celery tasks executed in-process without a broker, a local-memory
cache. `DATABASE_URL`, `REDIS_URL` and `S3_*` switch to PostgreSQL, Redis and any S3 API. `.env.example`
lists every variable; `tests/test_settings_contract.py` keeps that list, this module and docker-compose.yml
in agreement.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from annotations.domain.payout_fees import parse_fee as _fee_rule

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

INSECURE_DEV_SECRET_KEY = "insecure-dev-key-only-for-the-embedded-demo-never-in-production-0123456789"

# --- Core ---------------------------------------------------------------------------------------------------
DEBUG: bool = env.bool("DEBUG", default=True)
SECRET_KEY: str = env.str("SECRET_KEY", default=INSECURE_DEV_SECRET_KEY)
# Rotation: put the old key here while the new one is SECRET_KEY, so sessions and signed links made with it keep
# working until they expire (docs/operations.md).
SECRET_KEY_FALLBACKS: list[str] = env.list("SECRET_KEY_FALLBACKS", default=[])
if not DEBUG and SECRET_KEY == INSECURE_DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])
DATA_DIR = Path(env.str("ATELIER_DATA_DIR", default=str(BASE_DIR / "var")))
SITE_URL: str = env.str("SITE_URL", default="http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_vite",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.headless",
    "annotations",
    "workers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before common: the language of each request from its Accept-Language (the browser app
    # sends its own on every call); errors, mails of the request and pages then speak it.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "annotations.middleware.SessionActivityMiddleware",  # allauth usersessions, recorded at most every few minutes
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "annotations.middleware.ServiceUnavailableMiddleware",  # last: it sees the views' exceptions first
]

ROOT_URLCONF = "atelier.urls"
WSGI_APPLICATION = "atelier.wsgi.application"
AUTH_USER_MODEL = "annotations.User"
LOGIN_URL = "/login"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Atelier's own templates first: they override allauth's mail (annotations comes after allauth in
        # INSTALLED_APPS, so the app directories alone would find allauth's).
        "DIRS": [BASE_DIR / "annotations" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------------------
_SQLITE_DEFAULT = f"sqlite:///{DATA_DIR / 'atelier.sqlite3'}"
DATABASE_URL: str = env.str("DATABASE_URL", default="") or _SQLITE_DEFAULT
DATABASES: dict[str, dict[str, Any]] = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN, so two writers
    # serialise instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# --- Redis: Celery broker and result backend, cache -----------------------------------------------------------
REDIS_URL: str = env.str("REDIS_URL", default="")
EMBEDDED_TASKS = not REDIS_URL

# Visibility timeout: a task not acknowledged in this time is delivered again. It must stay at least twice the
# longest hard time limit (Celery #5306, #5935): see docs/architecture.md, "Jobs".
CELERY_TASK_TIME_LIMIT: int = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT: int = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=540)
CELERY_VISIBILITY_TIMEOUT: int = env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * CELERY_TASK_TIME_LIMIT)
if CELERY_VISIBILITY_TIMEOUT < 2 * CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must be at least twice CELERY_TASK_TIME_LIMIT.")

# Embedded mode: the broker is a folder (kombu's filesystem transport), so `make run` can start a real worker with
# beat beside the web process and scheduled work (payouts, automatic approvals, lease expiry, webhook retries)
# runs without Redis. The web process still runs the tasks it sends in-process (eager, below); only the worker
# started with EMBEDDED_WORKER=true sends through the folder. See docs/architecture.md, "Running modes".
EMBEDDED_WORKER: bool = env.bool("EMBEDDED_WORKER", default=False)
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
if not REDIS_URL:
    _BROKER_DIR = DATA_DIR / "celery"
    for _folder in ("queue", "control"):
        (_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(_BROKER_DIR / "queue"),
        "data_folder_out": str(_BROKER_DIR / "queue"),
        "control_folder": str(_BROKER_DIR / "control"),
    }
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_SERIALIZER = "json"
# The queue tasks go to unless routed elsewhere (workers take it with -Q; the test suite gives each process its own).
CELERY_TASK_DEFAULT_QUEUE: str = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# A task is acknowledged only after it ran, and re-delivered if its worker process dies: every task is written
# to be idempotent (state checked under a row lock), so running it again is safe; losing it is not.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Embedded mode: the web process runs the tasks it sends in-process, as they are sent. Never a silent fallback:
# the mode follows from REDIS_URL being unset and /healthz reports it. The embedded worker (and the beat inside it)
# sends through the folder broker instead: eager, beat would run every scheduled task inside itself (it calls
# `apply_async` on tasks it knows), and a worker would never see one.
CELERY_TASK_ALWAYS_EAGER = EMBEDDED_TASKS and not EMBEDDED_WORKER
CELERY_TASK_EAGER_PROPAGATES = CELERY_TASK_ALWAYS_EAGER
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "sweep-pending-media": {"task": "workers.sweep_pending_media", "schedule": 300.0},
    "expire-leases": {"task": "workers.expire_leases", "schedule": 60.0},
    "approve-overdue-reviews": {"task": "workers.approve_overdue_reviews", "schedule": 600.0},
    "gather-payouts": {"task": "workers.gather_payouts", "schedule": 3600.0},
    "sweep-payouts": {"task": "workers.sweep_payouts", "schedule": 300.0},
    "sweep-fingerprints": {"task": "workers.sweep_fingerprints", "schedule": 900.0},
    "sweep-content-credentials": {"task": "workers.sweep_content_credentials", "schedule": 900.0},
    "sweep-dataset-builds": {"task": "workers.sweep_dataset_builds", "schedule": 300.0},
    "dispatch-due-webhooks": {"task": "workers.dispatch_due_webhooks", "schedule": 30.0},
    "sweep-emails": {"task": "workers.sweep_emails", "schedule": 120.0},
    "send-project-digests": {"task": "workers.send_project_digests", "schedule": crontab(hour=7, minute=0)},
}

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "atelier.cache.ReusedClientRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Storage: local folder or any S3 API ----------------------------------------------------------------------
S3_BUCKET: str = env.str("S3_BUCKET", default="")
S3_ENDPOINT_URL: str = env.str("S3_ENDPOINT_URL", default="")
S3_REGION: str = env.str("S3_REGION", default="us-east-1")
S3_ACCESS_KEY_ID: str = env.str("S3_ACCESS_KEY_ID", default=env.str("AWS_ACCESS_KEY_ID", default=""))
S3_SECRET_ACCESS_KEY: str = env.str("S3_SECRET_ACCESS_KEY", default=env.str("AWS_SECRET_ACCESS_KEY", default=""))
S3_PUBLIC_ENDPOINT_URL: str = env.str("S3_PUBLIC_ENDPOINT_URL", default=S3_ENDPOINT_URL)
# Seconds before a storage call counts as failed (then retried with backoff by the task that made it).
S3_CONNECT_TIMEOUT: float = env.float("S3_CONNECT_TIMEOUT", default=5.0)
S3_READ_TIMEOUT: float = env.float("S3_READ_TIMEOUT", default=30.0)
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(DATA_DIR / "static")))
STATIC_URL = "/static/"
# The Vite build the pages are served from (a second checkout or a parallel build may point elsewhere).
FRONTEND_DIST = BASE_DIR / env.str("FRONTEND_DIST", default="frontend/dist")
STATICFILES_DIRS = [FRONTEND_DIST]

if S3_BUCKET:
    _default_storage: dict[str, Any] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": S3_ENDPOINT_URL or None,
            "region_name": S3_REGION,
            "access_key": S3_ACCESS_KEY_ID or None,
            "secret_key": S3_SECRET_ACCESS_KEY or None,
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 300,
            "signature_version": "s3v4",
            "addressing_style": "path" if S3_ENDPOINT_URL else None,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {}}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Vite already puts a content hash in every asset name; whitenoise may cache them for ever.
WHITENOISE_IMMUTABLE_FILE_TEST = r"^.+[.-][0-9a-zA-Z_-]{8,12}\..+$"
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

DJANGO_VITE = {
    "default": {
        "dev_mode": env.bool("VITE_DEV_MODE", default=False),
        "dev_server_port": env.int("VITE_DEV_SERVER_PORT", default=5173),
        "manifest_path": FRONTEND_DIST / ".vite" / "manifest.json",
    }
}

# --- Auth -----------------------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions are read from the cache (Redis where configured) and written through to the database: a request reads
# no session row, and a session survives a cache flush. Ending a session deletes both (services/members.py).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "annotations.api.errors.csrf_failure"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# --- Accounts: django-allauth, headless (docs/accounts.md) ----------------------------------------------------
# The browser app speaks allauth's headless API at /_allauth/browser/v1/ (session cookie and CSRF); other clients
# at /_allauth/app/v1/ (X-Session-Token). allauth renders no pages of its own: the React app is the front end.
HEADLESS_ONLY = True
HEADLESS_CLIENTS = ("browser", "app")
HEADLESS_ADAPTER = "annotations.api.allauth.HeadlessAdapter"
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": f"{SITE_URL}/account/verify-email/{{key}}",
    "account_reset_password": f"{SITE_URL}/account/password/reset",
    "account_reset_password_from_key": f"{SITE_URL}/account/password/reset/key/{{key}}",
    "account_signup": f"{SITE_URL}/signup",
}
HEADLESS_SERVE_SPECIFICATION = True  # allauth's own OpenAPI document at /_allauth/openapi.yaml
ACCOUNT_ADAPTER = "annotations.api.allauth.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "annotations.api.allauth.SignupForm"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True  # "your password was changed", "a new email address was added", ...
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Atelier] "
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_USERNAME_BLACKLIST = ["admin", "root", "support", "atelier", "staff"]
ACCOUNT_SESSION_REMEMBER = True
# Counted in the cache (Redis where REDIS_URL is set; allauth turns its limits off on a dummy cache). allauth reads
# the client address from REMOTE_ADDR; behind N proxies set ALLAUTH_TRUSTED_PROXY_COUNT so it reads X-Forwarded-For.
ACCOUNT_RATE_LIMITS: dict[str, str] = {
    "login_failed": env.str("ACCOUNT_RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "signup": env.str("ACCOUNT_RATE_LIMIT_SIGNUP", default="20/m/ip"),
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "login": env.str("ACCOUNT_RATE_LIMIT_LOGIN", default="30/m/ip"),  # every login attempt: 429 past it
}
ALLAUTH_TRUSTED_PROXY_COUNT: int = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Atelier"
USERSESSIONS_TRACK_ACTIVITY = True
# A session's "last seen" is recorded at most this often (annotations/middleware.py), not on every request.
USERSESSIONS_ACTIVITY_SECONDS: int = env.int("USERSESSIONS_ACTIVITY_SECONDS", default=300)
# Open sign-up is for freelancers only (staff join by invitation); false closes it (docs/accounts.md).
SIGNUP_OPEN: bool = env.bool("SIGNUP_OPEN", default=True)
# The contributor terms a freelancer accepts at sign-up; a new version asks again.
CONTRIBUTOR_TERMS_VERSION: str = env.str("CONTRIBUTOR_TERMS_VERSION", default="2026-12")
INVITATION_DAYS: int = env.int("INVITATION_DAYS", default=7)

# --- Email (docs/email.md) ------------------------------------------------------------------------------------
# EMAIL_URL: smtp://user:password@host:587 (smtp+tls://, smtp+ssl://), consolemail://, filemail:///path. Unset: every
# mail is printed to the console and written to var/mail/ (the embedded default). EMAIL_BACKEND names any other
# backend, e.g. an anymail provider's (anymail.backends.postmark.EmailBackend) with its keys in ANYMAIL.
EMAIL_URL: str = env.str("EMAIL_URL", default="")
MAIL_DIR = DATA_DIR / "mail"
_email: dict[str, Any] = env.email_url_config(EMAIL_URL) if EMAIL_URL else {}
EMAIL_BACKEND: str = env.str(
    "EMAIL_BACKEND", default=_email.get("EMAIL_BACKEND", "annotations.providers.mail.ConsoleAndFileBackend")
)
EMAIL_HOST: str = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT: int = int(_email.get("EMAIL_PORT") or 25)
EMAIL_HOST_USER: str = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD: str = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS: bool = bool(_email.get("EMAIL_USE_TLS", False))
EMAIL_USE_SSL: bool = bool(_email.get("EMAIL_USE_SSL", False))
EMAIL_FILE_PATH: str = str(_email.get("EMAIL_FILE_PATH") or MAIL_DIR)
ANYMAIL: dict[str, str] = env.dict("ANYMAIL", default={})
EMAIL_TIMEOUT: int = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL: str = env.str("DEFAULT_FROM_EMAIL", default="Atelier <no-reply@atelier.localhost>")
SERVER_EMAIL: str = DEFAULT_FROM_EMAIL

# --- Security (production defaults follow DEBUG) --------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE: bool = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE: bool = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT: bool = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS: int = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS: bool = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD: bool = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

_storage_origins = [S3_PUBLIC_ENDPOINT_URL] if S3_PUBLIC_ENDPOINT_URL else []
if S3_BUCKET and not S3_PUBLIC_ENDPOINT_URL:
    _storage_origins = [f"https://{S3_BUCKET}.s3.{S3_REGION}.amazonaws.com"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # The nonce is for the stylesheets that libraries put into shadow roots (wavesurfer.js), handed to them
        # from the page's <meta name="csp-nonce">; no inline style of the page's own is allowed.
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "blob:", *_storage_origins],
        "media-src": [SELF, "blob:", *_storage_origins],
        "connect-src": [SELF, *_storage_origins],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- API ------------------------------------------------------------------------------------------------------
EXPORT_RATE_LIMIT: str = env.str("EXPORT_RATE_LIMIT", default="600/minute")
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes a missing or bad credential a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "annotations.api.authentication.ApiTokenAuthentication",
        "annotations.api.authentication.SessionAuthentication",
        # allauth's app clients: the session token of /_allauth/app/v1/ as X-Session-Token.
        "allauth.headless.contrib.rest_framework.authentication.XSessionTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "annotations.api.permissions.TokenScopes",
        # An organization's require_two_factor: its staff without an authenticator app get 403 two_factor_required.
        "annotations.api.permissions.TwoFactorPolicy",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "annotations.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "annotations.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Every call: per token, per user, else per address (API_RATE_LIMIT, API_ANON_RATE_LIMIT). Export reads per
    # token (per user in the browser) on top. Counted in the cache, so shared by every web process.
    "DEFAULT_THROTTLE_CLASSES": ["annotations.api.throttling.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"export": EXPORT_RATE_LIMIT},
}
API_RATE_LIMIT: str = env.str("API_RATE_LIMIT", default="3000/minute")
API_ANON_RATE_LIMIT: str = env.str("API_ANON_RATE_LIMIT", default="300/minute")
DRAFT_UPLOAD_RATE_LIMIT: str = env.str("DRAFT_UPLOAD_RATE_LIMIT", default="120/hour")
SPECTACULAR_SETTINGS = {
    "TITLE": "Atelier API",
    "DESCRIPTION": (
        "Creative-annotation crowdsourcing: projects, the creative process behind every contribution, "
        "fair pay and training-data export. Every 4xx answers with one error shape: "
        '`{"error": {"status", "code", "message", "fields"}}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "PATH_CONVERTER_OVERRIDES": {"id": int},  # annotations/api/converters.py: an integer id, out of range a 404
    "ENUM_NAME_OVERRIDES": {
        "MediaKindEnum": "annotations.models.projects.MediaKind",
        "MediaStatusEnum": "annotations.models.projects.MediaStatus",
        "ProjectStatusEnum": "annotations.models.projects.ProjectStatus",
        "DraftKindEnum": "annotations.models.work.DraftKind",
        "ContributionStateEnum": "annotations.models.work.ContributionState",
        "StaffRoleEnum": "annotations.models.invitations.InvitationRole",
        "ExamStatusEnum": "annotations.selectors.exams.STATUSES",
        "NotificationKindEnum": "annotations.api.notifications.KINDS",
        "PayoutMethodStatusEnum": "annotations.models.payouts.PayoutMethodStatus",
        "TokenScopeEnum": "annotations.domain.tokens.SCOPE_VALUES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "annotations.api.schema.add_error_responses",
    ],
}

# --- Product --------------------------------------------------------------------------------------------------
# The platform's minimum effective hourly rate per pay currency; a project can only pay in one of these.
PLATFORM_MIN_HOURLY_RATES: dict[str, str] = env.dict(
    "PLATFORM_MIN_HOURLY_RATES", default={"USD": "15.00", "EUR": "14.00", "GBP": "12.50"}
)
# A claimed task's lease: this many times the project's estimated minutes (at least 10 minutes); activity renews it.
LEASE_MULTIPLE: float = env.float("LEASE_MULTIPLE", default=3.0)
# Provenance manifests are signed with this Ed25519 key (base64 of the 32-byte private key). Empty: a key kept in
# the data folder, made on first use (fine for one machine; set it when several machines sign).
PROVENANCE_SIGNING_KEY: str = env.str("PROVENANCE_SIGNING_KEY", default="")
# Content Credentials (C2PA) need an X.509 chain for that key: a path to a PEM file (signer first, root last), e.g.
# one issued by a CA on the C2PA trust list. Empty: the platform issues its own chain per key, kept in the database.
C2PA_CERTIFICATE_CHAIN: str = env.str("C2PA_CERTIFICATE_CHAIN", default="")
# Outgoing webhooks: networks (addresses or CIDRs) allowed although not public, e.g. an internal receiver; the
# first retry's delay in seconds (then doubling, at most an hour).
WEBHOOK_ALLOWED_NETWORKS: list[str] = env.list("WEBHOOK_ALLOWED_NETWORKS", default=[])
WEBHOOK_FIRST_RETRY_SECONDS: int = env.int("WEBHOOK_FIRST_RETRY_SECONDS", default=60)
# Payouts: balances at or over the minimum (minor units) are paid out by the hourly gather.
PAYOUT_PROVIDER: str = env.str("PAYOUT_PROVIDER", default="sandbox")
PAYOUT_MINIMUM_MINOR: int = env.int("PAYOUT_MINIMUM_MINOR", default=1000)
PAYOUT_PROVIDER_URL: str = env.str("PAYOUT_PROVIDER_URL", default="")
PAYOUT_PROVIDER_API_KEY: str = env.str("PAYOUT_PROVIDER_API_KEY", default="")
PAYOUT_WEBHOOK_SECRET: str = env.str("PAYOUT_WEBHOOK_SECRET", default="")
SANDBOX_SETTLE_SECONDS: float = env.float("SANDBOX_SETTLE_SECONDS", default=1.0)
SANDBOX_LATENCY_SECONDS: float = env.float("SANDBOX_LATENCY_SECONDS", default=0.0)
if PAYOUT_PROVIDER not in ("sandbox", "http"):
    raise ImproperlyConfigured("PAYOUT_PROVIDER is sandbox or http.")
# The rails freelancers can choose to be paid through (docs/payout-rails.md), and each rail's credentials. The
# API bases default to the rails' sandboxes; tests point them at loopback servers that answer as the rails do.
PAYOUT_RAILS: list[str] = env.list("PAYOUT_RAILS", default=["sandbox"])
PAYPAL_API_BASE: str = env.str("PAYPAL_API_BASE", default="https://api-m.sandbox.paypal.com")
PAYPAL_CLIENT_ID: str = env.str("PAYPAL_CLIENT_ID", default="")
PAYPAL_CLIENT_SECRET: str = env.str("PAYPAL_CLIENT_SECRET", default="")
PAYPAL_WEBHOOK_ID: str = env.str("PAYPAL_WEBHOOK_ID", default="")
STRIPE_API_BASE: str = env.str("STRIPE_API_BASE", default="")  # empty: Stripe's own (https://api.stripe.com)
STRIPE_SECRET_KEY: str = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET: str = env.str("STRIPE_WEBHOOK_SECRET", default="")
# What each rail charges per payout, taken from the payout ("2%", "0.25% + 0.25", "2% max 20.00"; amounts in the
# payout's currency), and the smallest payout per rail and currency ("paypal.USD=1.00"; else PAYOUT_MINIMUM_MINOR).
# The hourly gather runs as Celery tasks of this many freelancers each; a send task hands this many payouts to a
# rail that takes them one by one (PayPal takes a whole batch, up to 15,000, in one call).
PAYOUT_SHARD_SIZE: int = env.int("PAYOUT_SHARD_SIZE", default=500)
PAYOUT_SEND_BATCH: int = env.int("PAYOUT_SEND_BATCH", default=100)
PAYOUT_FEES: dict[str, str] = env.dict("PAYOUT_FEES", default={})
PAYOUT_MINIMUMS: dict[str, str] = env.dict("PAYOUT_MINIMUMS", default={})
# A new or changed payout method is paid only after this many hours (a stolen session cannot redirect pay at once).
PAYOUT_METHOD_HOLD_HOURS: int = env.int("PAYOUT_METHOD_HOLD_HOURS", default=48)
if unknown_rails := set(PAYOUT_RAILS) - {"sandbox", "paypal", "stripe"}:
    raise ImproperlyConfigured(f"PAYOUT_RAILS takes sandbox, paypal and stripe, not {', '.join(sorted(unknown_rails))}")
if "paypal" in PAYOUT_RAILS and not (PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET):
    raise ImproperlyConfigured("PAYOUT_RAILS offers paypal: set PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET.")
if "stripe" in PAYOUT_RAILS and not STRIPE_SECRET_KEY:
    raise ImproperlyConfigured("PAYOUT_RAILS offers stripe: set STRIPE_SECRET_KEY.")
for _rail, _rule in PAYOUT_FEES.items():
    try:
        _fee_rule(_rule)
    except ValueError as _bad:
        raise ImproperlyConfigured(f"PAYOUT_FEES {_rail}: {_bad}") from None
for _key, _value in PAYOUT_MINIMUMS.items():
    if not re.fullmatch(r"[a-z]+\.[A-Z]{3}", _key) or not re.fullmatch(r"\d+(\.\d+)?", _value):
        raise ImproperlyConfigured(f"PAYOUT_MINIMUMS takes entries like paypal.USD=1.00, not {_key}={_value}")
# Fair-pay top-ups count measured time up to this many times the estimate.
TOP_UP_TIME_CAP: float = env.float("TOP_UP_TIME_CAP", default=1.5)

# --- Locale and logging ---------------------------------------------------------------------------------------
# The languages the server speaks (errors, mails, pages): the catalogues are annotations/locale/<es|pt_BR>/ and
# `make messages` updates them; tests/test_translations.py fails when one is behind the code. A person's own
# language (User.language, for mail and notifications) takes the same codes in BCP 47 case: en, es, pt-BR.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("pt-br", "Português (Brasil)")]
LOCALE_PATHS = [BASE_DIR / "annotations" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOG_LEVEL: str = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
