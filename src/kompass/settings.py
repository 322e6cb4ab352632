"""Django settings. Everything a deployment changes comes from the environment:

- ``DATABASE_URL``: the database; default a SQLite file ``var/kompass.sqlite3`` under the
  working directory. PostgreSQL: ``postgres://user:password@host:5432/name``.
- ``KOMPASS_SECRET_KEY``: the secret key; default one generated once into ``var/`` by the
  first ``kompass`` command.
- ``KOMPASS_DEBUG``: ``1`` for Django's debug pages.
- ``KOMPASS_ALLOWED_HOSTS``: comma-separated host names; default ``127.0.0.1,localhost``.
- ``KOMPASS_VAR_DIR``: where the default database, secret key and collected static files
  live; default ``./var``.
- ``KOMPASS_UPLOAD_DIR``: uploaded documents; default ``uploads`` in the var directory.
- ``KOMPASS_UPLOAD_MAX_MB``: the largest upload accepted, in MiB; default 20.
"""

import logging
import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from kompass import var_dir

# Read, never created here: kompass.var_dir.prepare() makes it, its secret key and its
# static folder, so that importing the settings writes nothing.
VAR_DIR = var_dir.location()

DEBUG = os.environ.get("KOMPASS_DEBUG") == "1"
SECRET_KEY = var_dir.secret_key(VAR_DIR)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("KOMPASS_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "kompass.catalogue",
    "kompass.municipalities",
    "kompass.evaluations",
    "kompass.benchmark",
    "kompass.reports",
    "kompass.workspace",
    "kompass.actions",
    "kompass.notifications",
    "kompass.search",
    "kompass.web",
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
    "kompass.web.languages.RequestLanguage",  # ?lang= and the saved setting, after authentication
    "kompass.sessions.IdleTimeout",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "kompass.evaluations.summaries.DataVersionPerRequest",
    "kompass.busy.DatabaseBusy",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "kompass.urls"
WSGI_APPLICATION = "kompass.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'kompass.sqlite3'}",
        conn_max_age=int(os.environ.get("KOMPASS_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Waits instead of failing when two processes write at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = int(os.environ.get("KOMPASS_SQLITE_TIMEOUT", "20"))
    # Every transaction takes the write lock when it begins, so a read-check-write in a
    # transaction sees the latest data (PostgreSQL gets the same from SELECT … FOR UPDATE).
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Derived figures (benchmarks, role models, charts) are cached under keys that carry the
# data version, so a change of published data is never served stale. Files, so that all
# of gunicorn's worker processes share what one of them computed.
CACHES = {
    "default": {
        "BACKEND": "kompass.file_cache.FileCache",  # Django's file cache, culled less often
        "LOCATION": str(VAR_DIR / "cache"),
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},  # ASVS 2.1.1
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# User-facing text is written in Swedish, the source language of every message; the
# other Nordic languages and English come from src/kompass/locale/*/LC_MESSAGES/django.po,
# compiled to .mo at install (make install). A visitor's language: their choice (cookie,
# and a workspace user's profile), else their browser's Accept-Language, else Swedish.
LANGUAGES = [("sv", "Svenska"), ("nb", "Norsk bokmål"), ("da", "Dansk"), ("en", "English")]
# The installation's own language, for a visitor whose browser asks for none of ours
# (KS's site: nb) and for e-mails to users who chose none.
LANGUAGE_CODE = os.environ.get("KOMPASS_LANGUAGE", "sv")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"KOMPASS_LANGUAGE={LANGUAGE_CODE!r}: use one of {', '.join(dict(LANGUAGES))}")
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]
LANGUAGE_COOKIE_NAME = "kompass_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = var_dir.static_root(VAR_DIR)
WHITENOISE_USE_FINDERS = True

# Accounts: log in at /accounts/login/; after five failed attempts for a user name from
# one address, that pair is locked out for 15 minutes (django-axes).
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/arbete/"
LOGOUT_REDIRECT_URL = "/"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Administrators read every login and failed login in the admin (Axes › access logs and
# access failures); failures are kept even after a later successful login.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
# A session unused this long ends (ASVS 3.3.2); the working day above is the most it lasts.
KOMPASS_SESSION_IDLE_SECONDS = int(os.environ.get("KOMPASS_SESSION_IDLE_MINUTES", "30")) * 60

# Where vulnerabilities are reported (mailto: or https:), for /.well-known/security.txt.
KOMPASS_SECURITY_CONTACT = os.environ.get("KOMPASS_SECURITY_CONTACT", "")
# Who runs the site and where the public writes (Om webbplatsen, accessibility statement,
# personal data note); a form that refuses its CSRF token answers in Swedish.
KOMPASS_SITE_OWNER = os.environ.get("KOMPASS_SITE_OWNER", "Sveriges Kommuner och Regioner (SKR)")
KOMPASS_CONTACT_EMAIL = os.environ.get("KOMPASS_CONTACT_EMAIL", "")
CSRF_FAILURE_VIEW = "kompass.urls.csrf_failure"

# E-mail (password reset links): printed on the console unless an SMTP server is set.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend" if os.environ.get("KOMPASS_EMAIL_HOST") else "django.core.mail.backends.console.EmailBackend"
EMAIL_HOST = os.environ.get("KOMPASS_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("KOMPASS_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("KOMPASS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KOMPASS_EMAIL_PASSWORD", "")
# KOMPASS_EMAIL_TLS: 1 STARTTLS, 0 none (a relay on port 25); unset: by the port (587
# STARTTLS, 465 TLS from the start).
_EMAIL_TLS = os.environ.get("KOMPASS_EMAIL_TLS", "")
EMAIL_USE_SSL = EMAIL_PORT == 465 and _EMAIL_TLS != "0"
EMAIL_USE_TLS = not EMAIL_USE_SSL and (_EMAIL_TLS == "1" or (_EMAIL_TLS == "" and EMAIL_PORT == 587))
EMAIL_TIMEOUT = 20  # seconds; a mail server that hangs must not hold a worker for long
DEFAULT_FROM_EMAIL = os.environ.get("KOMPASS_EMAIL_FROM", "Kommunkompassen <noreply@localhost>")
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60
# The site's address, for links in e-mails (notifications) and those the command prints.
KOMPASS_BASE_URL = os.environ.get("KOMPASS_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Uploaded evidence and attachments: outside the web root, under generated names.
KOMPASS_UPLOAD_DIR = Path(os.environ.get("KOMPASS_UPLOAD_DIR", VAR_DIR / "uploads")).resolve()
KOMPASS_UPLOAD_MAX_BYTES = int(os.environ.get("KOMPASS_UPLOAD_MAX_MB", "20")) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "kompass.upload_handlers.UploadSizeLimit",  # refuses an oversized body before reading it
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields; files stream to disk beyond FILE_UPLOAD_MAX_MEMORY_SIZE

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and os.environ.get("KOMPASS_HTTPS") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

# Pages load nothing from elsewhere: scripts, styles, images and fonts come from the site
# itself (charts are inline SVG or data: images). Inline style attributes and the HTML
# report's <style> are allowed; inline scripts and every other origin are not, so an
# image or script that slipped into a text could neither load nor run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Behind HTTPS (KOMPASS_HTTPS=1): every request redirected to HTTPS and the browser told
# to stay there for a year. KOMPASS_TRUST_X_FORWARDED_PROTO=1 when a proxy in front
# terminates TLS and says so in X-Forwarded-Proto (set it only then: a client could send
# the header itself).
if SESSION_COOKIE_SECURE:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
if os.environ.get("KOMPASS_TRUST_X_FORWARDED_PROTO") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

class StderrHandler(logging.StreamHandler):
    """Writes to ``sys.stderr`` as it is when a record comes, not as it was when logging
    was set up: a command run again in the same process (the tests' CLI runs) may have
    been given another stream meanwhile, and the old one may be closed."""

    def __init__(self):
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "kompass.settings.StderrHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Renders that cost CPU, per client address and window: (renders, seconds). Answers
# already cached never count. KOMPASS_RATE_LIMIT_REPORTS=10/60 and the like override them.
def _rate(name: str, default: str) -> tuple[int, int]:
    count, _slash, seconds = os.environ.get(name, default).partition("/")
    return int(count), int(seconds)


# Behind N reverse proxies (nginx, a load balancer) every request comes from the last
# one: the client is then the N-th address from the right of X-Forwarded-For.
KOMPASS_PROXY_COUNT = int(os.environ.get("KOMPASS_PROXY_COUNT", "0"))
KOMPASS_RATE_LIMITS = {
    "report": _rate("KOMPASS_RATE_LIMIT_REPORTS", "10/60"),
    "search": _rate("KOMPASS_RATE_LIMIT_SEARCH", "60/60"),
    "api": _rate("KOMPASS_RATE_LIMIT_API", "120/60"),
    "mail": _rate("KOMPASS_RATE_LIMIT_MAIL", "5/3600"),  # password reset e-mails
}

# The public benchmark shows the municipalities' self-assessments only as means over at
# least this many published evaluations.
KOMPASS_SELF_ASSESSMENT_MIN_COUNT = int(os.environ.get("KOMPASS_SELF_ASSESSMENT_MIN_COUNT", "3"))

# Open data (/data/): the licence of the downloads and the API (an SPDX id; known ones get
# their name and address, another needs KOMPASS_DATA_LICENCE_URL), and how to credit it.
KOMPASS_DATA_LICENCE = os.environ.get("KOMPASS_DATA_LICENCE", "CC-BY-4.0")
KOMPASS_DATA_LICENCE_URL = os.environ.get("KOMPASS_DATA_LICENCE_URL", "")
KOMPASS_DATA_ATTRIBUTION = os.environ.get("KOMPASS_DATA_ATTRIBUTION", "Kommunkompassen")
