"""The embedded default and the demo: SQLite in the data directory, one machine."""

from __future__ import annotations

import secrets

from shafaf.web.settings.base import *  # noqa: F403
from shafaf.web.settings.base import DATA_DIR, database, env, env_flag


def _local_secret_key() -> str:
    # Kept in the data directory so sessions survive a restart of the demo.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="ascii")
        path.chmod(0o600)
    return path.read_text(encoding="ascii").strip()


SECRET_KEY = env("SHAFAF_SECRET_KEY") or _local_secret_key()
DEBUG = env_flag("SHAFAF_DEBUG")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
DATABASES = {"default": database(DATA_DIR / "shafaf.sqlite3")}
