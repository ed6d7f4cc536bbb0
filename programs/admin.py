"""Data entry: one change page per program year, with its sections as inlines in document order.

Who sees and changes what follows `programs.roles`: a department editor's admin lists and
opens only the program years of their departments. Every change of a year is written and
recorded in its history by `programs.store`, and a save over someone else's newer one is
refused (`programs.locking`). The import, history and restore screens are `admin_views`.
"""

from functools import partial

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from . import admin_rows, admin_views, arithmetic, formatting, locking, roles, store, summaries
from .checks import check_document
from .documents import export_document, related_name, row_limit, stored_document
from .filters import search_problem
from .forms import SectionForm
from .models import (
    Activity,
    BudgetLine,
    Contract,
    CostItem,
    Department,
    ExpectedEffect,
    HistoryEvent,
    LegalBasis,
    Officer,
    PerformanceRecord,
    Program,
    ProgramYear,
    ScheduleStep,
    Settlement,
    read_sections,
)
from .widgets import AmountField, AmountInput

# Every amount of the admin (the models' amount_field/settlement_field) as staff write it.
AMOUNTS = {models.BigIntegerField: {"form_class": AmountField, "widget": AmountInput}}

admin.site.site_header = _("사업설명서 관리")
admin.site.site_title = _("사업설명서 관리")
admin.site.index_title = _("자료 입력")


class BoundedSearchAdmin(admin.ModelAdmin):
    """A search of too many words or too long a text is refused with a message (each word is
    one more condition on every search field)."""

    def get_search_results(self, request, queryset, search_term):
        problem = search_problem(search_term)
        if problem:
            self.message_user(request, problem, messages.ERROR)
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)


