"""The register's indexes, one per question: the keys' own indexes go (the centre's is
the lead of (centre, sort_key), the governorate's is voter_governorate), the station's
becomes partial (empty until the stations are filled). On PostgreSQL the sort key is
compared by code point ("C"), as every list orders it, so that its index serves those
orders; and the LIKE index Django adds beside the voter number's unique index goes,
as no query searches the number by prefix."""

import django.db.models.deletion
from django.db import migrations, models


def _like_indexes(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'register_voter' "
                       "AND indexname LIKE 'register_voter_voter_number%%_like'")
        return [name for (name,) in cursor.fetchall()]


def code_point_order(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('ALTER TABLE register_voter ALTER COLUMN sort_key TYPE text '
                          'COLLATE "C"')
    for name in _like_indexes(schema_editor):
        schema_editor.execute(f'DROP INDEX "{name}"')


def database_order(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('ALTER TABLE register_voter ALTER COLUMN sort_key TYPE text '
                          'COLLATE "default"')
    schema_editor.execute("CREATE INDEX register_voter_voter_number_like ON register_voter "
                          "(voter_number varchar_pattern_ops)")


class Migration(migrations.Migration):

    dependencies = [
        ('elections', '0003_registration_centre_address'),
        ('register', '0004_merge_register_parts'),
    ]

    operations = [
        migrations.AlterField(
            model_name='voter',
            name='centre',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='voters', to='elections.pollingcentre', verbose_name='polling centre'),
        ),
        migrations.AlterField(
            model_name='voter',
            name='governorate',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='voters', to='elections.governorate', verbose_name='governorate'),
        ),
        migrations.AlterField(
            model_name='voter',
            name='station',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='voters', to='elections.pollingstation', verbose_name='polling station'),
        ),
        migrations.AddIndex(
            model_name='voter',
            index=models.Index(condition=models.Q(('station__isnull', False)), fields=['station'], name='voter_station'),
        ),
        migrations.RunPython(code_point_order, database_order, elidable=False),
    ]
