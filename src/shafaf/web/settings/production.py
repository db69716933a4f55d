"""Production: every secret and host from the environment; a clear error when one is
missing. DATABASE_URL selects PostgreSQL; without it, SQLite in the data directory
(a governorate office's single machine)."""

from __future__ import annotations

from shafaf.web.settings.base import *  # noqa: F403
from shafaf.web.settings.base import DATA_DIR, STORAGES, database, env, env_flag, required

SECRET_KEY = required("SHAFAF_SECRET_KEY", "a long random string that signs sessions")
ALLOWED_HOSTS = required(
    "SHAFAF_ALLOWED_HOSTS", "the host names this server answers to, comma-separated"
).split(",")
CSRF_TRUSTED_ORIGINS = [o for o in (env("SHAFAF_CSRF_TRUSTED_ORIGINS") or "").split(",") if o]
DEBUG = False
# Production signs with the commission's own key (SHAFAF_AUDIT_SIGNING_KEY), never one
# made up on the server.
SHAFAF_AUDIT_KEY_GENERATE = False
STATIC_ROOT = DATA_DIR / "static"
DATABASES = {"default": database(DATA_DIR / "shafaf.sqlite3")}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_flag("SHAFAF_HTTPS", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
