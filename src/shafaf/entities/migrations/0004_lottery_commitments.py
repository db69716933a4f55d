"""Committed seed parts (docs/decisions/0015-committed-seed-parts.md): a draw goes
frozen (commitments open) → sealed (reveals open) → revealed (the beacon's value, then
the run) → drawn. The check constraint lets the two new states hold no transcript,
and the two new states count as open for "one supplementary draw at a time".

Changing the constraint rebuilds the table on SQLite, which drops 0002's trigger, so
the trigger is created again here, now also refusing a move back to sealed or
revealed (on PostgreSQL the function is replaced; the trigger stays)."""

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
       OR (OLD.status NOT IN ('frozen', 'sealed') AND NEW.status = 'sealed')
       OR (OLD.status NOT IN ('sealed', 'revealed') AND NEW.status = 'revealed')
       OR (OLD.status = 'published' AND NEW.status = 'drawn')
       OR (OLD.status = 'superseded' AND NEW.status <> 'superseded') THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
SQLITE = [
    "DROP TRIGGER IF EXISTS lottery_draw_once;",
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
    "OR (OLD.status NOT IN ('frozen', 'sealed') AND NEW.status = 'sealed') "
    "OR (OLD.status NOT IN ('sealed', 'revealed') AND NEW.status = 'revealed') "
    "OR (OLD.status = 'published' AND NEW.status = 'drawn') "
    "OR (OLD.status = 'superseded' AND NEW.status <> 'superseded') "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]


def statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [POSTGRESQL]
    if vendor == "sqlite":
        return SQLITE
    raise RuntimeError(f"no lottery draw triggers written for {vendor}")


def add_triggers(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("elections", "0001_geography_and_elections"),
        ("entities", "0003_supplementary_draws"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="lotterydraw",
            name="draw_transcript_matches_status",
        ),
        migrations.AlterField(
            model_name="lotterydraw",
            name="status",
            field=models.CharField(choices=[
                ("frozen", "Participants frozen; seed parts being committed"),
                ("sealed", "Commitments sealed; seed parts being revealed"),
                ("revealed", "Seed parts revealed; awaiting the beacon and the run"),
                ("drawn", "Drawn"), ("published", "Published"),
                ("superseded", "Superseded by a correction")],
                default="frozen", max_length=16),
        ),
        migrations.AddConstraint(
            model_name="lotterydraw",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("drawn_at", None),
                             ("status__in", ["frozen", "sealed", "revealed"]),
                             ("transcript__isnull", True)),
                    models.Q(("drawn_at__isnull", False), ("published_at", None),
                             ("status", "drawn"), ("transcript__isnull", False)),
                    models.Q(("drawn_at__isnull", False), ("published_at__isnull", False),
                             ("signed_off_by__isnull", False), ("status", "published"),
                             ("transcript__isnull", False)),
                    ("status", "superseded"), _connector="OR"),
                name="draw_transcript_matches_status"),
        ),
        # Supplementary draws one at a time: sealed and revealed ones are open too.
        migrations.RemoveConstraint(
            model_name="lotterydraw",
            name="one_open_supplementary_draw_per_election",
        ),
        migrations.AddConstraint(
            model_name="lotterydraw",
            constraint=models.UniqueConstraint(
                condition=models.Q(("governorate__isnull", False),
                                   ("status__in", ("frozen", "sealed", "revealed", "drawn"))),
                fields=("election",), name="one_open_supplementary_draw_per_election"),
        ),
        # Forward only: going back, 0002's trigger is what 0002 made (and SQLite's
        # rebuild drops this one).
        migrations.RunPython(add_triggers, migrations.RunPython.noop),
    ]
