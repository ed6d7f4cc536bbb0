import copy

from django import forms
from django.forms import renderers
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from markupsafe import escape

from .sources import SUFFIXES

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class BoundField(forms.BoundField):
    """Django's, but an input, a check box or a text area is written at once (~700 a change
    page of a year), without the widget's context, its template lookup and the two empty error
    lists Django makes for it: the same markup (tests compare both on every field of the
    admin's pages), at about half the time. Anything else goes through Django."""

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        widget = widget or self.field.widget
        write = WRITERS.get(widget.template_name)
        field, form = self.field, self.form
        if (
            write is None
            or attrs
            or only_initial
            or field.localize
            or type(widget).get_context not in PLAIN_CONTEXTS
            or type(widget).render is not forms.Widget.render
            or not isinstance(form.renderer, FormRenderer)
        ):
            return super().as_widget(widget, attrs, only_initial)
        # BoundField.build_widget_attrs and as_widget, in their order.
        extra = {}
        if (
            widget.use_required_attribute(self.initial)
            and field.required
            and form.use_required_attribute
        ):
            extra["required"] = True
        if field.disabled:
            extra["disabled"] = True
        errors = self.name in form.errors
        hidden = field.widget.is_hidden
        if not hidden and errors:
            extra["aria-invalid"] = "true"
        auto_id = self.auto_id
        if (
            not field.widget.use_fieldset
            and not field.widget.attrs.get("aria-describedby")
            and auto_id
            and not hidden
        ):
            described = [f"{auto_id}_helptext"] if self.help_text else []
            described += [f"{auto_id}_error"] if errors else []
            if described:
                extra["aria-describedby"] = " ".join(described)
        if auto_id and "id" not in widget.attrs:
            extra["id"] = auto_id
        value = self.value()
        if type(widget).get_context is CHECKBOX_CONTEXT and widget.check_test(value):
            extra["checked"] = True
        return SafeString(  # mark_safe's, without its check for lazy text
            write(
                {
                    "type": getattr(widget, "input_type", None),
                    "name": self.html_name,
                    "value": widget.format_value(value),
                    "attrs": widget.build_attrs(widget.attrs, extra),
                }
            )
        )


class FormRenderer(renderers.Jinja2):
    """Django's own widget, label and error-list templates rendered by Jinja2, the rest
    (the admin's `admin/widgets/*.html`, django-filter's) by the Django engine as before.

    The admin's change page of a program year renders ~370 widgets with their labels and
    error lists: through the Django engine alone that was over half of its server time
    (at 5,000 programs x 5 years, ~170 ms a page before, ~100 ms with this renderer).
    """

    bound_field_class = BoundField

    @cached_property
    def django_templates(self) -> renderers.DjangoTemplates:
        return renderers.DjangoTemplates()

    @cached_property
    def django_only(self) -> set[str]:
        """The names Jinja2 did not find: not looked for in its folders at each widget again
        (the admin's date widgets, a dozen a change page)."""
        return set()

    def get_template(self, template_name: str):
        if template_name not in self.django_only:
            try:
                return super().get_template(template_name)
            except TemplateDoesNotExist:
                self.django_only.add(template_name)
        return self.django_templates.get_template(template_name)

    def render(self, template_name: str, context: dict, request=None) -> str:
        # The admin renders every field's error list, empty or not (~330 a change page);
        # Django's error-list templates render nothing for no errors.
        if template_name.startswith("django/forms/errors/") and not context.get("errors"):
            return ""
        # Inputs, text areas and the admin's date inputs, most of a change page's widgets,
        # written as their templates write them without a template's context and lookups for
        # each (the same writers as BoundField's).
        write = WRITERS.get(template_name)
        if write is not None:
            return write(context["widget"])
        if template_name == LABEL:  # each field of a fieldset (programs.admin_rows)
            return _label(context)
        return super().render(template_name, context, request)


# Django's widget templates that are `django/forms/widgets/input.html` alone.
INPUTS = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in (
        *("checkbox", "color", "date", "datetime", "email", "file", "hidden", "number"),
        *("password", "search", "tel", "text", "time", "url"),
    )
)
TEXTAREA = "django/forms/widgets/textarea.html"
LABEL = "django/forms/label.html"
# BoundField's shortcut: widgets whose context is Django's plain one, and their writers.
CHECKBOX_CONTEXT = forms.CheckboxInput.get_context  # Input's, and `checked` when it is
PLAIN_CONTEXTS = (forms.Widget.get_context, forms.widgets.Input.get_context, CHECKBOX_CONTEXT)


