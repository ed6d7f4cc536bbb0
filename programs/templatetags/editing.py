"""Who may edit a program year, for the pages' edit links (`programs.roles` has the rules),
and the admin's fieldsets written in Python (`programs.admin_rows`)."""

from django import template

from .. import admin_rows, roles
from ..models import ProgramYear

register = template.Library()


@register.filter
def may_edit(user, year: ProgramYear) -> bool:
    """Whether the admin would let the user change this year: its change permission, and for
    a department editor, the year's department among theirs."""
    if not user.is_staff or not user.has_perm("programs.change_programyear"):
        return False
    departments = roles.editable_departments(user)
    return departments is None or departments.filter(pk=year.program.department_id).exists()


@register.simple_tag(takes_context=True)
def admin_fieldset(context) -> str:
    """The admin's `admin/includes/fieldset.html` for the context it is included with."""
    return admin_rows.fieldset(
        context["fieldset"],
        context.get("heading_level"),
        context.get("prefix", ""),
        context.get("id_prefix", ""),
        context.get("id_suffix", ""),
    )


@register.simple_tag(takes_context=True)
def admin_tabular(context) -> str:
    """The admin's `admin/edit_inline/tabular.html` for the section it is included with."""
    last = context.get("forloop", {}).get("last", False)
    return context["inline_admin_formset"].html(last)
