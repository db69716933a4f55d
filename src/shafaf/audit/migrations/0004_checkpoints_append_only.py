"""Signed checkpoints are append-only like the events: the database refuses UPDATE,
DELETE and TRUNCATE on their table, for everyone."""

from django.db import migrations

TABLE = "audit_auditcheckpoint"
POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION shafaf_audit_checkpoint_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit checkpoints are append-only' USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER checkpoint_no_update BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION shafaf_audit_checkpoint_append_only();
CREATE TRIGGER checkpoint_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION shafaf_audit_checkpoint_append_only();
"""
POSTGRESQL_REVERSE = f"""
DROP TRIGGER IF EXISTS checkpoint_no_update ON {TABLE};
DROP TRIGGER IF EXISTS checkpoint_no_truncate ON {TABLE};
DROP FUNCTION IF EXISTS shafaf_audit_checkpoint_append_only();
"""
SQLITE = [
    f"CREATE TRIGGER checkpoint_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;",
    f"CREATE TRIGGER checkpoint_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS checkpoint_no_update;",
                  "DROP TRIGGER IF EXISTS checkpoint_no_delete;"]


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
    dependencies = [("audit", "0003_checkpoints_and_commitments")]
    operations = [migrations.RunPython(add_triggers, drop_triggers)]