class DepartmentScopedAdmin(BoundedSearchAdmin):
    """Lists and opens only what belongs to the user's departments, for department editors;
    anything else is not found (404), whether asked for by its URL or posted to."""

    department_lookup = ""  # from this model to its Department; "" for Department itself

    def _departments(self, request: HttpRequest):
        return roles.editable_departments(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        departments = self._departments(request)
        if departments is None:
            return queryset
        lookup = f"{self.department_lookup}__in" if self.department_lookup else "pk__in"
        return queryset.filter(**{lookup: departments})

    def get_object(self, request, object_id, from_field=None):
        found = super().get_object(request, object_id, from_field)
        if found is None:
            raise Http404(gettext("찾는 자료가 없거나 볼 수 없는 자료입니다."))
        return found


class SectionFormSet(forms.BaseInlineFormSet):
    def get_queryset(self):
        # The year's own rows of the section: read once with the others when the change page
        # reads the year with its sections (ProgramYearAdmin.get_formsets_with_inlines).
        # Kept, as Django's own is: each row's form asks for it (~70 a change page).
        if self.instance.pk is None:
            return super().get_queryset()
        if not hasattr(self, "_queryset"):
            self._queryset = getattr(self.instance, self.fk.remote_field.get_accessor_name()).all()
        return self._queryset

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:  # a row's checkbox, under the column "삭제?"
            form.fields["DELETE"].widget.attrs["aria-label"] = self.delete_label

    def get_form_kwargs(self, index):
        # Each of Django's forms translates its own label suffix: once a section instead.
        return super().get_form_kwargs(index) | {"label_suffix": self.label_suffix}

    @cached_property
    def delete_label(self) -> str:
        return gettext("삭제")

    @cached_property
    def label_suffix(self) -> str:
        return gettext(":")

    @cached_property
    def empty_form(self):
        # The admin asks for it up to five times an inline (media, rows, column headings)
        # and Django builds a new form each time: 45 a change page instead of 11.
        return super().empty_form


# A section's formset class for each language and set of permissions
# (BaseSectionInline.get_formset).
FORMSETS: dict[tuple, type[SectionFormSet]] = {}


class BaseSectionInline:
    """What the inlines of a year's sections share."""

    form = SectionForm
    formset = SectionFormSet
    extra = 0
    formfield_overrides = AMOUNTS

    def get_max_num(self, request, obj=None, **kwargs):
        return row_limit(self.model)  # as many rows as an import takes

    def get_formset(self, request, obj=None, **kwargs):
        # Django builds a section's form and formset classes anew on each request (a fifth
        # of a millisecond each, eleven a change page). Ours differ only by the language and
        # by what follows from the user's permissions: a section's fields are neither
        # relations nor choices, the only fields whose form field the request can change.
        if kwargs:
            return super().get_formset(request, obj, **kwargs)
        key = (
            type(self),
            get_language(),
            tuple(flatten_fieldsets(self.get_fieldsets(request, obj))),
            tuple(self.get_exclude(request, obj) or ()),
            tuple(self.get_readonly_fields(request, obj)),
            self.get_extra(request, obj),
            self.get_min_num(request, obj),
            self.get_max_num(request, obj),
            self.has_add_permission(request, obj),
            self.has_change_permission(request, obj),
            self.has_delete_permission(request, obj),
        )
        if key not in FORMSETS:
            formset = super().get_formset(request, obj)
            # Labels and help texts translated once, in the key's language, instead of at
            # each use in each row (a translation lookup each, ~600 a change page).
            for field in formset.form.base_fields.values():
                field.label = None if field.label is None else str(field.label)
                field.help_text = str(field.help_text)
            FORMSETS[key] = formset
        return FORMSETS[key]


class SectionInline(BaseSectionInline, admin.TabularInline):
    template = "admin/programs/section_tabular.html"  # its rows: programs.admin_rows

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Rows of many short columns (names, phones, amounts) fit the screen with inputs as
        # wide as their column (admin.css); long text wraps in a box of two lines.
        long_text = isinstance(db_field, models.CharField) and (db_field.max_length or 0) > 100
        if long_text:
            kwargs["widget"] = forms.Textarea
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is None:
            return field
        if isinstance(db_field, models.TextField) or long_text:
            field.widget.attrs.update(rows=2, cols=40)
        elif hasattr(field.widget, "input_type"):
            field.widget.attrs.setdefault("size", 12)
        # A row's inputs have no label of their own: the column heading names them.
        field.widget.attrs["aria-label"] = str(db_field.verbose_name)
        return field


class OfficerInline(SectionInline):
    model = Officer
    verbose_name_plural = _("1. 사업 담당자")
    fields = (
        "position",
        "bureau",
        "department",
        "director",
        "director_phone",
        "team_leader",
        "team_leader_phone",
        "officer",
        "officer_phone",
    )


class BudgetLineInline(SectionInline):
    model = BudgetLine
    verbose_name_plural = _("2. 예산 총괄")
    fields = (
        "position",
        "category",
        "prior",
        "current",
        "change_display",
        "change_pct_display",
        "prior_national",
        "current_national",
    )
    readonly_fields = ("change_display", "change_pct_display")

    @admin.display(description=_("증감(B-A)"))
    def change_display(self, line: BudgetLine) -> str:
        return formatting.amount(line.change)

    @admin.display(description=_("증감률(%)"))
    def change_pct_display(self, line: BudgetLine) -> str:
        return formatting.percent_change(line.prior, line.current)


class CostItemInline(SectionInline):
    model = CostItem
    verbose_name_plural = _("2. 산출근거")
    fields = ("position", "category", "depth", "name", "amount_won", "amount_thousands")
    readonly_fields = ("amount_thousands",)

    @admin.display(description=_("금액(천원, 올림)"))
    def amount_thousands(self, item: CostItem) -> str:
        if item.amount_won is None:
            return ""
        return formatting.amount(arithmetic.thousands(item.amount_won))


class LegalBasisInline(SectionInline):
    model = LegalBasis
    verbose_name_plural = _("3. 사업근거")
    fields = ("position", "name", "articles")


class ActivityInline(SectionInline):
    model = Activity
    verbose_name_plural = _("3. 사업내용")
    fields = ("position", "text")


class HistoryEventInline(SectionInline):
    model = HistoryEvent
    verbose_name_plural = _("3. 추진경위")
    fields = ("position", "date", "end_date", "text")


class ContractInline(SectionInline):
    model = Contract
    verbose_name_plural = _("3. 추진경위 중 위탁 협약")
    fields = ("position", "signed", "start", "end", "term_years")


class ScheduleStepInline(SectionInline):
    model = ScheduleStep
    verbose_name_plural = _("3. 추진일정")
    fields = ("position", "task", "start", "end", "period_text", "amount", "detail")


class PerformanceRecordInline(SectionInline):
    model = PerformanceRecord
    verbose_name_plural = _("4. 최근 3년 추진실적")
    fields = ("position", "year", "category", "text")


class ExpectedEffectInline(SectionInline):
    model = ExpectedEffect
    verbose_name_plural = _("4. 향후 기대효과")
    fields = ("position", "text")


class SettlementInline(BaseSectionInline, admin.StackedInline):
    model = Settlement
    verbose_name_plural = _("5. 최근 3년 결산 현황")
    fields = (
        ("year", "position"),
        (
            "final_budget",
            "carried_in",
            "budget_change",
            "available",
            "executed",
            "carried_out",
            "unspent",
        ),
        (
            "national_final_budget",
            "national_carried_in",
            "national_budget_change",
            "national_available",
            "national_executed",
            "national_carried_out",
            "national_unspent",
        ),
        "execution_rate_display",
    )
    readonly_fields = ("execution_rate_display",)

    @admin.display(description=_("집행률(%)"))
    def execution_rate_display(self, settlement: Settlement) -> str:
        return formatting.percent(settlement.execution_rate)


# A section of more rows than this comes closed, its rows rendered when it is opened
# (`?section=`): a year at every row limit has ~10,500 inputs, ~7 s of server time to render,
# and a section is edited one at a time. Real documents stay under it (at most 21 rows).
LAZY_ROWS = 30


def document_sections(adminform, inline_formsets, closed: list[dict] = ()) -> list[dict]:
    """The fieldsets and inlines of the change page in the document's order: by the number
    their names begin with (`3. 사업설명`, then `3. 사업근거`, …), fieldsets first; `closed`:
    the sections whose rows come when opened (their name, rows and URL)."""
    sections = [{"fieldset": fieldset, "name": fieldset.name} for fieldset in adminform]
    sections += [
        {"inline": inline, "name": inline.opts.verbose_name_plural} for inline in inline_formsets
    ]
    sections += closed
    for index, section in enumerate(sections):
        section["anchor"] = f"section-{index}"
    return sorted(sections, key=lambda section: str(section["name"]).split(".", 1)[0])


class ProgramYearForm(forms.ModelForm):
    """The year's form carries the version it was read at (see `programs.locking`)."""

    # Not `version` itself: the admin allows no non-editable model field in a form.
    base_version = forms.IntegerField(
        label=_("읽은 버전"), widget=forms.HiddenInput, required=False, min_value=0
    )
    # Kept in the history record of the change (simple-history's 100 characters); shown in
    # the save bar (change_form.html), not in a fieldset.
    change_reason = forms.CharField(
        label=_("변경 사유"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("예: 2차 추경 반영"), "size": 30}),
    )

    class Meta:
        model = ProgramYear
        fields = ("program", "fiscal_year")  # the admin gives those of its fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["base_version"].initial = self.instance.version
            self.fields["base_version"].required = True

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("base_version") is not None:
            conflict = locking.check_version(self.instance.pk, cleaned["base_version"])
            if conflict:
                # The form comes back with what was typed; saving it again, now that its
                # author has seen what changed in between, saves over the current version.
                data = self.data.copy()
                data[self.add_prefix("base_version")] = str(conflict.current_version)
                self.data = data
                raise forms.ValidationError(conflict.lines)
        return cleaned


