# The contract register's kept columns (programs.contracts.refresh), filled for the data
# there, and the index of its latest rows in its default order.

from django.db import migrations, models

from programs import contracts


def fill(apps, schema_editor):
    contracts.rebuild(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0010_import_jobs'),
    ]

    operations = [
        migrations.AddField(
            model_name='contract',
            name='latest',
            field=models.BooleanField(default=True, editable=False, verbose_name='최신 문서 수록'),
        ),
        migrations.AddField(
            model_name='contract',
            name='previous_end',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='앞 협약 종료'),
        ),
        migrations.AddField(
            model_name='contract',
            name='round',
            field=models.PositiveSmallIntegerField(blank=True, editable=False, null=True, verbose_name='차수'),
        ),
        migrations.AddIndex(
            model_name='contract',
            index=models.Index(condition=models.Q(('latest', True)), fields=['end', 'id'], name='contract_register'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
