"""Data entry: one change page per program year, with its sections as inlines in document order.

Who sees and changes what follows `programs.roles`: a department editor's admin lists and
opens only the program years of their departments. Every change of a year is recorded in its
history (`programs.history`), and a save over someone else's newer one is refused
(`programs.locking`).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import formatting, history, locking, roles
from .checks import check_document
from .documents import (
    SECTIONS,
    DocumentError,
    document_department,
    document_of,
    export_document,
    store_documents,
)
from .forms import ConfirmImportForm, DocumentUploadForm
from .imports import preview
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
)
from .sources import read_documents

IMPORT_SALT = "programs.import"

admin.site.site_header = _("사업설명서 관리")
admin.site.site_title = _("사업설명서 관리")
admin.site.index_title = _("자료 입력")

HISTORY_SHOWN = 100  # records on a year's history page, newest first


class DepartmentScopedAdmin(admin.ModelAdmin):
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
    @cached_property
    def empty_form(self):
        # The admin asks for it up to five times an inline (media, rows, column headings)
        # and Django builds a new form each time: 45 a change page instead of 11.
        return super().empty_form


class SectionInline(admin.TabularInline):
    formset = SectionFormSet
    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Rows of many short columns (names, phones, amounts) fit the screen with narrow inputs.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.TextField):
            field.widget.attrs.update(rows=2, cols=60)
        elif field is not None and hasattr(field.widget, "input_type"):
            long_text = isinstance(db_field, models.CharField) and db_field.max_length > 100
            field.widget.attrs.setdefault("size", 40 if long_text else 12)
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
        return formatting.amount(line.change_pct)


class CostItemInline(SectionInline):
    model = CostItem
    verbose_name_plural = _("2. 산출근거")
    fields = ("position", "category", "is_sub_item", "name", "amount_won", "amount_thousands")
    readonly_fields = ("amount_thousands",)

    @admin.display(description=_("금액(천원, 올림)"))
    def amount_thousands(self, item: CostItem) -> str:
        if item.amount_won is None:
            return ""
        return formatting.amount(-(-item.amount_won // 1000))


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
    fields = ("position", "task", "start", "end", "amount", "detail")


class PerformanceRecordInline(SectionInline):
    model = PerformanceRecord
    verbose_name_plural = _("4. 최근 3년 추진실적")
    fields = ("position", "year", "category", "text")


class ExpectedEffectInline(SectionInline):
    model = ExpectedEffect
    verbose_name_plural = _("4. 향후 기대효과")
    fields = ("position", "text")


class SettlementInline(admin.StackedInline):
    model = Settlement
    verbose_name_plural = _("5. 최근 3년 결산 현황")
    formset = SectionFormSet
    extra = 0
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


class ProgramYearForm(forms.ModelForm):
    """The year's form carries the version it was read at (see `programs.locking`)."""

    # Not `version` itself: the admin allows no non-editable model field in a form.
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

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
    department_lookup = "program__department"
    list_display = ("program", "fiscal_year", "department", "account", "budget_display")
    list_filter = (
        "fiscal_year",
        "program__department__bureau",
        "program__department",
        "account",
    )
    list_select_related = ("program__department",)
    # Counting every year a second time for "show all" costs more than the page itself.
    show_full_result_count = False
    search_fields = ("program__title", "program__department__name", "program__department__bureau")
    autocomplete_fields = ("program",)
    readonly_fields = ("funding_total_display", "budget_total_display", "findings_display")
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
        (_("일관성 검사"), {"fields": ("findings_display",)}),
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

    @admin.display(description=_("검사 결과"))
    def findings_display(self, year: ProgramYear) -> str:
        if not year.pk:
            return ""
        shown = getattr(year, "shown_sections", {})
        if all(model in shown for model in SECTIONS):
            document = document_of(year, {model: list(shown[model]) for model in SECTIONS})
        else:
            document = self._document(year)
        findings = check_document(document)
        if not findings:
            return _("문서의 항등식이 모두 맞습니다.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li class="finding-{}"><strong>{}</strong> {}</li>',
                ((f.severity, f.severity.upper(), f.message) for f in findings),
            ),
        )

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        if obj is not None and request.method == "GET":
            # Shown unchanged, these rows are what is stored: the findings are checked on
            # them rather than on every section read again (12 queries, ~10 ms a page).
            obj.shown_sections = {
                formset.model: formset.get_queryset()
                for inline, formset in zip(inline_instances, formsets, strict=True)
                if inline.has_view_or_change_permission(request, obj)
            }
        return super().get_inline_formsets(request, formsets, inline_instances, obj)

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
        # Recorded once its sections are saved too (save_related), as one change.
        obj.save_without_historical_record()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        history.record_change(form.instance, request.user, created=not change)
        for message in form.instance.check_errors:
            warning = gettext("저장했지만 맞지 않는 항목이 있습니다: %s") % message
            messages.warning(request, warning)

    def history_view(self, request, object_id, extra_context=None):
        """Every recorded change of the year, newest first, with what it changed."""
        year = self.get_object(request, unquote(object_id))
        if not self.has_view_or_change_permission(request, year):
            raise PermissionDenied
        records = list(
            ProgramYear.revisions.filter(id=year.pk)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[: HISTORY_SHOWN + 1]
        )
        can_restore = self.has_change_permission(request, year)
        entries = []
        for index, record in enumerate(records[:HISTORY_SHOWN]):
            older = records[index + 1] if index + 1 < len(records) else None
            entries.append(
                {
                    "record": record,
                    "changes": history.changes(older.document if older else None, record.document)
                    if older
                    else [],
                    "restore_url": reverse(
                        "admin:programs_programyear_restore", args=[year.pk, record.history_id]
                    )
                    if can_restore and index > 0 and record.history_type != "-"
                    else None,
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": year,
            "title": gettext("%s 변경 이력") % year,
            "entries": entries,
            "more": len(records) > HISTORY_SHOWN,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/programs/programyear/object_history.html", context)

    def restore_view(self, request: HttpRequest, object_id: str, history_id: int) -> HttpResponse:
        """Confirm, then make the year again what an earlier record shows, sections included."""
        year = self.get_object(request, unquote(object_id))
        if not self.has_change_permission(request, year):
            raise PermissionDenied
        record = get_object_or_404(ProgramYear.revisions, id=year.pk, history_id=history_id)
        if request.method == "POST":
            try:
                restored = history.restore(year, record, request.user)
            except DocumentError as error:
                messages.error(request, str(error))
                return redirect("admin:programs_programyear_history", year.pk)
            messages.success(
                request,
                gettext("버전 %(old)s의 내용으로 되돌렸습니다 (새 버전 %(new)s).")
                % {"old": record.version, "new": restored.version},
            )
            return redirect("admin:programs_programyear_change", year.pk)
        current = export_document(ProgramYear.objects.with_sections().get(pk=year.pk))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": year,
            "record": record,
            "title": gettext("버전 %s(으)로 되돌리기") % record.version,
            "changes": history.changes(current, record.document),
        }
        return TemplateResponse(request, "admin/programs/programyear/restore.html", context)

    @staticmethod
    def _document(year: ProgramYear) -> dict:
        return export_document(ProgramYear.objects.with_sections().get(pk=year.pk))

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="programs_programyear_import",
            ),
            path(
                "<path:object_id>/history/<int:history_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="programs_programyear_restore",
            ),
            *super().get_urls(),
        ]

    @staticmethod
    def _foreign(request: HttpRequest, documents: list) -> list[str]:
        """The departments of these documents that the user may not import into."""
        departments = dict.fromkeys(filter(None, map(document_department, documents)))
        return roles.foreign_departments(request.user, departments)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a document file, preview what it gives, then confirm to store it."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.model._meta}
        context["title"] = gettext("사업설명서 가져오기")
        if request.method == "POST" and "payload" in request.POST:
            return self._confirm_import(request)
        form = DocumentUploadForm(request.POST or None, request.FILES or None)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                documents = read_documents(upload.name, upload.read())
                foreign = self._foreign(request, documents)
                if foreign:
                    raise DocumentError(
                        gettext("담당 부서가 아닌 부서의 문서는 가져올 수 없습니다: %s")
                        % ", ".join(foreign)
                    )
                previews = preview(documents)
            except DocumentError as error:
                form.add_error("file", f"{upload.name}: {error}")
            else:
                payload = signing.dumps(documents, salt=IMPORT_SALT, compress=True)
                context["confirm"] = ConfirmImportForm(
                    initial={"payload": payload, "name": upload.name}
                )
                context["previews"] = previews
                context["name"] = upload.name
        context["form"] = form
        return TemplateResponse(request, "admin/programs/programyear/import.html", context)

    def _confirm_import(self, request: HttpRequest) -> HttpResponse:
        form = ConfirmImportForm(request.POST)
        try:
            if not form.is_valid():
                raise signing.BadSignature
            documents = signing.loads(form.cleaned_data["payload"], salt=IMPORT_SALT)
            foreign = self._foreign(request, documents)
            if foreign:
                raise DocumentError(
                    gettext("담당 부서가 아닌 부서의 문서는 가져올 수 없습니다: %s")
                    % ", ".join(foreign)
                )
            reason = gettext("가져오기: %s") % form.cleaned_data["name"]
            years = store_documents(documents, user=request.user, reason=reason)
        except signing.BadSignature:
            messages.error(
                request, gettext("가져오기 내용이 올바르지 않습니다. 파일을 다시 올려 주십시오.")
            )
            return redirect("admin:programs_programyear_import")
        except DocumentError as error:
            messages.error(request, f"{form.cleaned_data['name']}: {error}")
            return redirect("admin:programs_programyear_import")
        for year in years:
            messages.success(request, gettext("%s 저장했습니다.") % year)
        if len(years) == 1:
            return redirect("admin:programs_programyear_change", years[0].pk)
        return redirect("admin:programs_programyear_changelist")


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
        return super().formfield_for_manytomany(db_field, request, **kwargs)

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
