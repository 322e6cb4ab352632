"""Django settings. Everything a deployment changes comes from the environment:

- ``DATABASE_URL``: the database; default a SQLite file ``var/kompass.sqlite3`` under the
  working directory. PostgreSQL: ``postgres://user:password@host:5432/name``.
- ``KOMPASS_SECRET_KEY``: the secret key; default one generated once into ``var/``.
- ``KOMPASS_DEBUG``: ``1`` for Django's debug pages.
- ``KOMPASS_ALLOWED_HOSTS``: comma-separated host names; default ``127.0.0.1,localhost``.
- ``KOMPASS_VAR_DIR``: where the default database, secret key and collected static files
  live; default ``./var``.
- ``KOMPASS_UPLOAD_DIR``: uploaded documents; default ``uploads`` in the var directory.
- ``KOMPASS_UPLOAD_MAX_MB``: the largest upload accepted, in MiB; default 20.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("KOMPASS_VAR_DIR", Path.cwd() / "var")).resolve()


def _secret_key() -> str:
    if os.environ.get("KOMPASS_SECRET_KEY"):
        return os.environ["KOMPASS_SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = os.environ.get("KOMPASS_DEBUG") == "1"
SECRET_KEY = _secret_key()
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
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kompass.evaluations.summaries.DataVersionPerRequest",
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
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Every transaction takes the write lock when it begins, so a read-check-write in a
    # transaction sees the latest data (PostgreSQL gets the same from SELECT … FOR UPDATE).
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Derived figures (benchmarks, role models, charts) are cached under keys that carry the
# data version, so a change of published data is never served stale. Files, so that all
# of gunicorn's worker processes share what one of them computed.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# User-facing text is written in Swedish (the source language of every message);
# other Nordic languages follow through translation files in locale/.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it even before collectstatic
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
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"

# Uploaded evidence and attachments: outside the web root, under generated names.
KOMPASS_UPLOAD_DIR = Path(os.environ.get("KOMPASS_UPLOAD_DIR", VAR_DIR / "uploads")).resolve()
KOMPASS_UPLOAD_MAX_BYTES = int(os.environ.get("KOMPASS_UPLOAD_MAX_MB", "20")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields; files stream to disk beyond FILE_UPLOAD_MAX_MEMORY_SIZE

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and os.environ.get("KOMPASS_HTTPS") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# The public benchmark shows the municipalities' self-assessments only as means over at
# least this many published evaluations.
KOMPASS_SELF_ASSESSMENT_MIN_COUNT = int(os.environ.get("KOMPASS_SELF_ASSESSMENT_MIN_COUNT", "3"))
