"""Forms as data and quality: the coordinators' verdicts on reports, and the standard
election-day forms (shafaf/observation/standard_forms.json), so that a fresh install
has them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def install_standard_forms(apps, schema_editor):
    from shafaf.observation import standard_forms

    standard_forms.install(apps.get_model("observation", "FormDefinition"))


class Migration(migrations.Migration):

    dependencies = [
        ('observation', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Review',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('pending', 'awaiting verification'), ('verified', 'verified'), ('rejected', 'rejected')], max_length=16, verbose_name='verification')),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='at')),
                ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('submission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='observation.submission', verbose_name='submission')),
            ],
            options={
                'verbose_name': 'review',
                'verbose_name_plural': 'reviews',
                'ordering': ('-at', '-pk'),
            },
        ),
        migrations.RunPython(install_standard_forms, migrations.RunPython.noop),
    ]
