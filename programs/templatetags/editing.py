"""Who may edit a program year, for the pages' edit links (`programs.roles` has the rules)."""

from django import template

from .. import roles
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
