"""Settings for the RIAL/PFC application.

Every value that differs between machines comes from an environment variable (read here and
nowhere else). The defaults give the embedded mode used by `make run`: SQLite and a Celery broker
on the file system under `var/`, so no server is needed. Production (`DJANGO_ENV=production`)
refuses to start with a missing or default secret key or with DEBUG on. The test suite runs with
`rial_site.settings.test`, which builds on these.

Importing the settings writes nothing: the folders under `var/` are made when they are first used
(the development secret key when it is first read, the Celery folders by rial_site/celery.py).
"""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

INSECURE_SECRET_KEY_PREFIX = "django-insecure-"


def _embedded_secret_key() -> str:
    """A key generated once for this checkout and kept in var/ (never committed)."""
    from django.core.management.utils import get_random_secret_key

    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(exist_ok=True)
        key_file.write_text(INSECURE_SECRET_KEY_PREFIX + get_random_secret_key())
    return key_file.read_text().strip()


if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")  # no default: a missing key stops start-up
    DEBUG = env.bool("DEBUG", default=False)
    if SECRET_KEY.startswith(INSECURE_SECRET_KEY_PREFIX) or len(SECRET_KEY) < 40:
        raise ImproperlyConfigured("SECRET_KEY is a development key or too short for production.")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production.")
else:
    # Read (and made, the first time) when something first signs with it, not at import.
    SECRET_KEY = env.str("SECRET_KEY", default="") or lazy(_embedded_secret_key, str)()
    DEBUG = env.bool("DEBUG", default=True)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "core",
    "accounts",
    "cooperations",
    "capacity_plan",
    "reports",
    "certificates",
    "dashboards",
    "ranking",
    # Read-only API (/api/v1/): DRF, personal tokens stored hashed (knox), OpenAPI schema and
    # its Swagger UI served from our own static files (sidecar, no CDN).
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "exports",
    "notifications",
]

MIDDLEWARE = [
    # First: answers the container's own health probe before the host check and HTTPS redirect.
    "rial_site.middleware.HealthProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "rial_site.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # DEBUG on (`make run`): Django's technical 404/500 pages for staff only, the app's own for
    # everyone else; tracebacks in the terminal.
    "rial_site.middleware.StaffOnlyDebugPagesMiddleware",
    # SQLite locked past its busy timeout: a Spanish 503 that keeps the typed data, not a 500.
    "rial_site.middleware.DatabaseBusyMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

# N+1 queries: django-zeal (a development dependency) is on in the test settings, where its
# middleware makes a relation loaded row by row in any request raise zeal.NPlusOneError
# (tests/conftest.py does the same for Celery tasks). Off for `make run` unless ZEAL_ENABLED=true;
# never in production (it patches the ORM and costs a few per cent).
ZEAL_ENABLED = not PRODUCTION and env.bool("ZEAL_ENABLED", default=False)
if ZEAL_ENABLED:
    INSTALLED_APPS.append("zeal")
    MIDDLEWARE.insert(0, "zeal.middleware.zeal_middleware")  # first, so the other middleware is checked too
ZEAL_RAISE = True
ZEAL_ALLOWLIST = [
    # Not an N+1: the database session backend reads the request's one session with .get() and,
    # when signing in or out, looks it up again to delete it (cycle_key, flush). zeal counts both
    # against the same line of our code and would fail every sign-in.
    {"model": "sessions.Session", "field": "get()"},
]

ROOT_URLCONF = "rial_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
                "notifications.context_processors.unread_count",
            ],
        },
    },
]

WSGI_APPLICATION = "rial_site.wsgi.application"

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded mode runs a web server and a Celery worker on the same file. WAL lets readers
    # go on while one connection writes; IMMEDIATE takes the write lock when a transaction
    # begins, so a second writer waits for it (up to `timeout` seconds) instead of failing with
    # "database is locked" when its read turns into a write. A lock that outlasts the timeout
    # gives a 503 page keeping the typed data (rial_site.middleware.DatabaseBusyMiddleware).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-in while locked out
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # links are also single-use: they die with the password

