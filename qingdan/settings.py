"""Qingdan settings: everything that differs between machines comes from the environment.

Development needs no variables at all (SQLite in ``var/``, DEBUG on, mails to the console).
Production sets at least ``DEBUG=0``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL``.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be 0 or 1, not {value!r}.")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_SECRET_KEY
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY to a long random value when DEBUG=0.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

DATA_DIR = Path(os.environ.get("QINGDAN_DATA_DIR", BASE_DIR / "var")).resolve()


def database_from_env() -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "qingdan.sqlite3",
            "OPTIONS": {
                # WAL lets the web server read while the worker writes;
                # IMMEDIATE takes the write lock at BEGIN, so select_for_update-style
                # sections serialise instead of failing with "database is locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises several kinds for bad input
        raise ImproperlyConfigured(
            f"DATABASE_URL is malformed ({exc}). "
            "Expected e.g. postgres://user:password@127.0.0.1:5432/qingdan"
        ) from exc
    if not config.get("ENGINE") or not config.get("NAME"):
        raise ImproperlyConfigured(
            "DATABASE_URL is malformed: it names no database. "
            "Expected e.g. postgres://user:password@127.0.0.1:5432/qingdan"
        )
    return config


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "qingdan.accounts",
    "qingdan.core",
    "qingdan.problems",
    "qingdan.exchange",
    "qingdan.bulletins",
    "qingdan.api",
    "qingdan.notifications",
    "qingdan.challenges",
    "qingdan.projects",
    "qingdan.search",
    "qingdan.demo",
    "qingdan.bench",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves the API docs page's assets itself (no CDN)
    "django_tasks",
    "django_tasks_db",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "qingdan.api.idempotency.IdempotencyMiddleware",
    "qingdan.accounts.middleware.UserLanguageMiddleware",
    "qingdan.accounts.middleware.RefuseDemoPasswordsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # django-axes must come last: it turns lockouts into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qingdan.urls"
WSGI_APPLICATION = "qingdan.wsgi.application"

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
                "qingdan.core.context_processors.navigation",
            ],
        },
    },
]

# --- Accounts, passwords, lockout --------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 9},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes: lock a username after 5 failures in a row, for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Demo accounts carry a published password: refuse to serve while they exist in production.
REFUSE_DEMO_PASSWORDS = env_bool("REFUSE_DEMO_PASSWORDS", not DEBUG)

SESSION_COOKIE_AGE = 60 * 60 * 12

# --- Internationalisation ---------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Background work --------------------------------------------------------------------------

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Cache (import progress shared between the worker and the web server) ------------------

# One machine: a file cache shared by the web server and the worker. Several machines (or
# many API writes: rate-limit counters): REDIS_URL=redis://127.0.0.1:6379/0.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": DATA_DIR / "cache",
        }
    }

# --- E-mail -----------------------------------------------------------------------------------

# Development: e-mails are written as files under the data dir (var/mail/), or printed on the
# console with QINGDAN_EMAIL_CONSOLE=1. Production: SMTP.
if env_bool("QINGDAN_EMAIL_CONSOLE", False):
    _DEFAULT_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif DEBUG:
    _DEFAULT_EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
else:
    _DEFAULT_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or _DEFAULT_EMAIL_BACKEND
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 15
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "qingdan@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address links in e-mails and chat messages point to (follows PORT for `make run`).
SITE_URL = os.environ.get("SITE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}").rstrip(
    "/"
)

# --- Security (production) --------------------------------------------------------------------

HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = False
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# W021: HSTS preload is a per-domain decision. axes.W006: units sit behind one NAT address on
# park intranets, so lockout is per username; locking an IP would lock out a whole bureau.
SILENCED_SYSTEM_CHECKS = ["security.W021", "axes.W006"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Font subsetting and layout chatter (thousands of lines per PDF at INFO/DEBUG).
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
    },
}

# --- Qingdan ----------------------------------------------------------------------------------

QINGDAN = {
    "PARK_NAME": os.environ.get("QINGDAN_PARK_NAME", _("Demo Economic Development Zone")),
    # Warning colours, in working days: blue when the deadline is this close…
    "WARNING_BLUE_DAYS": int(os.environ.get("QINGDAN_WARNING_BLUE_DAYS", "2")),
    # …yellow when it passed by at most this many, red beyond.
    "WARNING_YELLOW_DAYS": int(os.environ.get("QINGDAN_WARNING_YELLOW_DAYS", "2")),
    # Reminder ladder: escalate to leaders when overdue by more than this many working days.
    "ESCALATE_AFTER_DAYS": int(os.environ.get("QINGDAN_ESCALATE_AFTER_DAYS", "3")),
    # Projects: construction start this many months late is red (less is yellow); investment
    # behind the time-proportional plan by more than YELLOW points is yellow, RED points red.
    "PROJECT_START_LATE_RED_MONTHS": int(os.environ.get("QINGDAN_PROJECT_LATE_RED_MONTHS", "3")),
    "PROJECT_BEHIND_YELLOW_POINTS": int(os.environ.get("QINGDAN_PROJECT_BEHIND_YELLOW", "10")),
    "PROJECT_BEHIND_RED_POINTS": int(os.environ.get("QINGDAN_PROJECT_BEHIND_RED", "30")),
    # KPIs (docs/KPIS.md): how much a "basically satisfied" counts in 满意率, and the weights of
    # the 三率 score (响应率 = timely sign-for, 解决率 = resolved, 满意率).
    "KPI_BASIC_SATISFIED_WEIGHT": os.environ.get("QINGDAN_KPI_BASIC_WEIGHT", "1"),
    "KPI_WEIGHTS": {
        "response": os.environ.get("QINGDAN_KPI_WEIGHT_RESPONSE", "0.2"),
        "resolution": os.environ.get("QINGDAN_KPI_WEIGHT_RESOLUTION", "0.4"),
        "satisfaction": os.environ.get("QINGDAN_KPI_WEIGHT_SATISFACTION", "0.4"),
    },
    # Bulletins: the issuing office named in the title block.
    "BULLETIN_ISSUER": os.environ.get("QINGDAN_BULLETIN_ISSUER", "经开区营商环境服务办公室"),
    # API writes allowed per caller (token or session) and per IP address (django-ratelimit).
    "API_WRITE_RATE_PER_CALLER": os.environ.get("QINGDAN_API_RATE_CALLER", "600/m"),
    "API_WRITE_RATE_PER_IP": os.environ.get("QINGDAN_API_RATE_IP", "1200/m"),
    # Attachments: largest file accepted.
    "ATTACHMENT_MAX_BYTES": int(os.environ.get("QINGDAN_ATTACHMENT_MAX_MB", "20")) * 1024 * 1024,
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
