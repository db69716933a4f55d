"""Audit events are append-only for everyone, administrators included: the database
itself refuses UPDATE, DELETE and TRUNCATE on the table."""

from django.db import migrations

POSTGRESQL = """
CREATE OR REPLACE FUNCTION shafaf_audit_append_only() RETURNS trigger AS $$
BEGIN
    -- SQLSTATE 23001 (restrict_violation): an integrity error, as on SQLite.
    RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION shafaf_audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION shafaf_audit_append_only();
"""
POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS audit_no_update ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS shafaf_audit_append_only();
"""
SQLITE = [
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_no_update;",
                  "DROP TRIGGER IF EXISTS audit_no_delete;"]


def statements(vendor: str, forward: bool) -> list[str]:
    if vendor == "postgresql":
        return [POSTGRESQL if forward else POSTGRESQL_REVERSE]
    if vendor == "sqlite":
        return SQLITE if forward else SQLITE_REVERSE
    raise RuntimeError(f"no append-only triggers written for {vendor}")


def add_triggers(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, forward=True):
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, forward=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_events")]
    operations = [migrations.RunPython(add_triggers, drop_triggers)]
