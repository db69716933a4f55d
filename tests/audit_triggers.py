"""The audit tables' append-only triggers, lifted and restored by the test suite.

pytest-django empties the tables after a test that commits (``transactional_db``,
``live_server``); the triggers rightly refuse that, as they would refuse anyone.
The suite lifts them just before that flush and puts them back for every test.
"""

from __future__ import annotations

import importlib

from django.db import connection

EVENTS = importlib.import_module("shafaf.audit.migrations.0005_sealed_after_commit")
CHECKPOINTS = importlib.import_module("shafaf.audit.migrations.0004_checkpoints_append_only")
TABLES = {"audit_auditevent": (EVENTS, ("audit_no_update", "audit_no_delete")),
          "audit_auditcheckpoint": (CHECKPOINTS, ("checkpoint_no_update",
                                                  "checkpoint_no_delete"))}


def set_triggers(enabled: bool) -> None:
    with connection.cursor() as cursor:
        for table, (migration, names) in TABLES.items():
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} "
                               f"{'ENABLE' if enabled else 'DISABLE'} TRIGGER USER")
                continue
            for name in names:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            if enabled:
                for sql in migration.SQLITE:
                    cursor.execute(sql)
