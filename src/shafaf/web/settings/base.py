"""Settings every environment shares."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parents[2]


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or default


def env_flag(name: str, default: bool = False) -> bool:
    value = env(name)
    return default if value is None else value.lower() in ("1", "true", "yes", "on")


def required(name: str, why: str) -> str:
    value = env(name)
    if value is None:
        raise ImproperlyConfigured(f"The environment variable {name} is required: {why}")
    return value


def data_dir() -> Path:
    """Where Shafaf keeps its database and files: SHAFAF_DATA_DIR, else the XDG data
    directory ($XDG_DATA_HOME/shafaf, by default ~/.local/share/shafaf)."""
    explicit = env("SHAFAF_DATA_DIR")
    if explicit:
        return Path(explicit)
    xdg = env("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "shafaf"


DATA_DIR = data_dir()


def database(default_sqlite: Path) -> dict[str, object]:
    """DATABASE_URL selects PostgreSQL (or another engine); SQLite is the default."""
    import dj_database_url

    url = env("DATABASE_URL")
    if url:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60,
                                                                conn_health_checks=True))
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": default_sqlite,
        "OPTIONS": {
            # WAL lets readers work while an import writes; IMMEDIATE takes the write
            # lock at BEGIN, so concurrent writers queue instead of failing midway.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


INSTALLED_APPS = [
    "shafaf.accounts",
    "shafaf.audit",
    "shafaf.elections",
    "shafaf.entities",
    "shafaf.jobs",
    "shafaf.portal",
    "shafaf.register",
    "shafaf.results",
    "shafaf.observation",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Only for its templates and static files: /api/docs serves Swagger from them.
    "ninja",
]

MIDDLEWARE = [
    # Outermost: every response gets the policy, redirects', errors' and static files' too.
    "shafaf.web.content_policy.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # "Where do I vote" as JSON answers here, before the heavy middleware (a lean path:
    # docs/register-lookup.md); the two above still give it every security header.
    "shafaf.web.register_lookup.LookupMiddleware",
    # Observers' reports: the same lean path for their common case (docs/observation-api.md).
    "shafaf.web.observation_reports.ReportMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything queries the database: PostgreSQL cannot take a NUL.
    "shafaf.web.nul_bytes.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "shafaf.accounts.sessions.WorkingDaySession",
    "shafaf.accounts.sessions.PasswordChangeRequired",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "shafaf.web.urls"
WSGI_APPLICATION = "shafaf.web.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shafaf.portal.context.navigation",
            ],
        },
    }
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Django's validators (docs/accounts.md); the length one words its refusal in our
# catalogues, where Django's Arabic one is out of date.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "shafaf.accounts.passwords.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password guessing (docs/accounts.md): failed logins allowed within a window for one
# name from one address, and from one address across every name.
SHAFAF_LOGIN_TRIES_PER_ACCOUNT = 5
SHAFAF_LOGIN_TRIES_PER_ADDRESS = 30
SHAFAF_LOGIN_WINDOW_SECONDS = 15 * 60

# The shared secret an SMS gateway sends with observers' reports (X-Shafaf-Sms-Secret
# header or secret parameter); empty: the SMS webhook refuses every message
# (docs/observation-reports.md).
SHAFAF_SMS_SECRET = env("SHAFAF_SMS_SECRET") or ""


def trusted_proxies() -> int:
    """SHAFAF_TRUSTED_PROXIES: how many proxies in front of the server append to
    X-Forwarded-For (0, the default: the header is ignored)."""
    value = env("SHAFAF_TRUSTED_PROXIES", "0") or "0"
    if not value.isdigit():
        raise ImproperlyConfigured(
            f"SHAFAF_TRUSTED_PROXIES must be a whole number of proxies, not {value!r}")
    return int(value)


SHAFAF_TRUSTED_PROXIES = trusted_proxies()

# Staff sessions last a working day from their login (shafaf.accounts.sessions) and end
# when the browser closes: office computers are shared.
SESSION_COOKIE_AGE = 9 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# The commission's Ed25519 key that signs the audit chain's checkpoints: a path to a
# PEM file, or the base64 of its 32-byte seed (docs/audit.md). Outside production a
# key is made on first use and kept in the data directory, so that a demo just works.
SHAFAF_AUDIT_SIGNING_KEY = env("SHAFAF_AUDIT_SIGNING_KEY")
SHAFAF_AUDIT_KEY_GENERATE = True
# PostgreSQL: seal audit events into the chain right after their action commits, in
# batches, rather than under one lock held until each action commits (src/shafaf/audit/
# actions.py; docs/decisions/0014-signed-checkpoints.md).
SHAFAF_AUDIT_SEAL_AFTER_COMMIT = True
# An audited write signs a checkpoint when the newest is older than this (seconds),
# besides `shafaf audit checkpoint` from cron and every publication.
SHAFAF_AUDIT_CHECKPOINT_SECONDS: int | None = 300

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "ar"
LANGUAGES = [
    ("ar", "العربية"),
    ("ckb", "کوردی"),
    ("en", "English"),
]
LANGUAGE_COOKIE_NAME = "shafaf_language"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Baghdad"
# Catalogues are compiled from the committed .po files when the application starts
# (shafaf.portal.apps), into the data directory: nobody runs compilemessages by hand.
LOCALE_SOURCE_DIR = PACKAGE_DIR / "locale"
LOCALE_PATHS = [DATA_DIR / "locale"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "shafaf.web.static_files.AppDirectoriesFinder",
]
# Outside production WhiteNoise serves straight from the apps' static folders (the
# finders); production collects them into STATIC_ROOT first (`shafaf serve` does).
STATIC_ROOT: Path | None = None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# The largest register file the staff import page accepts (bytes; a national
# register is some 1.3 GB as CSV, 250 MB gzip): streamed to disk, never to memory.
REGISTER_UPLOAD_BYTES = int(env("SHAFAF_REGISTER_UPLOAD_BYTES") or 4 * 1024 ** 3)

# The voter register's stations (docs/register-stations.md): the most voters one
# polling station serves. The law and the commission's published figures give no
# maximum; 450 sits just above the commission's 2023 averages (15,108,135 general
# voters over 35,560 stations, about 425; security forces about 423 a station).
def voters_per_station() -> int:
    value = env("SHAFAF_VOTERS_PER_STATION", "450") or "450"
    if not value.isdigit() or not 1 <= int(value) <= 10_000:
        raise ImproperlyConfigured(
            f"SHAFAF_VOTERS_PER_STATION must be a whole number from 1 to 10000, not {value!r}")
    return int(value)


SHAFAF_VOTERS_PER_STATION = voters_per_station()


# Refused counting-device transmissions one address may send in a minute before the
# rest are refused unread (docs/results-transmission.md).
def transmission_refusals_per_minute() -> int:
    value = env("SHAFAF_TRANSMISSION_REFUSALS_PER_MINUTE", "120") or "120"
    if not value.isdigit() or int(value) < 1:
        raise ImproperlyConfigured("SHAFAF_TRANSMISSION_REFUSALS_PER_MINUTE must be a whole "
                                   f"number of 1 or more, not {value!r}")
    return int(value)


SHAFAF_TRANSMISSION_REFUSALS_PER_MINUTE = transmission_refusals_per_minute()