# Sign-in throttling (django-axes): failures within 15 minutes are counted three ways, each with
# its own limit (accounts.security.LockoutHandler); reaching one locks that name, address or pair
# out for 15 minutes. A successful sign-in forgives that name's failures from that address only.
SIGN_IN_FAILURE_LIMITS = {
    ("username", "ip_address"): 5,  # one name from one address: mistyped passwords, guessing
    ("username",): 10,  # one name from any address: guessing spread over many addresses
    ("ip_address",): 30,  # one address over any names: password spraying (an office shares one)
}
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_FAILURE_LIMIT = SIGN_IN_FAILURE_LIMITS[("username", "ip_address")]
AXES_HANDLER = "accounts.security.LockoutHandler"
AXES_VERBOSE = False
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
# Behind a reverse proxy, how many proxies set X-Forwarded-For (0: use the socket address). Only
# safe when gunicorn is reachable through the proxy alone (docker-compose.yml binds it to loopback).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Español")), ("en", _("Inglés"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="America/Lima")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"  # never routed: uploads are served only by permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production WhiteNoise serves straight from the finders: no collectstatic needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=25 * 1024 * 1024)
# OOXML/ODF uploads are ZIP archives: caps on what they expand to (rial_site/uploads.py).
UPLOAD_MAX_UNCOMPRESSED_BYTES = env.int("UPLOAD_MAX_UNCOMPRESSED_BYTES", default=100 * 1024 * 1024)
UPLOAD_MAX_COMPRESSION_RATIO = 100  # per member; members expanding to under 1 MB are not held to it
UPLOAD_MAX_ARCHIVE_MEMBERS = 10_000
# Uploads stream to a temporary file and stop being stored at UPLOAD_MAX_BYTES
# (rial_site/upload_handlers.py); requests under FILE_UPLOAD_MAX_MEMORY_SIZE stay in memory.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "rial_site.upload_handlers.CappedTemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB, Django's default, stated
DATA_UPLOAD_MAX_NUMBER_FILES = 10  # every form takes one file
# Antivirus: dotted path to a callable that scans each upload before it is stored (see
# rial_site/uploads.py); empty = no scan. rial_site.antivirus.clamd_scan asks a ClamAV daemon.
UPLOAD_SCANNER = env.str("UPLOAD_SCANNER", default="")
CLAMD_ADDRESS = env.str("CLAMD_ADDRESS", default="tcp://127.0.0.1:3310")  # or unix:///run/clamav/clamd.ctl
CLAMD_TIMEOUT = 60  # seconds without an answer from clamd before the upload is refused
# Production behind nginx: an internal location (e.g. "/protected/") aliasing MEDIA_ROOT; private
# downloads then answer with X-Accel-Redirect and nginx sends the file. Empty: Django streams it.
PRIVATE_FILES_ACCEL_REDIRECT = env.str("PRIVATE_FILES_ACCEL_REDIRECT", default="")
if PRIVATE_FILES_ACCEL_REDIRECT and not PRIVATE_FILES_ACCEL_REDIRECT.startswith("/"):
    raise ImproperlyConfigured("PRIVATE_FILES_ACCEL_REDIRECT must be a URL path such as /protected/.")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Exports (exports app) ------------------------------------------------------------------
# A list of more rows than this downloads as a background job (Celery) instead of at once.
EXPORT_SYNC_MAX_ROWS = env.int("EXPORT_SYNC_MAX_ROWS", default=5000)
# How long the file of a background export is kept before beat deletes it.
EXPORT_FILE_TTL = datetime.timedelta(hours=env.int("EXPORT_FILE_TTL_HOURS", default=24))

# Logos at the top of the cooperation summary PDF, left to right: alt text = a file under
# static/ ("RIAL=img/logo-rial.svg,OEA=img/logo-oea.svg"). The defaults are placeholders:
# replace those two files with the real logos, or point this at others.
SUMMARY_LOGOS: dict[str, str] = env.dict(
    "SUMMARY_LOGOS", default={"RIAL": "img/logo-rial.svg", "OEA": "img/logo-oea.svg"}
)

