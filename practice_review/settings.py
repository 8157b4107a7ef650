"""One settings module, configured from the environment.

The environment variables are the contract for deployments (issue 2): DATABASE_URL, SECRET_KEY,
DEBUG, ALLOWED_HOSTS, plus PRACTICE_REVIEW_* for the product's own settings. With nothing set,
the app runs on an SQLite file in the data folder, which is what `make demo` needs.

environs reads them: a value that is not of its type (a number, true or false, a date) stops
start-up with `Environment variable "NAME" invalid: ...`. True is true/yes/on/1, false is
false/no/off/0 (any case); lists are comma-separated.
"""

import datetime
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from environs import validate

from practice_review.accounts import single_sign_on
from practice_review.core.environment import Environment
from practice_review.core.secrets_file import private_file

BASE_DIR = Path(__file__).resolve().parent
env = Environment()

# The data folder holds the default SQLite database, generated secrets and the demo marker.
DATA_DIR = Path(env.str("PRACTICE_REVIEW_DATA_DIR", "") or BASE_DIR.parent / "data").resolve()

DEBUG = env.bool("DEBUG", False)

SECRET_KEY = env.str("SECRET_KEY", "") or private_file(
    DATA_DIR / "secret-key", lambda: secrets.token_urlsafe(50)
)

ALLOWED_HOSTS = [
    host
    for host in env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"], subcast=str.strip)
    if host  # "a.example, ,b.example" or a trailing comma leaves an empty item
]

# Demo mode (no second factor, plain HTTP, a banner) only when asked for: by `practice-review
# demo` for the server it starts, or with PRACTICE_REVIEW_DEMO_MODE=true. Never from what a
# data folder holds, so a later plain `serve` can never run a real service without them
# (docs/spec/interchange.md#demo-mode).
DEMO_MODE = env.bool("PRACTICE_REVIEW_DEMO_MODE", False)

COUNCIL_NAME = env.str("PRACTICE_REVIEW_COUNCIL_NAME", "City of London Corporation")
# The Government Security Classifications marking at the top of every page of a report or review
# document. Case records are OFFICIAL-SENSITIVE; the edition for wider circulation has no child's
# details, so OFFICIAL unless the council says otherwise (docs/summary-reports.md#formats).
PROTECTIVE_MARKING = env.str("PRACTICE_REVIEW_PROTECTIVE_MARKING", "OFFICIAL-SENSITIVE")
PROTECTIVE_MARKING_WIDER = env.str("PRACTICE_REVIEW_PROTECTIVE_MARKING_WIDER", "OFFICIAL")
SERVICE_NAME = "Practice Review"