@admin.register(ProgramYear)
class ProgramYearAdmin(DepartmentScopedAdmin):
    form = ProgramYearForm

    class Media:
        css = {"all": ("css/admin-change.css",)}
        js = ("js/arithmetic.js", "js/admin-change.js")

    formfield_overrides = AMOUNTS
    department_lookup = "program__department"
    list_display = ("program", "fiscal_year", "department", "account", "budget_display")
    list_filter = (
        "fiscal_year",
        "program__department__bureau",
        "program__department",
        "account",
    )
    # Counting every year a second time for "show all" costs more than the page itself.
    show_full_result_count = False
    search_fields = ("program__title", "program__department__name", "program__department__bureau")
    autocomplete_fields = ("program",)
    readonly_fields = ("funding_total_display", "budget_total_display")
    fieldsets = (
        (
            _("1. 기본 현황"),
            {
                "fields": (
                    "base_version",
                    "program",
                    "fiscal_year",
                    ("account", "period_type"),
                    "overview",
                    (
                        "funding_national",
                        "funding_city",
                        "funding_district",
                        "funding_other",
                    ),
                    "funding_total_display",
                    "budget_total_display",
                )
            },
        ),
        (
            _("3. 사업설명"),
            {
                "fields": (
                    "purpose",
                    ("period_start_year", "period_end_year"),
                    "delivery_method",
                )
            },
        ),
    )
    inlines = (
        OfficerInline,
        BudgetLineInline,
        CostItemInline,
        LegalBasisInline,
        ActivityInline,
        HistoryEventInline,
        ContractInline,
        ScheduleStepInline,
        PerformanceRecordInline,
        ExpectedEffectInline,
        SettlementInline,
    )

    @admin.display(description=_("부서"), ordering="program__department__name")
    def department(self, year: ProgramYear) -> Department:
        return year.program.department

    @admin.display(description=_("예산액(천원)"), ordering="budget_current")
    def budget_display(self, year: ProgramYear) -> str:
        return formatting.amount(year.budget_current)

    @admin.display(description=_("사업비 총액(천원)"))
    def funding_total_display(self, year: ProgramYear) -> str:
        return formatting.amount(year.funding_total)

    @admin.display(description=_("예산 총괄 계(천원)"))
    def budget_total_display(self, year: ProgramYear) -> str:
        if not year.pk:
            return ""
        return format_html(
            "{} {} → {} {}",
            _("전년도"),
            formatting.amount(year.budget_prior),
            _("당해연도"),
            formatting.amount(year.budget_current),
        )

    def get_queryset(self, request):
        # The list shows each year's program and department, the change page its program (in
        # its title and its program field). Here rather than in list_select_related, which
        # Django skips when the queryset already selects related rows.
        return super().get_queryset(request).select_related("program__department")

    def get_formsets_with_inlines(self, request, obj=None):
        if obj is not None:
            # One query a section for the inlines (SectionFormSet) and the findings alike.
            read_sections(obj)
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if self._shown(request, obj, formset.get_default_prefix()):
                yield formset, inline

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_formsets = super().get_inline_formsets(request, formsets, inline_instances, obj)
        return [admin_rows.SectionAdminFormSet.of(inline) for inline in inline_formsets]

    @staticmethod
    def _shown(request: HttpRequest, obj: ProgramYear | None, prefix: str) -> bool:
        """Whether the section's rows are on the page: the one asked for (`?section=`), those
        a save carries (a section never opened is left as it is), those not too long."""
        if "section" in request.GET:
            return request.GET["section"] == prefix
        if request.method == "POST":
            return obj is None or f"{prefix}-TOTAL_FORMS" in request.POST
        return obj is None or len(getattr(obj, prefix).all()) <= LAZY_ROWS

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and "section" in request.GET:
            return self.section_view(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def section_view(self, request: HttpRequest, object_id: str) -> TemplateResponse:
        """One section's rows, as the change page shows them, for a closed section opened."""
        obj = self.get_object(request, unquote(object_id))
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        formsets, inlines = self._create_formsets(request, obj, change=True)
        if not formsets:
            raise Http404(gettext("찾는 자료가 없거나 볼 수 없는 자료입니다."))
        (inline_admin_formset,) = self.get_inline_formsets(request, formsets, inlines, obj)
        context = {"inline_admin_formset": inline_admin_formset}
        return TemplateResponse(request, inlines[0].template, context)

    def _closed_sections(self, request: HttpRequest, obj: ProgramYear, shown) -> list[dict]:
        closed = []
        for inline in self.get_inline_instances(request, obj):
            prefix = related_name(inline.model)
            if prefix not in shown:
                rows = len(getattr(obj, prefix).all())
                url = f"?{urlencode({'section': prefix})}"
                closed.append({"closed": url, "rows": rows, "name": inline.verbose_name_plural})
        return closed

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            # The findings of the year as stored: the rows its inlines read; read again when
            # the page comes back with what was typed (a save refused), which they now hold.
            stored = export_document(obj) if request.method == "GET" else stored_document(obj.pk)
            context["findings"] = check_document(stored)
            if not self.has_change_permission(request, obj):  # not Django's "뷰 …"
                context["title"] = gettext("%s 보기") % self.opts.verbose_name
        context["severity_labels"] = arithmetic.SEVERITY_LABELS
        shown = {inline.formset.prefix for inline in context["inline_admin_formsets"]}
        closed = self._closed_sections(request, obj, shown) if obj is not None else []
        if closed:  # made live when opened, whether or not an inline on the page needs it
            context["media"] += forms.Media(js=["admin/js/jquery.init.js", "admin/js/inlines.js"])
        context["sections"] = document_sections(
            context["adminform"], context["inline_admin_formsets"], closed
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        # Read only: no form, so no version to carry.
        (name, options), *rest = fieldsets
        fields = tuple(field for field in options["fields"] if field != "base_version")
        return ((name, {**options, "fields": fields}), *rest)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        departments = self._departments(request)
        if db_field.name == "program" and departments is not None:
            kwargs["queryset"] = Program.objects.filter(department__in=departments)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # Saved with its sections by the store, as one change (save_related).
        pass

    def save_related(self, request, form, formsets, change):
        save_sections = partial(super().save_related, request, form, formsets, change)
        reason = form.cleaned_data.get("change_reason", "")
        store.save_edit(
            form.instance, save_sections, user=request.user, created=not change, reason=reason
        )
        for message in form.instance.check_errors:
            warning = gettext("저장했지만 맞지 않는 항목이 있습니다: %s") % message
            messages.warning(request, warning)

    def delete_model(self, request, obj):
        store.delete_years(ProgramYear.objects.filter(pk=obj.pk), request.user)

    def delete_queryset(self, request, queryset):
        store.delete_years(queryset, request.user)

    def history_view(self, request, object_id, extra_context=None):
        return admin_views.history_view(self, request, object_id, extra_context)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(partial(admin_views.import_view, self)),
                name="programs_programyear_import",
            ),
            path(
                "import/<int:job_id>/",
                self.admin_site.admin_view(partial(admin_views.job_view, self)),
                name="programs_programyear_import_job",
            ),
            path(
                "import/<int:job_id>/scans/<int:page_id>/",
                self.admin_site.admin_view(partial(admin_views.scan_view, self)),
                name="programs_programyear_import_scan",
            ),
            path(
                "import/<int:job_id>/scans/<int:page_id>/<int:line>/",
                self.admin_site.admin_view(partial(admin_views.scan_view, self)),
                name="programs_programyear_import_scan_line",
            ),
            path(
                "<path:object_id>/history/<int:history_id>/restore/",
                self.admin_site.admin_view(partial(admin_views.restore_view, self)),
                name="programs_programyear_restore",
            ),
            *super().get_urls(),
        ]


