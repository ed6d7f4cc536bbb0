# A 산출근거 item's level as a depth (any number of levels) instead of a sub-item flag.

import django.core.validators
from django.db import migrations, models


def depth_from_flag(apps, schema_editor):
    apps.get_model("programs", "CostItem").objects.filter(is_sub_item=True).update(depth=1)


def flag_from_depth(apps, schema_editor):
    apps.get_model("programs", "CostItem").objects.filter(depth__gt=0).update(is_sub_item=True)


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0007_schedule_period_text'),
    ]

    operations = [
        migrations.AddField(
            model_name='costitem',
            name='depth',
            field=models.PositiveSmallIntegerField(default=0, help_text='0: 항목, 1: 바로 위 항목의 세부 항목(-), 2: 그 아래(·) …', validators=[django.core.validators.MaxValueValidator(5)], verbose_name='단계'),
        ),
        migrations.RunPython(depth_from_flag, flag_from_depth),
        migrations.RemoveField(
            model_name='costitem',
            name='is_sub_item',
        ),
    ]
