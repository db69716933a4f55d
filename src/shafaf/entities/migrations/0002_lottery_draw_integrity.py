"""A lottery draw is drawn once (docs/lottery.md, "The ceremony").

The check constraint ties the transcript to the status: none while frozen, one once
drawn or published. The triggers make the database itself refuse, for anyone:
changing what was frozen (the participants and their hash, the pool, the beacon),
changing a draw's transcript, seed or seed parts once it has a transcript (so a draw
never gets a second transcript), and moving a draw backwards (to frozen again, or
out of superseded).

On SQLite, a later migration that rebuilds this table (most field and constraint changes
do) drops the trigger with it: such a migration must create it again (``statements``
below). tests/web/test_ceremony.py fails if the trigger is missing.
"""

from django.conf import settings
from django.db import migrations, models

MESSAGE = "a lottery draw is drawn once: what was frozen or drawn never changes"

POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION shafaf_lottery_draw_once() RETURNS trigger AS $$
BEGIN
    IF NEW.election_id IS DISTINCT FROM OLD.election_id
       OR NEW.participants IS DISTINCT FROM OLD.participants
       OR NEW.participants_sha256 IS DISTINCT FROM OLD.participants_sha256
       OR NEW.numbers IS DISTINCT FROM OLD.numbers
       OR NEW.exclude IS DISTINCT FROM OLD.exclude
       OR NEW.beacon IS DISTINCT FROM OLD.beacon
       OR (OLD.transcript IS NOT NULL AND (
           NEW.transcript IS DISTINCT FROM OLD.transcript
           OR NEW.seed IS DISTINCT FROM OLD.seed
           OR NEW.seed_parts IS DISTINCT FROM OLD.seed_parts
           OR NEW.beacon_value IS DISTINCT FROM OLD.beacon_value
           OR NEW.drawn_at IS DISTINCT FROM OLD.drawn_at
           OR NEW.drawn_by_id IS DISTINCT FROM OLD.drawn_by_id))
       OR (OLD.status <> 'frozen' AND NEW.status = 'frozen')
       OR (OLD.status = 'published' AND NEW.status = 'drawn')
       OR (OLD.status = 'superseded' AND NEW.status <> 'superseded') THEN
        -- SQLSTATE 23001 (restrict_violation): an integrity error, as on SQLite.
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER lottery_draw_once BEFORE UPDATE ON entities_lotterydraw
    FOR EACH ROW EXECUTE FUNCTION shafaf_lottery_draw_once();
"""
POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS lottery_draw_once ON entities_lotterydraw;
DROP FUNCTION IF EXISTS shafaf_lottery_draw_once();
"""
SQLITE = [
    "CREATE TRIGGER lottery_draw_once BEFORE UPDATE ON entities_lotterydraw WHEN "
    "NEW.election_id IS NOT OLD.election_id "
    "OR NEW.participants IS NOT OLD.participants "
    "OR NEW.participants_sha256 IS NOT OLD.participants_sha256 "
    "OR NEW.numbers IS NOT OLD.numbers "
    "OR NEW.exclude IS NOT OLD.exclude "
    "OR NEW.beacon IS NOT OLD.beacon "
    "OR (OLD.transcript IS NOT NULL AND ("
    "NEW.transcript IS NOT OLD.transcript "
    "OR NEW.seed IS NOT OLD.seed "
    "OR NEW.seed_parts IS NOT OLD.seed_parts "
    "OR NEW.beacon_value IS NOT OLD.beacon_value "
    "OR NEW.drawn_at IS NOT OLD.drawn_at "
    "OR NEW.drawn_by_id IS NOT OLD.drawn_by_id)) "
    "OR (OLD.status <> 'frozen' AND NEW.status = 'frozen') "
    "OR (OLD.status = 'published' AND NEW.status = 'drawn') "
    "OR (OLD.status = 'superseded' AND NEW.status <> 'superseded') "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS lottery_draw_once;"]


def statements(vendor: str, forward: bool) -> list[str]:
    if vendor == "postgresql":
        return [POSTGRESQL if forward else POSTGRESQL_REVERSE]
    if vendor == "sqlite":
        return SQLITE if forward else SQLITE_REVERSE
    raise RuntimeError(f"no lottery draw triggers written for {vendor}")


def add_triggers(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, forward=True):
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, forward=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("entities", "0001_entities_and_lottery"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="lotterydraw",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("drawn_at", None), ("status", "frozen"),
                             ("transcript__isnull", True)),
                    models.Q(("drawn_at__isnull", False), ("published_at", None),
                             ("status", "drawn"), ("transcript__isnull", False)),
                    models.Q(("drawn_at__isnull", False), ("published_at__isnull", False),
                             ("signed_off_by__isnull", False), ("status", "published"),
                             ("transcript__isnull", False)),
                    ("status", "superseded"), _connector="OR"),
                name="draw_transcript_matches_status"),
        ),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