class ProgramYearLinkInline(admin.TabularInline):
    model = ProgramYear
    fields = ("year_link", "account", "period_type")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name_plural = _("연도별 사업설명서")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("회계연도"))
    def year_link(self, year: ProgramYear):
        url = reverse("admin:programs_programyear_change", args=[year.pk])
        return format_html('<a href="{}">{}년 사업설명서</a>', url, year.fiscal_year)


@admin.register(Program)
class ProgramAdmin(DepartmentScopedAdmin):
    department_lookup = "department"
    list_display = ("title", "department", "bureau", "year_links")
    list_filter = ("department__bureau", "department")
    list_select_related = ("department",)
    search_fields = ("title", "department__name", "department__bureau")
    inlines = (ProgramYearLinkInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("years")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "department" in form.changed_data:
            summaries.program_moved(obj, form.initial["department"])

    def delete_model(self, request, obj):
        # Its years go with it, each recorded as deleted.
        store.delete_years(obj.years.all(), request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        store.delete_years(ProgramYear.objects.filter(program__in=queryset), request.user)
        super().delete_queryset(request, queryset)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        departments = self._departments(request)
        if db_field.name == "department" and departments is not None:
            kwargs["queryset"] = departments
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("실·국"), ordering="department__bureau")
    def bureau(self, program: Program) -> str:
        return program.department.bureau

    @admin.display(description=_("연도"))
    def year_links(self, program: Program) -> str:
        return format_html_join(
            " ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:programs_programyear_change", args=[y.pk]), y.fiscal_year)
                for y in program.years.all()
            ),
        )


