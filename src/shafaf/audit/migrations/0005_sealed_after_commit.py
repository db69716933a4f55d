"""Events may be written unsealed and sealed right after their action commits
(shafaf.audit.actions): sequence number and hashes become nullable, and the
append-only trigger lets exactly one change through on PostgreSQL: an unsealed event
receiving its place in the chain, once, with nothing else changed.

On SQLite, altering the columns rebuilds the table, which drops its triggers: they
are put back, with the same one exception (SQLite seals in the action's transaction,
but an unsealed event must never block the chain there either).
"""

import importlib

from django.db import migrations, models

EVENTS = importlib.import_module("shafaf.audit.migrations.0002_append_only_triggers")

POSTGRESQL_SEALING = """
CREATE OR REPLACE FUNCTION shafaf_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.seq IS NULL AND OLD.hash IS NULL AND OLD.prev_hash IS NULL
           AND NEW.seq IS NOT NULL AND NEW.hash IS NOT NULL AND NEW.prev_hash IS NOT NULL
           AND (NEW.id, NEW.at, NEW.actor_id, NEW.actor_username, NEW.action,
                NEW.object_type, NEW.object_id, NEW.data, NEW.version, NEW.salt)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.at, OLD.actor_id, OLD.actor_username, OLD.action,
                OLD.object_type, OLD.object_id, OLD.data, OLD.version, OLD.salt) THEN
            RETURN NEW;  -- sealing: the event takes its place in the chain
        END IF;
    END IF;
    -- SQLSTATE 23001 (restrict_violation): an integrity error, as on SQLite.
    RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""
SEALING_ONLY = (
    "OLD.seq IS NULL AND OLD.hash IS NULL AND OLD.prev_hash IS NULL "
    "AND NEW.seq IS NOT NULL AND NEW.hash IS NOT NULL AND NEW.prev_hash IS NOT NULL "
    "AND NEW.id IS OLD.id AND NEW.at IS OLD.at AND NEW.actor_id IS OLD.actor_id "
    "AND NEW.actor_username IS OLD.actor_username AND NEW.action IS OLD.action "
    "AND NEW.object_type IS OLD.object_type AND NEW.object_id IS OLD.object_id "
    "AND NEW.data IS OLD.data AND NEW.version IS OLD.version AND NEW.salt IS OLD.salt")
SQLITE = [
    f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditevent WHEN NOT ({SEALING_ONLY}) "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
]

POSTGRESQL_STRICT = """
CREATE OR REPLACE FUNCTION shafaf_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""


def allow_sealing(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_SEALING)
    elif vendor == "sqlite":
        for sql in EVENTS.SQLITE_REVERSE + SQLITE:
            schema_editor.execute(sql)


def strict_again(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_STRICT)
    elif vendor == "sqlite":
        for sql in EVENTS.SQLITE_REVERSE + EVENTS.SQLITE:
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_checkpoints_append_only'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(max_length=64, null=True, unique=True, verbose_name='hash'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='prev_hash',
            field=models.CharField(max_length=64, null=True, verbose_name='previous hash'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='seq',
            field=models.PositiveBigIntegerField(null=True, unique=True, verbose_name='sequence'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(condition=models.Q(('seq__isnull', True)), fields=['id'], name='audit_unsealed'),
        ),
        migrations.RunPython(allow_sealing, strict_again),
    ]