# --- Monitoring reports ---------------------------------------------------------------------
# The logos on the cover of the bimonthly monitoring report: static files (under static/),
# left to right; a path that does not exist is left out. The signer printed under the report
# when the period's narrative names none (ODES may name one in the narrative form).
MONITORING_REPORT_LOGOS = env.list("MONITORING_REPORT_LOGOS", default=["img/logo-mtpe.svg"])
MONITORING_REPORT_SIGNER_NAME = env.str("MONITORING_REPORT_SIGNER_NAME", default="")
MONITORING_REPORT_SIGNER_ROLE = env.str("MONITORING_REPORT_SIGNER_ROLE", default="")

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="RIAL-PFC <no-reply@localhost>")
# The address users reach the site at, for links that leave the site: e-mails, QR codes, iCalendar
# invitations (`make run` sets it to its own HOST and PORT).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Notifications (app `notifications`): an e-mail left «sending» this long (its worker died) is
# sent again by the sweep; daily digests go out at NOTIFICATION_DIGEST_HOUR (TIME_ZONE).
NOTIFICATION_STUCK_MINUTES = env.int("NOTIFICATION_STUCK_MINUTES", default=15)
NOTIFICATION_DIGEST_HOUR = env.int("NOTIFICATION_DIGEST_HOUR", default=7)

# --- Certificates ---------------------------------------------------------------------------
# The public verification page (/verificar/<code>): requests per client address (django-ratelimit
# syntax, e.g. "30/m"), counted in the default cache (Redis in production, shared by processes).
CERTIFICATE_VERIFICATION_RATE = env.str("CERTIFICATE_VERIFICATION_RATE", default="30/m")

# --- Cache ----------------------------------------------------------------------------------
# CACHE_URL (django-environ): a per-process memory cache by default (drawn charts); production
# points it at Redis (docker-compose.yml) so what must be shared between processes is (rate limits).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://?max_entries=2000")}

# --- Self check-in (capacity_plan: /asistencia/<code>/ and /encuesta/<ticket>/) ----------------
# Rate limits of the public check-in and survey pages (django-ratelimit, counted in the default
# cache: Redis in production, so every web process shares them): requests per client address,
# and per check-in link (a whole room behind one address stays under the first; a guessing
# attack on one link hits the second). The address is the sign-in lock-out's (TRUSTED_PROXY_COUNT).
# A refused request gets a Spanish 429 page.
CHECK_IN_RATE_PER_ADDRESS = env.str("CHECK_IN_RATE_PER_ADDRESS", default="60/m")
CHECK_IN_RATE_PER_LINK = env.str("CHECK_IN_RATE_PER_LINK", default="600/m")
# A form sent sooner than this after it was shown is a bot's (with the honeypot field).
CHECK_IN_MINIMUM_FILL_SECONDS = env.int("CHECK_IN_MINIMUM_FILL_SECONDS", default=3)
# The window ODES is offered when opening check-in: from this long before the session starts to
# this long after it ends.
CHECK_IN_OPENS_BEFORE_MINUTES = 15
CHECK_IN_CLOSES_AFTER_MINUTES = 30
# How long after checking in the participant may still answer the survey.
SURVEY_TICKET_DAYS = 7

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=f"file://{VAR_DIR / 'celery' / 'results'}")
# The folders kombu's file-system transport and the file result backend need (the embedded mode);
# rial_site/celery.py makes them when Celery is first configured.
EMBEDDED_CELERY_FOLDERS = []
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_folder = VAR_DIR / "celery" / "broker"
    EMBEDDED_CELERY_FOLDERS = [VAR_DIR / "celery" / _folder for _folder in ("broker", "control", "results")]
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_folder),
        "data_folder_out": str(_broker_folder),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
else:
    # Redis redelivers an unacknowledged task after the visibility timeout: keep every task's
    # hard time limit well under half of it (see CELERY_TASK_TIME_LIMIT).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
