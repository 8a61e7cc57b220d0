"""Settings for Đôn đốc. Everything that differs between machines comes from env vars."""

import datetime
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

PRODUCTION = env_str("DJANGO_ENV", "development") == "production"
DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)
# A development key only outside production; production refuses to start without one.
SECRET_KEY = (
    env_str("DJANGO_SECRET_KEY")
    if PRODUCTION
    else env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key")
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [] if PRODUCTION else ["*"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "viewflow",
    "viewflow.workflow",
    "django_q",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "config",  # setup_schedules
    "conclusions",
    "workflow",
    "intake",
    "reports",
    "notifications",
    "petitions",
    "resolutions",
    "briefings",
    "api",
    "publication",
    *([] if PRODUCTION else ["devtools"]),  # demo, benchmarks, load and chaos runs
    "axes",  # last, as django-axes asks
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.security.RequestSizeLimitMiddleware",
    "config.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "viewflow.middleware.SiteMiddleware",
    "viewflow.middleware.HotwireTurboMiddleware",
    "config.replica.ReplicaReadsMiddleware",  # reports on the replica, if there is one
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into its response
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        # Production names its database (and its password) explicitly: no default.
        env_str("DATABASE_URL")
        if PRODUCTION
        else env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
# SQLite (the embedded default of `make run`): the web server and the worker write at once.
# WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock when a
# transaction begins, so a transaction that read first never fails to upgrade ("database is
# locked" at once, whatever the timeout); a writer waits up to DONDOC_SQLITE_TIMEOUT seconds.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("DONDOC_SQLITE_TIMEOUT", 20),
    }
# PostgreSQL binds the parameters itself, and a statement run five times on one connection is
# prepared there from its sixth, so that the server keeps its plan: planning a case's query
# (five joins, three EXISTS, a table of thirteen indexes) took 3 of the 4 ms it cost a
# transition, the roles' query 2 of 2.4. It pays where connections live on
# (DATABASE_CONN_MAX_AGE). DATABASE_PREPARED_STATEMENTS=false for a connection pooler that
# cannot keep them (PgBouncer before 1.21 in transaction mode).
POSTGRESQL_OPTIONS = {
    "server_side_binding": True,
    "prepare_threshold": 5 if env_bool("DATABASE_PREPARED_STATEMENTS", True) else None,
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = dict(POSTGRESQL_OPTIONS)
# A streaming replica of the PostgreSQL primary, for the dashboard and the API's figures
# (config/replica.py). Tests never create it: it is the primary's copy.
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
    DATABASES["replica"]["OPTIONS"] = dict(POSTGRESQL_OPTIONS)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["config.replica.PrimaryReplicaRouter"]
# After a write, that browser's reports read from the primary for this long.
DONDOC_REPLICA_STICKY_SECONDS = env_int("DONDOC_REPLICA_STICKY_SECONDS", 10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = (
    [
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    ]
    if PRODUCTION
    else []
)
# Login throttling (django-axes) first; it never logs anyone in itself.
AUTHENTICATION_BACKENDS = [
    "config.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
# dd/mm/yyyy in both languages (config/formats/): English pages included.
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "static_root"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))

# Evidence uploads: what a department may attach to a report.
EVIDENCE_MAX_BYTES = env_int("DONDOC_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
EVIDENCE_EXTENSIONS = env_list(
    "DONDOC_EVIDENCE_EXTENSIONS",
    ["pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "jpg", "jpeg", "png", "zip"],
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The hour (local time) at which a rung of the escalation ladder falls due on its day.
DONDOC_ESCALATION_HOUR = env_int("DONDOC_ESCALATION_HOUR", 7)

# Build report snapshots in the web process instead of the django-q2 worker (tests, or an
# installation without a worker); the page then opens on the finished report.
DONDOC_REPORTS_SYNC = env_bool("DONDOC_REPORTS_SYNC", False)

# The fan-out's nudge after an event commits runs in a thread of the process, not in the
# request (notifications/background.py); false runs it in the committing thread.
DONDOC_NUDGE_IN_BACKGROUND = env_bool("DONDOC_NUDGE_IN_BACKGROUND", True)

# Notifications: the address links in messages point to, and how mail leaves the machine.
SITE_URL = (env_str("DONDOC_SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")
# Outside production, mail is printed to the console unless a backend is chosen.
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "") or "Đôn đốc <khong-tra-loi@localhost>"
# Daily and weekly digests go out at the first run after this hour (local time).
DONDOC_DIGEST_HOUR = env_int("DONDOC_DIGEST_HOUR", 7)
DONDOC_WEBHOOK_TIMEOUT = env_int("DONDOC_WEBHOOK_TIMEOUT", 10)

Q_CLUSTER = {
    "name": "dondoc",
    "orm": "default",
    "workers": env_int("DONDOC_Q_WORKERS", 1),
    "timeout": 300,
    "retry": 360,
    "catch_up": False,
    "label": "Django Q2",
}

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
}

# Login throttling: after DONDOC_LOGIN_FAILURE_LIMIT failed logins for one username from one
# address (web form or API token), both are refused for DONDOC_LOGIN_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("DONDOC_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("DONDOC_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "config.security.client_address"
# The reverse proxies whose X-Real-IP is believed (comma-separated addresses; the nginx of
# deploy/ talks to gunicorn from 127.0.0.1). Empty: every address is the peer's own.
DONDOC_TRUSTED_PROXIES = frozenset(
    address.strip()
    for address in env_str("DONDOC_TRUSTED_PROXIES", "").split(",")
    if address.strip()
)

# The HTTP API (workflow/api): token or session auth, JSON, errors in Vietnamese and English.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Đôn đốc API",
    "DESCRIPTION": "Theo dõi, đôn đốc thực hiện kết luận, kiến nghị sau giám sát của HĐND.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "NoticeStatusEnum": "conclusions.models.ConclusionNotice.Status",
        "ExtensionStatusEnum": "workflow.models.Extension.Status",
        "ResolutionKindEnum": "resolutions.models.Resolution.Kind",
        "ResolutionStatusEnum": "resolutions.models.Resolution.Status",
        "ImplementationKindEnum": "resolutions.models.ImplementationItem.Kind",
        "CompetenceEnum": "petitions.models.Competence",
        "PetitionOutcomeEnum": "petitions.outcomes.PetitionOutcome",
        "OutcomeEnum": "workflow.models.Outcome",
    },
}

# Content-Security-Policy for every response (config.security). viewflow's pages load their
# scripts from /static/ and set inline style attributes; two of its "Back" buttons use inline
# onclick handlers, allowed by hash only.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-hashes'"
        " 'sha256-seD630z7277f97kwMcz927xhDjB8+HQCe4f0EztcsAU='"
        " 'sha256-GdAjV6tJJrCv5L8FkbHYzJwNrscSj7aTuYJzS/C7wZY='",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Evidence files per report, and the largest multipart body (a report with its files);
# any other body is limited by DATA_UPLOAD_MAX_MEMORY_SIZE. Refused before it is read.
DONDOC_EVIDENCE_MAX_FILES = env_int("DONDOC_EVIDENCE_MAX_FILES", 10)
DONDOC_MAX_UPLOAD_BYTES = env_int("DONDOC_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
# A signed notice read into a draft (POST /api/v1/notices/parse/).
DONDOC_NOTICE_MAX_BYTES = env_int("DONDOC_NOTICE_MAX_BYTES", 10 * 1024 * 1024)
