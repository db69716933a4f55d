"""Supplementary draws (docs/lottery.md, "Supplementary draws"): a draw may name a
governorate, for the entities of lists certified there after the election's draw. The
election still has one live main draw; supplementary draws run one at a time.

No table is rebuilt (a column and two partial indexes), so the triggers of 0002 stay."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('elections', '0001_geography_and_elections'),
        ('entities', '0002_lottery_draw_integrity'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='lotterydraw',
            name='one_live_draw_per_election',
        ),
        migrations.AddField(
            model_name='lotterydraw',
            name='governorate',
            field=models.ForeignKey(blank=True, help_text='Set for a supplementary draw: the entities of lists certified in this governorate after the draw, without a number yet.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='elections.governorate', verbose_name='governorate'),
        ),
        migrations.AddConstraint(
            model_name='lotterydraw',
            constraint=models.UniqueConstraint(condition=models.Q(models.Q(('status', 'superseded'), _negated=True), ('governorate__isnull', True)), fields=('election',), name='one_live_draw_per_election'),
        ),
        migrations.AddConstraint(
            model_name='lotterydraw',
            constraint=models.UniqueConstraint(condition=models.Q(('governorate__isnull', False), ('status__in', ['frozen', 'drawn'])), fields=('election',), name='one_open_supplementary_draw_per_election'),
        ),
    ]