@admin.register(Department)
class DepartmentAdmin(DepartmentScopedAdmin):
    list_display = ("name", "bureau", "editor_names")
    list_filter = ("bureau",)
    search_fields = ("name", "bureau")
    fields = ("bureau", "name", "editors")
    filter_horizontal = ("editors",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("editors")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "editors":
            kwargs["queryset"] = get_user_model().objects.filter(groups__name=roles.EDITOR)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("부서 편집자"))
    def editor_names(self, department: Department) -> str:
        return ", ".join(user.get_username() for user in department.editors.all())


# ---------------------------------------------------------------- users

User = get_user_model()

ACTIONS = {"add": _("추가"), "change": _("변경"), "delete": _("삭제"), "view": _("보기")}


def permission_label(permission: Permission) -> str:
    """A permission in Korean (`사업설명서 | 연도별 사업설명서 변경`): Django stores its
    names in English, as the models were named when it made them."""
    model = permission.content_type.model_class()
    action = permission.codename.split("_", 1)[0]
    if model is None or action not in ACTIONS:
        return permission.name
    recorded = getattr(model, "instance_type", None)  # simple-history's "historical …"
    name = (
        gettext("%s 이력") % recorded._meta.verbose_name if recorded else model._meta.verbose_name
    )
    return f"{model._meta.app_config.verbose_name} | {name} {ACTIONS[action]}"


