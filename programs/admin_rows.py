"""The rows of the change page's sections, written in Python.

A section's rows are the bulk of the program year's change page (a demo year ~370 inputs,
sample 000 ~690); through the admin's `tabular.html` each input cost a dozen template
lookups, most of the page's time. `SectionAdminFormSet.rows` writes the same markup
(`templates/admin/programs/section_tabular.html` has the rest of Django's template), so the
admin's `inlines.js` and `admin-change.js` read the rows as before.
"""

from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_modify import cell_count
from django.forms import Media
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


class SectionAdminFormSet(helpers.InlineAdminFormSet):
    @classmethod
    def of(cls, inline_admin_formset: helpers.InlineAdminFormSet) -> "SectionAdminFormSet":
        """The admin's own, as built by `ModelAdmin.get_inline_formsets`."""
        section = cls.__new__(cls)
        section.__dict__.update(inline_admin_formset.__dict__)
        return section

    @property
    def media(self) -> Media:
        # Django adds each row's media, the same widgets' in every row: once a section.
        return self.opts.media + self.formset.media

    def rows(self) -> SafeString:
        """The `<tr>`s of a tabular section, as the admin's `tabular.html` writes them (our
        sections have no change link nor a page of their own to link to)."""
        prefix = self.formset.prefix
        can_delete = self.formset.can_delete and self.has_delete_permission
        forms = list(self)
        html = []
        for index, admin_form in enumerate(forms):
            form = admin_form.form
            empty = self.has_add_permission and index == len(forms) - 1
            if form.non_field_errors():
                html.append(
                    format_html(
                        '<tr class="row-form-errors"><td colspan="{}">{}</td></tr>',
                        cell_count(admin_form),
                        form.non_field_errors(),
                    )
                )
            original = admin_form.original
            html.append(
                format_html(
                    '<tr class="form-row{}{}" id="{}-{}"><td class="original">',
                    " has_original" if original else "",
                    " empty-form" if empty else "",
                    prefix,
                    "empty" if empty else index,
                )
            )
            if original:
                html.append(format_html("<p>{}</p>", original))
            if admin_form.needs_explicit_pk_field():
                html.append(str(admin_form.pk_field().field))
            if admin_form.fk_field():
                html.append(str(admin_form.fk_field().field))
            html.append("</td>")
            for fieldset in admin_form:
                for line in fieldset:
                    html.extend(_cell(field) for field in line)
            deletion = can_delete and original
            html.append('<td class="delete">')
            if deletion:
                html.append(str(admin_form.deletion_field().field))
            html.append("</td></tr>")
        return mark_safe("".join(html))


def _cell(field: helpers.AdminField | helpers.AdminReadonlyField) -> str:
    if field.is_readonly:  # its `field` is a dict of the name and whether it is hidden
        name, hidden = field.field["name"], field.field["is_hidden"]
        content = format_html("<p>{}</p>", field.contents())
    else:
        bound = field.field
        name, hidden = bound.name, bound.is_hidden
        content = bound.errors.as_ul() + str(bound)
    css = f"field-{name}" if name else ""
    return format_html('<td class="{}{}">{}</td>', css, " hidden" if hidden else "", content)
