"""The audit table's append-only triggers, lifted and restored by the test suite.

pytest-django empties the tables after a test that commits (``transactional_db``,
``live_server``); the triggers rightly refuse that, as they would refuse anyone.
The suite lifts them just before that flush and puts them back for every test.
"""

from __future__ import annotations

import importlib

from django.db import connection

MIGRATION = importlib.import_module("shafaf.audit.migrations.0002_append_only_triggers")


def set_triggers(enabled: bool) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent "
                           f"{'ENABLE' if enabled else 'DISABLE'} TRIGGER USER")
            return
        cursor.execute("DROP TRIGGER IF EXISTS audit_no_update")
        cursor.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        if enabled:
            for sql in MIGRATION.statements("sqlite", forward=True):
                cursor.execute(sql)