# Where links in emails point (emails carry a link and a reference, never a child's details).
SITE_URL = env.str("PRACTICE_REVIEW_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Email: the console by default (demo and development); SMTP when EMAIL_HOST is set.
EMAIL_HOST = env.str("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env.int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "practice-review@localhost")

# Alerts must be acknowledged within this many working days; weekends and bank holidays do not
# count (England and Wales's for any year, core/bank_holidays.py).
ALERT_ACKNOWLEDGE_WORKING_DAYS = env.int("PRACTICE_REVIEW_ALERT_WORKING_DAYS", 1)
# Moderation meetings are held every this many months (docs/spec/domain.md#moderation: every two
# months).
MODERATION_EVERY_MONTHS = env.int("PRACTICE_REVIEW_MODERATION_EVERY_MONTHS", 2)
# Recommendation owners are emailed this many days before the due date (and when overdue); the
# impact check of a completed recommendation is due this many months after completion.
RECOMMENDATION_REMINDER_DAYS = env.int("PRACTICE_REVIEW_REMINDER_DAYS", 7)
IMPACT_CHECK_MONTHS = env.int("PRACTICE_REVIEW_IMPACT_CHECK_MONTHS", 3)
# Extra days off, added to England and Wales's bank holidays (ISO dates, comma-separated): a
# one-off bank holiday announced after the installed holidays library was released.
EXTRA_BANK_HOLIDAYS = env.list("PRACTICE_REVIEW_BANK_HOLIDAYS", [], subcast=datetime.date)

# Largest review file accepted for import; XLSX files are also checked for what they unpack to.
IMPORT_MAX_BYTES = env.int("PRACTICE_REVIEW_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# An upload over IMPORT_MAX_BYTES stops being kept (core/uploads.py); the rest are Django's own.
FILE_UPLOAD_HANDLERS = [
    "practice_review.core.uploads.StopKeepingOversizeUploads",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# A review file uploaded for import waits here, owner-only, between the check page and the
# person's confirmation, for at most 30 minutes (core/uploads.py; docs/review-files.md). It holds
# children's details, so it is in the data folder with the database, never in a shared /tmp.
HELD_UPLOADS_DIR = DATA_DIR / "held-uploads"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    # Two-factor sign-in (issue 6): authenticator app codes and single-use recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Brute-force lockout (issue 6).
    "axes",
    # Ours, from the ground floor up, as the layers of docs/architecture.md.
    "practice_review.core",
    "practice_review.audit",
    "practice_review.accounts",
    "practice_review.reviews",
    "practice_review.alerts",
    "practice_review.tracker",
    "practice_review.sampling",
    "practice_review.moderation",
    "practice_review.reports",
    "practice_review.data_protection",
    "practice_review.site",
]

MIDDLEWARE = [
    # First, so every log line, audit event and error page of the request has its id.
    "practice_review.core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "practice_review.core.security_headers.PermissionsPolicy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "practice_review.accounts.middleware.ProviderMultiFactor",
    # Inside CSPMiddleware, which writes the header from what this adds.
    "practice_review.accounts.middleware.ProviderSignOutFormAction",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "practice_review.core.middleware.NoStoreWhenSignedIn",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Timeouts first, so an expired session is signed out before two-factor is asked for.
    "practice_review.accounts.middleware.SessionTimeouts",
    "practice_review.accounts.middleware.TwoFactorRequired",
    "axes.middleware.AxesMiddleware",
    # Last, so it sees what the view answered: a signed-in person's case pages and downloads.
    "practice_review.audit.middleware.RecordCaseViews",
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
                "practice_review.site.context_processors.site",
                "practice_review.accounts.context_processors.session_timeout",
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
        env.str("DATABASE_URL", "") or f"sqlite:///{DATA_DIR / 'practice-review.sqlite3'}",
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
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# ---- Two-factor sign-in, lockout and session timeouts (issue 6) ----

# Every person proves a second factor (an authenticator app code or a recovery code) after their
# password, except in the demo, whose made-up accounts share one published password.
TWO_FACTOR_REQUIRED = env.bool("PRACTICE_REVIEW_TWO_FACTOR", not DEMO_MODE)
# The name authenticator apps show next to the code.
OTP_TOTP_ISSUER = f"{SERVICE_NAME} ({COUNCIL_NAME})"
# Wrong codes make the next try wait 1, 2, 4, 8... seconds (per device), so guessing a 6-digit
# code is hopeless. These are django-otp's defaults, written down so nobody turns them off.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Lockout (django-axes, accounts/lockout.py; docs/signing-in.md): 10 wrong passwords for one
# username from one address within 5 minutes lock that username from that address for 5
# minutes; 50 for one username from any addresses within an hour lock it from every address.
# Not by username alone: then anyone could keep a person out by sending 10 wrong passwords every
# 5 minutes. Not by address alone: a council's staff often share one public address, and
# locking it would lock out everyone in the building.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Usernames and passwords, for accounts made here (accounts/backends.py).
    "practice_review.accounts.backends.PasswordBackend",
    # Signing in with the council's account (below): it answers only its own callback.
    "practice_review.accounts.oidc.CouncilAccountBackend",
]
AXES_HANDLER = "practice_review.accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = datetime.timedelta(minutes=5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The username-wide rule counts axes' log of failures (kept for an hour: lockout.py).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The address the proxy saw, not the proxy's own (PROXY_COUNT, below).
AXES_CLIENT_IP_CALLABLE = "practice_review.accounts.lockout.client_address"
AXES_RESET_ON_SUCCESS = True
# Tries during a lockout do not restart it: an attacker cannot keep someone out for ever.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Attempts are in the audit trail (accounts/signals.py); axes keeps no access log of its own and
# its failure log only for the hour the lockout needs it, and its log lines name no username or
# IP address (no personal data in logs).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
AXES_CLIENT_STR_CALLABLE = "practice_review.accounts.signals.anonymous_client"

# ---- Signing in with the council's account: OpenID Connect (issue 18, ADR 0009) ----

# The provider (Microsoft Entra ID, or any standard OpenID provider) and this service's
# registration with it; all three or none. OIDC_ROLE_GROUPS maps the provider's group ids to
# roles: `qa_lead=<id>,reviewer=<id>`, the first group a person is in deciding their role
# (accounts/single_sign_on.py; docs/signing-in.md#setting-up-sign-in-with-council-accounts).
try:
    SINGLE_SIGN_ON = single_sign_on.configuration(
        issuer=env.str("OIDC_ISSUER", ""),
        client_id=env.str("OIDC_CLIENT_ID", ""),
        client_secret=env.str("OIDC_CLIENT_SECRET", ""),
        role_groups=env.str("OIDC_ROLE_GROUPS", ""),
        require_mfa_claim=env.bool("OIDC_REQUIRE_MFA_CLAIM", False),
        timeout_seconds=env.int("OIDC_TIMEOUT_SECONDS", 10, validate=validate.Range(min=1)),
    )
except single_sign_on.Misconfigured as problem:
    raise ImproperlyConfigured(str(problem)) from None
# Usernames and passwords: kept for administrators' break-glass accounts when the provider is
# down; a council may turn them off once everyone signs in with their council account.
LOCAL_SIGN_IN = env.bool("PRACTICE_REVIEW_LOCAL_SIGN_IN", True)
if not (LOCAL_SIGN_IN or SINGLE_SIGN_ON.enabled):
    raise ImproperlyConfigured(
        "PRACTICE_REVIEW_LOCAL_SIGN_IN is off but no OIDC_ISSUER is set: nobody could sign in"
    )
# Whom the refusal page tells a person to ask for access (their groups give no role).
ACCESS_CONTACT = env.str(
    "PRACTICE_REVIEW_ACCESS_CONTACT", "your Head of Quality Assurance or your IT service desk"
)

# Idle and absolute timeouts (accounts/session_clock.py, applied by accounts/middleware.py):
# signed out after 30 minutes without a request (autosaves count: typing is activity) and 12
# hours after signing in, whatever happens. The one home of these lengths: the warning, the
# sign-in page's message and the page's countdown all take them from here. Pages warn this long
# before either end, with a way to stay signed in (WCAG 2.2.1 asks for at least 20 seconds;
# GOV.UK services give 2 minutes).
SESSION_IDLE_TIMEOUT = datetime.timedelta(minutes=30)
SESSION_ABSOLUTE_TIMEOUT = datetime.timedelta(hours=12)
SESSION_WARNING_BEFORE = datetime.timedelta(minutes=2)
# The cookie outlives no session: the browser forgets it when the absolute timeout ends it.
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())

# ---- Secure configuration: HTTPS, headers, CSP, error pages (issue 6) ----

# Production is the default: the HTTPS-only settings are on unless this is the demo or DEBUG.
# `make demo` serves plain HTTP on 127.0.0.1: a secure cookie would never be sent back over it
# (nobody could sign in) and an SSL redirect would lead nowhere, so one switch turns them off.
HTTPS = env.bool("PRACTICE_REVIEW_HTTPS", not (DEMO_MODE or DEBUG))
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Preloading binds every subdomain of the council's domain into browsers for years and is hard
# to undo: a decision for whoever owns that domain, not for one service on it. Off unless asked
# for, and then Django's reminder to set it (security.W021) is not wanted either.
SECURE_HSTS_PRELOAD = HTTPS and env.bool("PRACTICE_REVIEW_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Only behind a reverse proxy that terminates TLS and always sets X-Forwarded-Proto itself: if
# the app were reachable directly, anyone could send that header over plain HTTP and be taken
# for a secure request (no redirect, secure cookies sent over the wire).
BEHIND_PROXY = env.bool("PRACTICE_REVIEW_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies of ours stand in front of the app, each appending the address it saw to
# X-Forwarded-For: the lockout counts by the address the outermost one saw (accounts/lockout.py),
# never by one the browser wrote there. 0 when the app is reached directly: REMOTE_ADDR.
PROXY_COUNT = env.int("PRACTICE_REVIEW_PROXY_COUNT", 1) if BEHIND_PROXY else 0
# Except the health check (site/views.py): load balancers ask for it over plain HTTP from their
# own network and expect 200 or 503, not a redirect; it says "ok" and nothing else.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = {
    "camera": [], "microphone": [], "geolocation": [], "payment": [], "usb": [],
}  # fmt: skip
CSRF_FAILURE_VIEW = "practice_review.core.errors.csrf_failure"

# Content Security Policy (django-csp): our own scripts, styles and images only. The templates
# have no inline script, style element or attribute, nor event handler; the report charts are
# SVG in data: URIs, hence img-src data:. Nothing may frame the service.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# ---- Data protection: retention, legal hold (issue 6) ----
# Years a review is kept, counted from its review date, before `practice-review purge-expired`
# removes its personal details (docs/data-protection.md, ADR 0005). Six: this is the
# quality-assurance record of how a case was worked, not the child's case record (which the case
# management system keeps far longer); six years matches the Limitation Act 1980 period for most
# civil claims and the usual council schedule for audit and assurance records. Confirm it with
# your data protection officer and retention schedule.
RETENTION_YEARS = env.int("PRACTICE_REVIEW_RETENTION_YEARS", 6, validate=validate.Range(min=1))

# ---- Audit trail (issue 6) ----

# Events shown on each page of the audit trail search (/audit/).
AUDIT_PAGE_SIZE = env.int("PRACTICE_REVIEW_AUDIT_PAGE_SIZE", 50)

# Logs carry no personal data: we log events and ids, never case content or form values.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"}
    },
    "filters": {"request_id": {"()": "practice_review.core.request_id.RequestIdFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.log_level("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Sign-ins are in the audit trail; axes's line for each one is noise.
        "axes": {"level": "WARNING"},
        # Its debug lines may name a person's email address; its warnings do not.
        "mozilla_django_oidc": {"level": "WARNING"},
    },
}
