# Joins the register's four parts, each written from 0002 on its own: the campaign,
# duplicate detection, the exhibition and the lookup.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('register', '0003_campaign'),
        ('register', '0003_duplicates'),
        ('register', '0003_exhibition'),
        ('register', '0003_lookup'),
    ]

    operations = [
    ]
