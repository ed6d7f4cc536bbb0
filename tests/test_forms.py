"""The form renderer: Django's own form templates through Jinja2, the admin's through Django."""

import pytest
from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.forms.renderers import Jinja2, get_default_renderer
from django.forms.utils import ErrorList
from django.template.backends.django import Template as DjangoTemplate
from django.template.backends.jinja2 import Template as Jinja2Template
from django.urls import reverse
from django.utils.safestring import mark_safe

from programs.forms import LABEL, WRITERS, BoundField, DocumentUploadForm

from .test_admin import form_data


def test_django_widgets_render_through_jinja2_and_the_admin_s_through_django():
    renderer = get_default_renderer()
    assert isinstance(renderer.get_template("django/forms/widgets/select.html"), Jinja2Template)
    wrapper = renderer.get_template("admin/widgets/related_widget_wrapper.html")
    assert isinstance(wrapper, DjangoTemplate)


def test_an_error_list_renders_its_errors_and_no_template_when_empty(monkeypatch):
    renderer = get_default_renderer()
    loaded = []

    def get_template(name):
        loaded.append(name)
        return type(renderer).get_template(renderer, name)

    monkeypatch.setattr(renderer, "get_template", get_template)
    assert ErrorList().as_ul() == ""
    assert loaded == []  # the admin renders ~330 empty ones a change page
    assert str(ErrorList(["a < b"])) == '<ul class="errorlist"><li>a &lt; b</li></ul>'
    assert loaded == ["django/forms/errors/list/default.html"]


@pytest.mark.django_db
def test_change_page_renders_the_widgets_of_both_engines(admin_client, stored_samples):
    year = stored_samples[0]
    url = reverse("admin:programs_programyear_change", args=[year.pk])
    page = admin_client.get(url).content.decode()
    # Jinja2: inputs with their values, the selected option.
    assert f'<input type="hidden" name="base_version" value="{year.version}"' in page
    assert f'<option value="{year.program_id}" selected>' in page
    assert 'name="budget_lines-0-prior" value="554,000"' in page
    # The Django engine: the admin's own widget templates around them.
    assert '<div class="related-widget-wrapper" data-model-ref="program">' in page
    assert '<p class="date">\n  <input type="text" name="contracts-0-start"' in page
    assert "errorlist" not in page


@pytest.mark.parametrize(
    "widget",
    [
        forms.TextInput(attrs={"size": 12, "aria-label": '증감 "B-A" & <%>'}),
        forms.NumberInput(attrs={"required": True, "disabled": False}),
        forms.HiddenInput(),
        forms.CheckboxInput(),
        forms.DateInput(),
        forms.Textarea(attrs={"rows": 2, "cols": 40}),
        AdminDateWidget(),  # its template the Django engine's (the renderer's get_template)
    ],
    ids=lambda widget: type(widget).__name__,
)
@pytest.mark.parametrize(
    "value", [None, "", "사업 <b>'A' & \"B\"</b>", mark_safe("<b>A</b>"), 0, 2312971, True]
)
def test_inputs_and_text_areas_are_written_as_their_templates_write_them(widget, value):
    renderer = get_default_renderer()
    context = widget.get_context("budget_lines-0-prior", value, {"id": "id_x"})
    written = renderer.render(widget.template_name, context)
    assert widget.template_name in WRITERS
    assert written == Jinja2.render(renderer, widget.template_name, context)


@pytest.mark.parametrize("use_tag", [True, False])
@pytest.mark.parametrize("attrs", [None, {}, {"class": "required inline", "for": 'id_"a"'}])
@pytest.mark.parametrize("label", ["집행률(%)", "<b>'A' & \"B\"</b>", mark_safe("<i>안</i>:")])
def test_labels_are_written_as_their_template_writes_them(use_tag, attrs, label):
    renderer = get_default_renderer()
    context = {"label": label, "attrs": attrs, "use_tag": use_tag, "tag": "label"}
    written = renderer.render(LABEL, context)
    assert written == Jinja2.render(renderer, LABEL, context)


