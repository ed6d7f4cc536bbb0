# The overview's sums per department and fiscal year (programs.summaries), filled for the data
# there; indexes of each year's change and of its last contract's end, for the overview's lists.

import django.db.models.deletion
import django.db.models.expressions
from django.db import migrations, models

from programs import summaries


def fill(apps, schema_editor):
    summaries.rebuild(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0008_cost_item_depth'),
    ]

    operations = [
        migrations.CreateModel(
            name='CategoryTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('fiscal_year', models.PositiveSmallIntegerField(verbose_name='회계연도')),
                ('category', models.CharField(max_length=100, verbose_name='통계목')),
                ('programs', models.PositiveIntegerField(verbose_name='사업 수')),
                ('prior', models.BigIntegerField(null=True, verbose_name='전년도 예산 합계')),
                ('current', models.BigIntegerField(null=True, verbose_name='예산 합계')),
            ],
            options={
                'verbose_name': '부서별 통계목 합계',
                'verbose_name_plural': '부서별 통계목 합계',
                'ordering': ('fiscal_year', 'department', 'category'),
            },
        ),
        migrations.CreateModel(
            name='YearTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('fiscal_year', models.PositiveSmallIntegerField(verbose_name='회계연도')),
                ('account', models.CharField(blank=True, max_length=100, verbose_name='회계')),
                ('settled_year', models.PositiveSmallIntegerField(null=True, verbose_name='최근 결산 연도')),
                ('programs', models.PositiveIntegerField(verbose_name='사업 수')),
                ('prior', models.BigIntegerField(null=True, verbose_name='전년도 예산 합계')),
                ('current', models.BigIntegerField(null=True, verbose_name='예산 합계')),
                ('funding_national', models.BigIntegerField(null=True, verbose_name='국비')),
                ('funding_city', models.BigIntegerField(null=True, verbose_name='시비')),
                ('funding_district', models.BigIntegerField(null=True, verbose_name='구비')),
                ('funding_other', models.BigIntegerField(null=True, verbose_name='기타')),
                ('settled_executed', models.BigIntegerField(null=True, verbose_name='최근 결산 집행액')),
                ('settled_available', models.BigIntegerField(null=True, verbose_name='최근 결산 예산현액')),
            ],
            options={
                'verbose_name': '부서별 연도 합계',
                'verbose_name_plural': '부서별 연도 합계',
                'ordering': ('fiscal_year', 'department', 'account', 'settled_year'),
            },
        ),
        migrations.AddIndex(
            model_name='programyear',
            index=models.Index(models.F('fiscal_year'), django.db.models.expressions.CombinedExpression(models.F('budget_current'), '-', models.F('budget_prior')), name='program_year_change'),
        ),
        migrations.AddIndex(
            model_name='programyear',
            index=models.Index(fields=['fiscal_year', 'contract_end'], name='program_year_contract_end'),
        ),
        migrations.AddField(
            model_name='categorytotal',
            name='department',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='category_totals', to='programs.department', verbose_name='부서'),
        ),
        migrations.AddField(
            model_name='yeartotal',
            name='department',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='year_totals', to='programs.department', verbose_name='부서'),
        ),
        migrations.AddIndex(
            model_name='categorytotal',
            index=models.Index(fields=['fiscal_year'], name='category_total_fiscal_year'),
        ),
        migrations.AddConstraint(
            model_name='categorytotal',
            constraint=models.UniqueConstraint(fields=('fiscal_year', 'department', 'category'), name='category_total_unique'),
        ),
        migrations.AddIndex(
            model_name='yeartotal',
            index=models.Index(fields=['fiscal_year'], name='year_total_fiscal_year'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
