"""The change page's sections and fieldsets, written in Python.

A section's rows are the bulk of the program year's change page (a demo year ~370 inputs,
sample 000 ~690); through the admin's `tabular.html` each input cost a dozen template
lookups, most of the page's time. `SectionAdminFormSet.html` writes the same markup as that
template (`templates/admin/programs/section_tabular.html` hands it over), so the admin's
`inlines.js` and `admin-change.js` read the rows as before. `fieldset` does the same for the
admin's `fieldset.html` (the year's own fields, and each settlement's lines of amounts). Tests
compare both with Django's templates.
"""

from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_modify import cell_count
from django.contrib.admin.utils import flatten_fieldsets
from django.forms import Media
from django.templatetags.static import static
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext


class SectionAdminFormSet(helpers.InlineAdminFormSet):
    @classmethod
    def of(cls, inline_admin_formset: helpers.InlineAdminFormSet) -> "SectionAdminFormSet":
        """The admin's own, as built by `ModelAdmin.get_inline_formsets`."""
        section = cls.__new__(cls)
        section.__dict__.update(inline_admin_formset.__dict__)
        return section

    @cached_property
    def admin_forms(self) -> list[helpers.InlineAdminForm]:
        return list(super().__iter__())

    def __iter__(self):
        # Each row's wrapper, made once: the rows and `prepopulated_fields_js` both go through
        # them.
        return iter(self.admin_forms)

    @property
    def can_delete(self) -> bool:
        """Whether the rows have a delete box (and the table its column heading)."""
        return self.formset.can_delete and self.has_delete_permission

    @property
    def media(self) -> Media:
        # Django adds each row's media, the same widgets' in every row: once a section.
        return self.opts.media + self.formset.media

    def html(self, last: bool = False) -> SafeString:
        """What the admin's `edit_inline/tabular.html` writes for the section; `last`: whether
        it is the last of the change page's sections (the template's `forloop.last`)."""
        formset = self.formset
        prefix = conditional_escape(formset.prefix)
        collapsible = self.is_collapsible
        name = self.opts.verbose_name if formset.max_num == 1 else self.opts.verbose_name_plural
        return mark_safe(
            "".join(
                [
                    f'<div class="js-inline-admin-formset inline-group" id="{prefix}-group"',
                    ' data-inline-type="tabular"',
                    f' data-inline-formset="{conditional_escape(self.inline_formset_data())}">',
                    f'<div class="tabular inline-related {"last-related" if last else ""}">',
                    _hidden(formset.management_form),
                    f'<fieldset class="module {conditional_escape(self.classes)}"',
                    f' aria-labelledby="{prefix}-heading">',
                    "<details><summary>" if collapsible else "",
                    f'<h2 id="{prefix}-heading" class="inline-heading">',
                    f"{conditional_escape(capfirst(name))}</h2>",
                    "</summary>" if collapsible else "",
                    str(formset.non_form_errors()),
                    '<table><thead><tr><th class="original"></th>',
                    *map(_heading, self.fields()),
                    f"<th>{conditional_escape(gettext('Delete?')) if self.can_delete else ''}</th>",
                    "</tr></thead><tbody>",
                    self.rows(),
                    "</tbody></table>",
                    "</details>" if collapsible else "",
                    "</fieldset></div></div>",
                ]
            )
        )

    def rows(self) -> SafeString:
        """The `<tr>`s of a tabular section, as the admin's `tabular.html` writes them (our
        sections have no change link nor a page of their own to link to)."""
        prefix = conditional_escape(self.formset.prefix)
        # The cells' fields, as each row's fieldsets and lines would give them one by one,
        # and their cells' classes.
        fk = getattr(self.formset, "fk", None)
        names = [name for name in flatten_fieldsets(self.fieldsets) if not fk or fk.name != name]
        cells = [(name, f"field-{conditional_escape(name)}" if name else "") for name in names]
        forms = self.admin_forms
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
            html += [
                '<tr class="form-row ',
                "has_original" if original else "",
                " empty-form" if empty else "",
                f'" id="{prefix}-{"empty" if empty else index}"><td class="original">',
            ]
            if original:
                html.append(f"<p>{conditional_escape(original)}</p>")
            if admin_form.needs_explicit_pk_field():
                html.append(str(admin_form.pk_field().field))
            if admin_form.fk_field():
                html.append(str(admin_form.fk_field().field))
            html.append("</td>")
            readonly = admin_form.readonly_fields  # all of them for a viewer's rows
            html.extend(self._cell(form, name, css, name in readonly) for name, css in cells)
            deletion = self.can_delete and original
            html.append('<td class="delete">')
            if deletion:
                html.append(str(admin_form.deletion_field().field))
            html.append("</td></tr>")
        return mark_safe("".join(html))

    def _cell(self, form, name: str, css: str, readonly: bool) -> str:
        if readonly:
            field = helpers.AdminReadonlyField(form, name, False, model_admin=self.opts)
            hidden = field.field["is_hidden"]
            content = format_html("<p>{}</p>", field.contents())
        else:
            bound = form[name]
            hidden = bound.is_hidden
            content = str(bound)
            if _has_errors(form, [name]):
                content = bound.errors.as_ul() + content
        return f'<td class="{css}{" hidden" if hidden else ""}">{content}</td>'