def every_bound_field(context) -> list:
    """The bound fields of every form a page's context holds (an admin page's main form, its
    sections' rows and empty rows; a list's filter form)."""
    forms_ = []
    if "adminform" in context:
        forms_.append(context["adminform"].form)
    for inline in context.get("inline_admin_formsets", []):
        forms_ += [*inline.formset.forms, inline.formset.empty_form]
    if "filter" in context:
        forms_.append(context["filter"].form)
    return [form[name] for form in forms_ for name in form.fields]


def assert_widgets_as_django_writes_them(page) -> int:
    """Our BoundField writes each widget as Django's own BoundField does; how many it wrote."""
    assert page.status_code == 200
    written = 0
    for bound in every_bound_field(page.context):
        assert isinstance(bound, BoundField)
        assert bound.as_widget() == forms.BoundField.as_widget(bound), bound.html_name
        written += bound.field.widget.template_name in WRITERS
    return written


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["read", "refused save", "viewer"])
def test_every_widget_of_the_change_page_is_django_s(admin_client, request, stored_samples, case):
    url = reverse("admin:programs_programyear_change", args=[stored_samples[0].pk])
    if case == "viewer":
        admin_client = request.getfixturevalue("viewer_client")
    page = admin_client.get(url)
    if case == "refused save":  # errors: aria-invalid, aria-describedby, values as typed
        data = form_data(page) | {"budget_lines-0-prior": "열", "fiscal_year": "", "overview": ""}
        page = admin_client.post(url, data)
    assert assert_widgets_as_django_writes_them(page) > 300


@pytest.mark.django_db
def test_every_widget_of_the_other_pages_is_django_s(admin_client, admin_user, stored_samples):
    urls = [
        reverse("admin:auth_user_change", args=[admin_user.pk]),
        reverse("admin:auth_user_add"),
        reverse("admin:programs_programyear_add"),
        reverse("admin:programs_department_add"),
        reverse("programs:list") + "?q=지원",
    ]
    assert sum(assert_widgets_as_django_writes_them(admin_client.get(url)) for url in urls)


class Fields(forms.Form):
    required = forms.CharField(help_text="도움말")
    disabled = forms.IntegerField(disabled=True, initial=3)
    localized = forms.DecimalField(localize=True, initial=1234.5, required=False)
    remembered = forms.CharField(show_hidden_initial=True, initial="처음", required=False)
    described = forms.CharField(
        widget=forms.TextInput(attrs={"aria-describedby": "own", "id": "own-id"}), required=False
    )
    box = forms.BooleanField(required=False, initial=True)
    unchecked = forms.BooleanField(required=False)
    text = forms.CharField(widget=forms.Textarea, initial="<b>'A'</b>")
    moment = forms.SplitDateTimeField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, initial='"숨김"')


@pytest.mark.parametrize("data", [None, {"text": "", "disabled": "9", "box": "on"}])
@pytest.mark.parametrize("prefix", [None, "rows-0"])
def test_the_shortcut_writes_what_django_writes_or_leaves_it_to_django(data, prefix):
    form = Fields(data, prefix=prefix)
    for bound in form:
        assert isinstance(bound, BoundField)
        assert bound.as_widget() == forms.BoundField.as_widget(bound), bound.name
        assert str(bound) == forms.BoundField.__str__(bound)
    assert 'aria-invalid="true"' in str(form["text"]) if data else True


@pytest.mark.parametrize("form", [DocumentUploadForm(), DocumentUploadForm(data={}, files={})])
def test_the_upload_s_file_input_is_django_s(form):
    bound = form["file"]
    assert 'name="file" multiple required aria-' in bound.as_widget()
    assert bound.as_widget() == forms.BoundField.as_widget(bound)
