"""The sections' forms and formset classes: what the change page builds for each of its rows,
built once where Django builds it again (programs.forms.Fields, programs.admin.Section)."""

import copy

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory

from programs.forms import Fields
from programs.models import ProgramYear

pytestmark = pytest.mark.django_db


def formsets(user, year=None) -> dict:
    """Each section's formset class, as the admin builds it for `user`'s request."""
    request = RequestFactory().get("/")
    request.user = user
    year_admin = admin.site._registry[ProgramYear]
    return {
        type(inline).__name__: inline.get_formset(request, year)
        for inline in year_admin.get_inline_instances(request, year)
    }


def test_a_form_s_fields_are_copied_as_django_copies_them(admin_user, stored_samples):
    for name, formset in formsets(admin_user, stored_samples[0]).items():
        originals = formset.form.base_fields
        assert isinstance(originals, Fields), name
        ours = copy.deepcopy(originals)
        django = copy.deepcopy(dict(originals))  # a plain dict: Django's own __deepcopy__s
        assert list(ours) == list(django) == list(originals)
        for field_name, field in ours.items():
            where = f"{name}.{field_name}"
            expected, original = django[field_name], originals[field_name]
            assert type(field) is type(expected), where
            assert type(field.widget) is type(expected.widget), where
            assert field.widget.attrs == expected.widget.attrs, where
            assert field.error_messages == expected.error_messages, where
            assert field.validators == expected.validators, where
            assert vars(field).keys() == vars(expected).keys(), where
            # a form's own: changing them leaves the class's fields and the other forms' alone
            assert field is not original and field.widget is not original.widget, where
            assert field.widget.attrs is not original.widget.attrs, where
            assert field.error_messages is not original.error_messages, where
            assert field.validators is not original.validators, where
        first = next(iter(ours.values()))
        first.widget.attrs["data-changed"] = "1"
        assert "data-changed" not in next(iter(originals.values())).widget.attrs


def test_a_field_of_a_widget_django_copies_otherwise_is_copied_by_django():
    fields = Fields(
        kind=forms.ChoiceField(choices=[("a", "가")]),
        when=forms.SplitDateTimeField(),
        name=forms.CharField(),
    )
    copied = copy.deepcopy(fields)
    assert copied["kind"].choices == [("a", "가")]
    assert copied["kind"].widget.choices is not fields["kind"].widget.choices
    assert copied["when"].fields[0] is not fields["when"].fields[0]
    assert copied["when"].widget.widgets[0] is not fields["when"].widget.widgets[0]


def test_a_section_s_formset_class_is_built_once_for_each_set_of_permissions(
    admin_user, viewer, django_user_model, stored_samples
):
    year = stored_samples[0]
    first, again = formsets(admin_user, year), formsets(admin_user, year)
    viewers = formsets(viewer, year)
    # may add and change, not delete: one permission apart from the superuser
    keeper = django_user_model.objects.create_user("keeper", is_staff=True)
    keeper.user_permissions.set(
        Permission.objects.filter(content_type__app_label="programs").exclude(
            codename__startswith="delete_"
        )
    )
    keepers = formsets(django_user_model.objects.get(pk=keeper.pk), year)
    assert first.keys() == viewers.keys() == keepers.keys() and len(first) == 11
    for name, formset in first.items():
        assert again[name] is formset, name
        assert viewers[name] is not formset and keepers[name] is not formset, name
        assert formset.can_delete, name
        assert not viewers[name].can_delete and not keepers[name].can_delete, name
        # what the class's rows read at each use: translated once
        for field in formset.form.base_fields.values():
            assert type(field.label) is str and type(field.help_text) is str, name
    # the rows' forms refuse a viewer's changes, an editor's not
    row = first["BudgetLineInline"].form(instance=year.budget_lines.first())
    seen = viewers["BudgetLineInline"].form(instance=year.budget_lines.first())
    row.data = seen.data = {"category": "바뀐 이름"}
    row.is_bound = seen.is_bound = True
    assert row.has_changed() and not seen.has_changed()
