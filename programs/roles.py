"""Who may change what: three roles, kept as groups (made by migration 0004_roles).

- 열람자 (viewer): reads every page; in the admin, sees everything and changes nothing.
- 부서 편집자 (department editor): enters and imports the program years of the departments
  they are assigned to (`Department.editors`) and sees no other department's in the admin.
- 예산담당관 (budget office): enters and imports everything, assigns editors, manages users.

Every signed-in user reads the dashboard pages, whatever their role.

Migration 0004 made the groups; `sync_roles` (after every `migrate` and `flush`) keeps them
as `PERMISSIONS` says, also for models added later.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.db.models import QuerySet

from .models import SECTION_RELATIONS, Department, ProgramYear

VIEWER = "열람자"
EDITOR = "부서 편집자"
BUDGET_OFFICE = "예산담당관"
ROLES = (VIEWER, EDITOR, BUDGET_OFFICE)

SECTIONS = tuple(
    ProgramYear._meta.get_field(relation).related_model._meta.model_name
    for relation in SECTION_RELATIONS
)
DOCUMENT = ("programyear", "program", "department", *SECTIONS)


def _perms(app: str, actions: tuple[str, ...], models: tuple[str, ...]) -> set[str]:
    return {f"{app}.{action}_{model}" for action in actions for model in models}


PERMISSIONS = {
    VIEWER: _perms("programs", ("view",), DOCUMENT),
    EDITOR: _perms("programs", ("view",), DOCUMENT)
    | _perms("programs", ("add", "change"), ("programyear", "program"))
    | _perms("programs", ("add", "change", "delete"), SECTIONS),
    BUDGET_OFFICE: _perms("programs", ("view", "add", "change", "delete"), DOCUMENT)
    | _perms("auth", ("view", "add", "change", "delete"), ("user",))
    | _perms("auth", ("view",), ("group",))
    | _perms("axes", ("view", "delete"), ("accessattempt",))
    | _perms("axes", ("view",), ("accesslog", "accessfailurelog")),
}


def sync_roles(using: str = "default", **kwargs) -> None:
    """Make the role groups hold exactly their permissions (a post_migrate receiver)."""
    every = set().union(*PERMISSIONS.values())
    found = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.using(using)
        .filter(codename__in={code.split(".", 1)[1] for code in every})
        .select_related("content_type")
    }
    for name, codes in PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set([found[code] for code in sorted(codes) if code in found])


User = AbstractBaseUser | AnonymousUser


def role_names(user: User) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._role_names = cached
    return cached


def sees_every_department(user: User) -> bool:
    """True unless the user is a department editor (and not also the budget office)."""
    if user.is_superuser:
        return True
    names = role_names(user)
    return EDITOR not in names or BUDGET_OFFICE in names


def editable_departments(user: User) -> QuerySet[Department] | None:
    """The departments whose programs the user may see and change in the admin; None: all."""
    if sees_every_department(user):
        return None
    return Department.objects.filter(editors=user)


def foreign_departments(user: User, departments: Iterable[tuple[str, str]]) -> list[str]:
    """Of these (실·국, 부서) pairs, the ones the user may not import into, as text."""
    allowed = editable_departments(user)
    if allowed is None:
        return []
    own = set(allowed.values_list("bureau", "name"))
    return [f"{bureau} {name}" for bureau, name in departments if (bureau, name) not in own]


def assign(user: AbstractBaseUser, role: str, departments: Iterable[Department] = ()) -> None:
    """Give the user this role (and staff status, so that the admin lets them in)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
    user.groups.add(Group.objects.get(name=role))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    for department in departments:
        department.editors.add(user)
    user.__dict__.pop("_role_names", None)
