"""One settings module, configured from the environment.

The environment variables are the contract for deployments (issue 2): DATABASE_URL, SECRET_KEY,
DEBUG, ALLOWED_HOSTS, plus PRACTICE_REVIEW_* for the product's own settings. With nothing set,
the app runs on an SQLite file in the data folder, which is what `make demo` needs.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from practice_review.core.secrets_file import private_file

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {value!r}")


def env_list(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# The data folder holds the default SQLite database, generated secrets and the demo marker.
DATA_DIR = Path(os.environ.get("PRACTICE_REVIEW_DATA_DIR") or BASE_DIR.parent / "data").resolve()

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY") or private_file(
    DATA_DIR / "secret-key", lambda: secrets.token_urlsafe(50)
)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

# Demo mode is switched on by `practice-review demo` (a marker file) and honoured by `serve`.
DEMO_MODE_MARKER = DATA_DIR / "demo-mode"
DEMO_MODE = env_bool("PRACTICE_REVIEW_DEMO_MODE", DEMO_MODE_MARKER.exists())

COUNCIL_NAME = os.environ.get("PRACTICE_REVIEW_COUNCIL_NAME", "City of London Corporation")
SERVICE_NAME = "Practice Review"

# Where links in emails point (emails carry a link and a reference, never a child's details).
SITE_URL = os.environ.get("PRACTICE_REVIEW_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Email: the console by default (demo and development); SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 587))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "practice-review@localhost")

# Alerts must be acknowledged within this many working days; weekends and these bank holidays
# (ISO dates, comma-separated; England and Wales by default) do not count.
ALERT_ACKNOWLEDGE_WORKING_DAYS = int(os.environ.get("PRACTICE_REVIEW_ALERT_WORKING_DAYS", 1))
# Moderation meetings are held every this many months (domain.md: every two months).
MODERATION_EVERY_MONTHS = int(os.environ.get("PRACTICE_REVIEW_MODERATION_EVERY_MONTHS", 2))
# Recommendation owners are emailed this many days before the due date (and when overdue); the
# impact check of a completed recommendation is due this many months after completion.
RECOMMENDATION_REMINDER_DAYS = int(os.environ.get("PRACTICE_REVIEW_REMINDER_DAYS", 7))
IMPACT_CHECK_MONTHS = int(os.environ.get("PRACTICE_REVIEW_IMPACT_CHECK_MONTHS", 3))
BANK_HOLIDAYS = env_list(
    "PRACTICE_REVIEW_BANK_HOLIDAYS",
    [
        "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25",
        "2025-12-25", "2025-12-26", "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04",
        "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28", "2027-01-01", "2027-03-26",
        "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28",
    ],
)  # fmt: skip

# Largest review file accepted for import; XLSX files are also checked for what they unpack to.
IMPORT_MAX_BYTES = int(os.environ.get("PRACTICE_REVIEW_IMPORT_MAX_BYTES", 20 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "practice_review.core",
    "practice_review.accounts",
    "practice_review.reviews",
    "practice_review.reports",
    "practice_review.moderation",
    "practice_review.tracker",
    "practice_review.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "practice_review.core.middleware.NoStoreWhenSignedIn",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # [two-factor and sessions middleware: accounts helper adds here]
    # [audit middleware: audit helper adds here]
]

ROOT_URLCONF = "practice_review.urls"
WSGI_APPLICATION = "practice_review.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "practice_review.core.context_processors.site",
            ],
        },
    },
]

# SQLite is the embedded default: WAL lets readers carry on while one writer writes, the busy
# timeout and IMMEDIATE transactions make concurrent writers queue instead of failing with
# "database is locked" (a deferred transaction that later upgrades to a write cannot wait).
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    "transaction_mode": "IMMEDIATE",
    # Long enough for the largest import (a 50,000-row file holds the write lock for ~30 s).
    "timeout": 60,
}

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'practice-review.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
    DATA_DIR.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Plain manifest storage: hashed names for caching, without the 20 s compression pass.
    "staticfiles": {"BACKEND": "practice_review.core.storage.StaticStorage"},
}
WHITENOISE_MAX_AGE = 3600

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 60 * 60
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# ---- Two-factor sign-in, lockout and session timeouts (issue 6) ----

# ---- Secure configuration: HTTPS, headers, CSP, error pages (issue 6) ----

# ---- Data protection: retention, legal hold (issue 6) ----

# ---- Audit trail (issue 6) ----

# Logs carry no personal data: we log events and ids, never case content or form values.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