def korean_permissions(field: forms.Field | None) -> forms.Field | None:
    if field is not None:
        field.label_from_instance = permission_label
    return field


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(auth_admin.GroupAdmin):
    readonly_fields = ("permission_names",)

    def get_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return ("name", "permission_names")
        return ("name", "permissions")

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return korean_permissions(field) if db_field.name == "permissions" else field

    @admin.display(description=_("권한"))
    def permission_names(self, group: Group) -> str:
        permissions = group.permissions.select_related("content_type")
        return format_html_join("", "<div>{}</div>", ((permission_label(p),) for p in permissions))


class UserChangeForm(auth_forms.UserChangeForm):
    """The user's roles and, for a department editor, their departments, on one page."""

    departments = forms.ModelMultipleChoiceField(
        queryset=Department.objects.all(),
        required=False,
        label=_("편집 부서"),
        help_text=_("부서 편집자가 사업설명서를 고칠 수 있는 부서"),
        widget=admin.widgets.FilteredSelectMultiple(_("부서"), is_stacked=False),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["departments"].initial = self.instance.edited_departments.all()


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    """The budget office manages users, but makes no superuser and changes none."""

    form = UserChangeForm
    list_display = ("username", "last_name", "first_name", "is_staff", "is_active", "role_names")
    list_filter = ("is_staff", "is_active", "groups")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("개인 정보"), {"fields": ("last_name", "first_name", "email")}),
        (
            _("역할과 권한"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "groups",
                    "departments",
                    "is_superuser",
                    "user_permissions",
                )
            },
        ),
        (_("기록"), {"fields": ("last_login", "date_joined")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("역할"))
    def role_names(self, user) -> str:
        return ", ".join(group.name for group in user.groups.all())

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ("is_superuser", "user_permissions", "last_login", "date_joined")
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=roles.ROLES)
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return korean_permissions(field) if db_field.name == "user_permissions" else field

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "departments" in form.cleaned_data:
            form.instance.edited_departments.set(form.cleaned_data["departments"])


# ---------------------------------------------------------------- sign-in records (django-axes)


def _signed_in(kind: str):
    """django-axes names its records in English ("Access Log for kim @ …", in the admin's
    titles and breadcrumbs) and has no Korean: named here, as the rest of the admin."""

    def name(record) -> str:
        when = formatting.date(timezone.localtime(record.attempt_time).date())
        return f"{record.username} {kind} ({when})"

    return name


AccessAttempt.__str__ = _signed_in(_("로그인 시도"))
AccessLog.__str__ = _signed_in(_("로그인"))
AccessFailureLog.__str__ = _signed_in(_("로그인 실패"))

admin.site.unregister(AccessAttempt)
# The background jobs' queue rows: an import job's own page shows its progress and result.
admin.site.unregister(DBTaskResult)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    @admin.display(description=_("상태"))
    def status(self, obj: AccessAttempt) -> str:
        return super().status(obj)