def _hidden(form) -> str:
    """A form of hidden fields alone (a formset's management form), as Django's `div.html`
    writes it when it has no errors: the fields one after the other."""
    if form.errors:
        return str(form)
    return "".join(map(str, form.hidden_fields()))


def _heading(field: dict) -> str:
    """A column's heading, from `InlineAdminFormSet.fields` (its widget a dict when read only)."""
    widget = field["widget"]
    hidden = widget["is_hidden"] if isinstance(widget, dict) else widget.is_hidden
    css = f"column-{conditional_escape(field['name'])}"
    css += (" required" if field["required"] else "") + (" hidden" if hidden else "")
    html = f'<th class="{css}">{conditional_escape(capfirst(field["label"]))}'
    if field["help_text"]:
        help_text = conditional_escape(strip_tags(field["help_text"]))
        icon = conditional_escape(static("admin/img/icon-unknown.svg"))
        html += (
            f'<img src="{icon}" class="help help-tooltip" width="10" height="10"'
            f' alt="({help_text})" title="{help_text}">'
        )
    return html + "</th>"


def fieldset(fieldset: helpers.Fieldset, heading_level, prefix, id_prefix, id_suffix) -> SafeString:
    """What the admin's `admin/includes/fieldset.html` writes with that context (this
    project's copy of it hands its context to this)."""
    heading = "-".join(str(conditional_escape(part)) for part in (prefix, id_prefix, id_suffix))
    html = [f'<fieldset class="module aligned {conditional_escape(fieldset.classes)}"']
    if fieldset.name:
        level = conditional_escape(heading_level or 2)
        collapsible = fieldset.is_collapsible
        html += [
            f' aria-labelledby="{heading}-heading">',
            "<details><summary>" if collapsible else "",
            f'<h{level} id="{heading}-heading" class="fieldset-heading">',
            f"{conditional_escape(fieldset.name)}</h{level}>",
            "</summary>" if collapsible else "",
        ]
    else:
        collapsible = False
        html.append(">")
    if fieldset.description:
        html.append(f'<div class="description">{fieldset.description}</div>')
    html.extend(_line(line) for line in fieldset)
    html.append("</details></fieldset>" if collapsible else "</fieldset>")
    return mark_safe("".join(html))


def _has_errors(form, names) -> bool:
    """Whether any of the fields has errors, without the empty list each one's `errors` makes
    and renders when it has none."""
    return any(name in form.errors for name in names)


def _name(field: helpers.AdminField | helpers.AdminReadonlyField) -> str:
    return field.field["name"] if field.is_readonly else field.field.name


def _line(line: helpers.Fieldline) -> str:
    fields = list(line)
    single = len(line.fields) == 1
    errors = line.errors() if single and _has_errors(line.form, line.fields) else ""
    names = "".join(f" field-{conditional_escape(name)}" for name in map(_name, fields) if name)
    html = [
        f'<div class="form-row{" errors" if errors else ""}',
        "" if line.has_visible_field else " hidden",
        f'{names}">',
        errors if single else '<div class="flex-container form-multiline">',
    ]
    html.extend(_field(field, single) for field in fields)
    html.append("</div>" if single else "</div></div>")
    return "".join(html)


def _field(field: helpers.AdminField | helpers.AdminReadonlyField, single: bool) -> str:
    if field.is_readonly:
        hidden, help_text, label_for = field.field["is_hidden"], field.field["help_text"], ""
        errors = ""
        content = f'{field.label_tag()}<div class="readonly">{field.contents()}</div>'
    else:
        bound = field.field
        hidden, help_text, label_for = bound.is_hidden, bound.help_text, bound.id_for_label
        errors = field.errors() if _has_errors(bound.form, [bound.name]) else ""
        if field.is_checkbox:
            content = f"{conditional_escape(bound)}{field.label_tag()}"
        else:
            content = f"{field.label_tag()}{conditional_escape(bound)}"
    box = ""
    if not single:
        name = _name(field)
        box = " fieldBox" + (f" field-{conditional_escape(name)}" if name else "")
        box += (" errors" if errors else "") + (" hidden" if hidden else "")
    html = [
        "<div>",
        "" if single else errors,
        f'<div class="flex-container{box}{" checkbox-row" if field.is_checkbox else ""}">',
        content,
        "</div>",
    ]
    if help_text:
        described = f' id="{conditional_escape(label_for)}_helptext"' if label_for else ""
        html.append(f'<div class="help{" hidden" if hidden else ""}"{described}>')
        html.append(f"<div>{help_text}</div></div>")
    html.append("</div>")
    return "".join(html)
