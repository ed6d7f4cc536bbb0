"""The three roles as groups with their permissions (see `programs.roles`).

Permissions are made after migrations by a post_migrate signal; on a new database they do not
exist yet when this runs, so they are made here first, as Django's own tests of this do.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SECTIONS = (
    "officer",
    "budgetline",
    "costitem",
    "legalbasis",
    "activity",
    "historyevent",
    "contract",
    "schedulestep",
    "performancerecord",
    "expectedeffect",
    "settlement",
)
DOCUMENT = ("programyear", "program", "department", *SECTIONS)


def perms(app: str, actions: tuple[str, ...], models: tuple[str, ...]) -> set[tuple[str, str]]:
    return {(app, f"{action}_{model}") for action in actions for model in models}


ROLES = {
    "열람자": perms("programs", ("view",), DOCUMENT),
    "부서 편집자": perms("programs", ("view",), DOCUMENT)
    | perms("programs", ("add", "change"), ("programyear", "program"))
    | perms("programs", ("add", "change", "delete"), SECTIONS),
    "예산담당관": perms("programs", ("view", "add", "change", "delete"), DOCUMENT)
    | perms("auth", ("view", "add", "change", "delete"), ("user",))
    | perms("auth", ("view",), ("group",))
    | perms("axes", ("view", "delete"), ("accessattempt",))
    | perms("axes", ("view",), ("accesslog", "accessfailurelog")),
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        found = [
            permission
            for permission in Permission.objects.filter(
                codename__in=[codename for _app, codename in wanted]
            ).select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
        if missing:
            raise RuntimeError(f"permissions missing for role {name}: {sorted(missing)}")
        group.permissions.set(found)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "0010_accessattemptexpiration"),
        ("programs", "0003_history_version_editors"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
