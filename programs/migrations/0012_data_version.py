import secrets

from django.db import migrations, models


def first_token(apps, schema_editor):
    apps.get_model("programs", "DataVersion").objects.create(pk=1, token=secrets.token_hex(16))


class Migration(migrations.Migration):
    dependencies = [("programs", "0011_contract_register")]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=32, verbose_name="토큰")),
            ],
            options={
                "verbose_name": "자료 버전",
                "verbose_name_plural": "자료 버전",
                "ordering": ("pk",),
            },
        ),
        migrations.RunPython(first_token, migrations.RunPython.noop),
    ]
