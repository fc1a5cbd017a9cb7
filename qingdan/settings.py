"""Qingdan settings: everything that differs between machines comes from the environment.

Development needs no variables at all (SQLite in ``var/``, DEBUG on, mails to the console).
Production sets at least ``DEBUG=0``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL``.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
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
# Keys that are published somewhere (this file, Django's startproject, examples) or typed by hand.
KNOWN_SECRET_KEYS = {DEV_SECRET_KEY, "changeme", "change-me", "secret", "secret-key", "…", "..."}


def weak_secret_key(key: str) -> str | None:
    """Why ``key`` is too weak to sign sessions, CSRF tokens and password-reset links, or None."""
    if key in KNOWN_SECRET_KEYS or key.startswith("django-insecure-"):
        return "it is a published example or default"
    if len(key) < 50:
        return f"it has {len(key)} characters; use at least 50"
    if len(set(key)) < 10:
        return f"it uses only {len(set(key))} distinct characters"
    return None


if not DEBUG and (weakness := weak_secret_key(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"Refusing to start with DEBUG=0: SECRET_KEY is weak ({weakness}). Set it to a long "
        "random value, e.g. the output of: python3 -c 'import secrets; "
        "print(secrets.token_urlsafe(50))'"
    )

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
    "qingdan.carriers",
    "qingdan.search",
    "qingdan.demo",
    "qingdan.bench",
    "qingdan.backups",
    "qingdan.web",
    "qingdan.enterprises",
    "qingdan.policies",
    "qingdan.finance",
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
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before CSRF and the views, the first to read a body: too large is 413, unread.
    "qingdan.core.middleware.RequestSizeLimitMiddleware",
    "qingdan.core.middleware.RefuseNullCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "qingdan.accounts.middleware.SecurityContextMiddleware",
    "qingdan.api.idempotency.IdempotencyMiddleware",
    "qingdan.accounts.middleware.UserLanguageMiddleware",
    "qingdan.accounts.middleware.RefuseDemoPasswordsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
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
                "qingdan.web.context_processors.navigation",
            ],
            # Dates and amounts as people read them (2026年11月27日 14:15, 1,234.00 万元).
            "builtins": ["qingdan.core.templatetags.fmt"],
        },
    },
]

# --- Accounts, passwords, lockout --------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    "qingdan.accounts.security.AddressThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Also refuses the user name repeated or inside the password ("zhangweizhangwei").
    {"NAME": "qingdan.accounts.passwords.UsernameInPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 9},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes: a user name is locked after 5 failures in a row *from one address*, for 15
# minutes: a stranger elsewhere cannot lock someone out. Failures from one address across user
# names (password spraying) are limited by qingdan.accounts.security.AddressThrottleBackend
# (QINGDAN["LOGIN_ADDRESS_FAILURE_LIMIT"] in the same window).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "qingdan.accounts.security.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Demo accounts carry a published password: refuse to serve while they exist in production.
REFUSE_DEMO_PASSWORDS = env_bool("REFUSE_DEMO_PASSWORDS", not DEBUG)

# A session ends after this many hours without a request (each request renews it).
SESSION_COOKIE_AGE = int(float(os.environ.get("QINGDAN_SESSION_IDLE_HOURS", "8")) * 3600)
SESSION_SAVE_EVERY_REQUEST = True

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
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# W021: HSTS preload is a per-domain decision.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Content-Security-Policy on every response (django-csp): scripts, styles, fonts and images come
# from the app itself; no inline script or style, no eval, no plugins, not framed. A view may
# send a stricter policy of its own (stored uploads, published bulletin files): it is kept.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

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


def security_log_days() -> int:
    days = int(os.environ.get("QINGDAN_SECURITY_LOG_DAYS", "180"))
    if days < 180:
        raise ImproperlyConfigured("QINGDAN_SECURITY_LOG_DAYS must be at least 180 (days).")
    return days


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
    # 交办单 and 督办通知书: the issuing office, and their numbers ({year}, {seq}: the yearly
    # sequence of each kind; e.g. "{seq:03d}" for 001).
    "DOCUMENT_ISSUER": os.environ.get("QINGDAN_DOCUMENT_ISSUER", "经开区营商环境服务办公室"),
    "ASSIGNMENT_NUMBER": os.environ.get("QINGDAN_ASSIGNMENT_NUMBER", "经开营商交〔{year}〕{seq}号"),
    "SUPERVISION_NUMBER": os.environ.get(
        "QINGDAN_SUPERVISION_NUMBER", "经开营商督〔{year}〕{seq}号"
    ),
    # The published issue's document number ({year}, {number}: 经开营商通〔2026〕12号).
    "BULLETIN_DOCUMENT_NUMBER": os.environ.get(
        "QINGDAN_BULLETIN_DOCUMENT_NUMBER", "经开营商通〔{year}〕{number}号"
    ),
    # API writes allowed per caller (token or session) and per IP address (django-ratelimit).
    "API_WRITE_RATE_PER_CALLER": os.environ.get("QINGDAN_API_RATE_CALLER", "600/m"),
    "API_WRITE_RATE_PER_IP": os.environ.get("QINGDAN_API_RATE_IP", "1200/m"),
    # Sign-in: failed attempts from one address (any user names) within AXES_COOLOFF_TIME after
    # which that address may not try again until the window has passed.
    "LOGIN_ADDRESS_FAILURE_LIMIT": int(os.environ.get("QINGDAN_LOGIN_ADDRESS_LIMIT", "20")),
    # Proxies in front of the app that append to X-Forwarded-For (0: use the peer address).
    "PROXY_COUNT": int(os.environ.get("QINGDAN_PROXY_COUNT", "1" if BEHIND_PROXY else "0")),
    # The security log keeps rows this many days (at least 180: 等级保护 2.0 level 2).
    "SECURITY_LOG_DAYS": security_log_days(),
    # Years without a holiday schedule that may be counted Monday to Friday (comma-separated;
    # normally set in the admin instead: Years counted Monday to Friday).
    "CALENDAR_WEEKDAY_YEARS": [int(y) for y in env_list("QINGDAN_CALENDAR_WEEKDAY_YEARS", "")],
    # Group-robot webhooks: URL prefixes allowed although not https or not on the internet
    # (an intranet robot gateway; a test server), comma-separated: http://10.0.0.5:8080/robot/
    "WEBHOOK_ALLOW": env_list("QINGDAN_WEBHOOK_ALLOW", ""),
    # Attachments: largest file accepted.
    "ATTACHMENT_MAX_BYTES": int(os.environ.get("QINGDAN_ATTACHMENT_MAX_MB", "20")) * 1024 * 1024,
    # Largest request body (all files of one form together); a larger one is answered 413
    # before Django reads it. Keep the proxy's limit (nginx client_max_body_size) the same.
    "REQUEST_MAX_BYTES": int(os.environ.get("QINGDAN_REQUEST_MAX_MB", "50")) * 1024 * 1024,
    # Excel imports: largest file, and the most its parts may expand to when unzipped.
    "IMPORT_MAX_BYTES": int(os.environ.get("QINGDAN_IMPORT_MAX_MB", "20")) * 1024 * 1024,
    "IMPORT_MAX_UNCOMPRESSED_BYTES": int(os.environ.get("QINGDAN_IMPORT_MAX_UNZIPPED_MB", "200"))
    * 1024
    * 1024,
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
