"""The test suite: SQLite in a temporary directory, or PostgreSQL when DATABASE_URL
points to one (pytest-django creates and drops the test database)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from shafaf.web.settings.base import *  # noqa: F403
from shafaf.web.settings.base import database

DATA_DIR = Path(tempfile.mkdtemp(prefix="shafaf-test-"))
atexit.register(shutil.rmtree, DATA_DIR, ignore_errors=True)
LOCALE_PATHS = [DATA_DIR / "locale"]
SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
DATABASES = {"default": database(Path(tempfile.gettempdir()) / "shafaf-test.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file in WAL mode, as in production, not SQLite's shared in-memory database:
    # there a page read while another thread (the live server, a job worker) writes
    # fails at once with "table is locked"; here it reads, and writers queue. In
    # memory-backed /dev/shm where there is one, so that it costs no disk writes.
    _memory = Path("/dev/shm")  # noqa: S108 - a private directory made inside it
    _test_dir = Path(tempfile.mkdtemp(prefix="shafaf-test-db-",
                                      dir=_memory if _memory.is_dir() else None))
    atexit.register(shutil.rmtree, _test_dir, ignore_errors=True)
    DATABASES["default"]["TEST"] = {"NAME": str(_test_dir / "test.sqlite3")}
# Tests that never commit (pytest-django's ``db``) would leave events unsealed: the
# suite seals in the action's transaction, and the tests of sealing after commit turn
# it on (tests/web/test_audit.py).
SHAFAF_AUDIT_SEAL_AFTER_COMMIT = False
# Checkpoints in tests come when a test takes them (tests/web/test_audit.py tests the
# timed ones).
SHAFAF_AUDIT_CHECKPOINT_SECONDS = None
