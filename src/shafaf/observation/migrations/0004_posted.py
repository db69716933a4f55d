"""Posted result forms (docs/observation-posted-forms.md): the counting form's version 2,
which adds each list's votes on the posted form (version 1 stays, for the reports that
answered it), and the coordinators' findings."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def install_standard_forms(apps, schema_editor):
    from shafaf.observation import standard_forms

    standard_forms.install(apps.get_model("observation", "FormDefinition"))


class Migration(migrations.Migration):

    dependencies = [
        ('elections', '0003_registration_centre_address'),
        ('observation', '0003_merge_0002_channel_0002_dash_0002_forms'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PostedFinding',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('item', models.CharField(max_length=48, verbose_name='number')),
                ('transcribed', models.PositiveIntegerField(blank=True, null=True, verbose_name='on the posted form')),
                ('published', models.PositiveIntegerField(verbose_name='published')),
                ('manifest_sha256', models.CharField(max_length=64, verbose_name="SHA-256 of the publication's manifest")),
                ('state', models.CharField(choices=[('verified', 'verified against the photo'), ('dismissed', 'dismissed'), ('published', 'published')], max_length=16, verbose_name='state')),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
                ('decided_at', models.DateTimeField(verbose_name='decided')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published')),
                ('decided_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='findings', to='observation.organisation', verbose_name='organisation')),
                ('station', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='elections.pollingstation', verbose_name='polling station')),
                ('submission', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='findings', to='observation.submission', verbose_name='report')),
            ],
            options={
                'verbose_name': 'finding on a posted form',
                'verbose_name_plural': 'findings on posted forms',
                'ordering': ('station__code', 'item', 'pk'),
                'constraints': [models.UniqueConstraint(fields=('submission', 'item', 'manifest_sha256'), name='one_finding_per_report_number_publication')],
            },
        ),
        migrations.RunPython(install_standard_forms, migrations.RunPython.noop),
    ]
