"""Production: every secret and host from the environment; a clear error when one is
missing. DATABASE_URL selects PostgreSQL; without it, SQLite in the data directory
(a governorate office's single machine)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

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

# HTTPS only (docs/deployment.md). Plain HTTP is redirected, and HSTS tells browsers
# never to try it again: a year by default, preloadable. A first deployment may start
# lower (SHAFAF_HSTS_SECONDS=300) and raise it once every host name serves HTTPS.
SECURE_SSL_REDIRECT = True
_hsts = env("SHAFAF_HSTS_SECONDS") or str(365 * 24 * 60 * 60)
if not _hsts.isdigit():
    raise ImproperlyConfigured(
        f"SHAFAF_HSTS_SECONDS must be a whole number of seconds, not {_hsts!r}")
SECURE_HSTS_SECONDS = int(_hsts)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SHAFAF_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_flag("SHAFAF_HSTS_PRELOAD")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# Behind a proxy that terminates TLS, Django sees plain HTTP: only then, and only when
# the operator says the proxy sets X-Forwarded-Proto (and strips a client's own), is
# that header believed. Trusting it unconditionally let any client claim HTTPS.
if env_flag("SHAFAF_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
# Source maps are for developers' tools: served as they are, not compressed at each start.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