def _escape(value) -> str:
    """Jinja2's escaping (markupsafe's `escape`): text escaped, safe markup kept. Plain text,
    most of a change page's ~3,500 attribute values, by `str.replace` (a third of the time)."""
    if type(value) is not str:
        return str(escape(value))
    for character, entity in ESCAPES:
        value = value.replace(character, entity)
    return value


ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&#34;"), ("'", "&#39;"))


def _django_escape(value) -> str:
    """The Django engine's escaping: as Jinja2's, but quotes written `&quot;` and `&#x27;`."""
    return str(conditional_escape(value))


def _attrs(attrs: dict, escape=_escape) -> str:
    """`django/forms/widgets/attrs.html`: `False` leaves the attribute out, `True` names it."""
    html = []
    for name, value in attrs.items():
        if value is True:
            html.append(f" {escape(name)}")
        elif value is not False:
            html.append(f' {escape(name)}="{escape(value)}"')
    return "".join(html)


def _input(widget: dict, escape=_escape) -> str:
    value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
    return (
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}'
        f"{_attrs(widget['attrs'], escape)}>"
    )


def _textarea(widget: dict) -> str:
    value = _escape(widget["value"]) if widget["value"] else ""
    attrs = _attrs(widget["attrs"])
    return f'<textarea name="{_escape(widget["name"])}"{attrs}>\n{value}</textarea>'


def _admin_date(widget: dict) -> str:
    """`admin/widgets/date.html`, the admin's date input in a paragraph for its calendar: a
    template of the Django engine, so its escaping."""
    return f'<p class="date">\n  {_input(widget, _django_escape)}\n\n\n</p>'


WRITERS = dict.fromkeys(INPUTS, _input) | {
    TEXTAREA: _textarea,
    "admin/widgets/date.html": _admin_date,
}


def _label(context: dict) -> str:
    if not context["use_tag"]:
        return _escape(context["label"])
    tag = _escape(context["tag"])
    return f"<{tag}{_attrs(context['attrs'] or {})}>{_escape(context['label'])}</{tag}>"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or more files, each checked as a file field checks one."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class DocumentUploadForm(forms.Form):
    file = MultipleFileField(
        label=_("문서 파일"),
        help_text=_(
            "사업설명서 PDF(.pdf), 스캔 이미지(.png, .jpg, .tif), PDF에서 추출한 텍스트(.txt)"
            " 또는 JSON(.json), 파일마다 5MB 이하, 여러 개를 함께 올릴 수 있습니다"
        ),
    )

    def clean_file(self):
        uploads = self.cleaned_data["file"]
        for upload in uploads:
            if not upload.name.lower().endswith(SUFFIXES):
                raise forms.ValidationError(
                    _("%(name)s: %(suffixes)s 파일이어야 합니다"),
                    params={"name": upload.name, "suffixes": ", ".join(SUFFIXES)},
                )
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(
                    _("%(name)s: 5MB보다 큽니다"), params={"name": upload.name}
                )
        return uploads


class ConfirmImportForm(forms.Form):
    """Which staged import the preview showed (the documents stay on the server)."""

    staged = forms.IntegerField(widget=forms.HiddenInput)


class Fields(dict):
    """A form class's fields, copied for each form as Django's `Field.__deepcopy__` copies
    them, without `copy.copy`'s pickling protocol per field and widget."""

    def __deepcopy__(self, memo):
        return {name: _copy(field, memo) for name, field in self.items()}


def _copy(field: forms.Field, memo: dict) -> forms.Field:
    widget = field.widget
    if (
        type(field).__deepcopy__ is not forms.Field.__deepcopy__
        or type(widget).__deepcopy__ is not forms.Widget.__deepcopy__
    ):
        return copy.deepcopy(field, memo)
    new = object.__new__(type(field))
    new.__dict__.update(field.__dict__)
    new.widget = object.__new__(type(widget))
    new.widget.__dict__.update(widget.__dict__)
    new.widget.attrs = widget.attrs.copy()
    new.error_messages = field.error_messages.copy()
    new.validators = field.validators[:]
    return new


class FastCopyMetaclass(forms.models.ModelFormMetaclass):
    """Model forms whose fields are `Fields`, and so the admin's subclasses of them."""

    def __new__(mcs, name, bases, attrs):
        new_class = super().__new__(mcs, name, bases, attrs)
        new_class.base_fields = Fields(new_class.base_fields)
        return new_class


class SectionForm(forms.ModelForm, metaclass=FastCopyMetaclass):
    pass