# PDF jobs run on their own queue (a worker with its own concurrency and memory cap in
# production); everything else on the default queue.
CELERY_TASK_ROUTES = {
    "reports.generate_report": {"queue": "pdf"},
    "certificates.issue_certificates": {"queue": "pdf"},
}
CELERY_TASK_DEFAULT_QUEUE = "celery"
# A worker child is replaced after a task leaves it above this resident size (KiB).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=600_000)
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Every day at 03:00 (server time zone): delete expired sign-in sessions.
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=0),
    },
    # Every day at 01:30: when a bimonthly period ended yesterday, generate its monitoring report.
    "monitoring-report-for-ended-period": {
        "task": "reports.monitoring_for_ended_period",
        "schedule": crontab(hour=1, minute=30),
    },
    # Every day at 03:30: delete import previews and import jobs (uploaded files waiting for confirmation) that expired.
    "delete-expired-import-previews": {
        "task": "capacity_plan.delete_expired_import_previews",
        "schedule": crontab(hour=3, minute=30),
    },
    # Every day at 03:45: forget the request keys of create forms submitted more than two days ago.
    "delete-expired-submitted-requests": {
        "task": "core.delete_expired_submitted_requests",
        "schedule": crontab(hour=3, minute=45),
    },
    # Every five minutes: mark failed the import jobs whose worker stopped heartbeating (it died).
    "fail-stale-import-jobs": {
        "task": "capacity_plan.fail_stale_import_jobs",
        "schedule": crontab(minute="*/5"),
    },
    # Every five minutes: mark failed the report jobs left "running" by a worker that died (no
    # heartbeat for minutes, or past their time limit), so users see why and can retry them.
    "fail-stale-report-jobs": {
        "task": "reports.fail_stale_jobs",
        "schedule": crontab(minute="*/5"),
    },
    # Every five minutes: mark failed the certificate jobs whose worker stopped heartbeating (it
    # died), so ODES or OEA staff see why and issue again (certificates already issued are kept).
    "fail-stale-certificate-jobs": {
        "task": "certificates.fail_stale_jobs",
        "schedule": crontab(minute="*/5"),
    },
    # Every hour, on the hour: delete the files of background exports past their expiry.
    "delete-expired-exports": {
        "task": "exports.delete_expired_exports",
        "schedule": crontab(minute=0),
    },
    # Every five minutes: mark failed the export jobs whose worker stopped heartbeating (it died).
    "fail-stale-export-jobs": {
        "task": "exports.fail_stale_export_jobs",
        "schedule": crontab(minute="*/5"),
    },
    # Every day at 06:00: notifications that fall due today (step deadlines 7 days and 1 day
    # before, overdue and weekly still overdue, and other apps' reminders), e-mailed right away.
    "send-due-notifications": {
        "task": "notifications.send_due",
        "schedule": crontab(hour=6, minute=0),
    },
    # Every hour at :05: one notification per cooperation for the answers given in the past hour.
    "collect-answers-of-the-hour": {
        "task": "notifications.collect_answers",
        "schedule": crontab(minute=5),
    },
    # Every five minutes: e-mails left «sending» by a worker that died (or never queued) are
    # queued again, once each.
    "resend-stuck-notifications": {
        "task": "notifications.resend_stuck",
        "schedule": crontab(minute="*/5"),
    },
    # Every day at NOTIFICATION_DIGEST_HOUR (07:00): one daily digest e-mail per user who chose it.
    "send-notification-digests": {
        "task": "notifications.send_digests",
        "schedule": crontab(hour=NOTIFICATION_DIGEST_HOUR, minute=0),
    },
}

# --- Read-only API (/api/v1/) -----------------------------------------------------------------
# Requests per token (per user for a signed-in browser, per address without sign-in), counted in
# the default cache (CACHE_URL: Redis in production, so every process counts the same).
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="1000/hour")
API_TOKEN_MAX_DAYS = 365  # a personal token lives at most one year
REST_FRAMEWORK = {
    # Token first: a request without credentials answers 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
KNOX_TOKEN_MODEL = "knox.AuthToken"  # knox's own (its migrations ask for the setting)
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(days=90),  # the token page offers others, up to API_TOKEN_MAX_DAYS
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_PREFIX": "rial_",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "RIAL · PFC API",
    "DESCRIPTION": "Read-only data of the RIAL cooperations and the PFC 2025, scoped like the pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],  # signed in or with a token
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Forms ----------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -------------------------------------------------------------------------------
# Content-Security-Policy (django-csp), in every environment so tests see what production sends:
# scripts only from our own static files (no inline scripts, no eval); inline styles are allowed
# for the SVG charts matplotlib draws.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF cookie: htmx sends the token from the page (hx-headers in base.html).
CSRF_COOKIE_HTTPONLY = True
# Browser features the app never uses, off for it and anything it might embed.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}
if PRODUCTION:
    # The app runs behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every rendering step at INFO.
    "loggers": {
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
