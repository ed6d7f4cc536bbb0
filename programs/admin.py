"""Data entry: one change page per program year, with its sections as inlines in document order."""

from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import formatting
from .checks import check_document
from .documents import DocumentError, export_document, refresh_derived, store_documents
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


class SectionInline(admin.TabularInline):
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


@admin.register(ProgramYear)
class ProgramYearAdmin(admin.ModelAdmin):
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
        findings = check_document(self._document(year))
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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_derived([form.instance.pk])
        form.instance.refresh_from_db(fields=["check_errors"])
        for message in form.instance.check_errors:
            warning = gettext("저장했지만 맞지 않는 항목이 있습니다: %s") % message
            messages.warning(request, warning)

    @staticmethod
    def _document(year: ProgramYear) -> dict:
        return export_document(ProgramYear.objects.with_sections().get(pk=year.pk))

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [
            path("import/", view, name="programs_programyear_import"),
            *super().get_urls(),
        ]

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
            years = store_documents(documents)
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
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("title", "department", "bureau", "year_links")
    list_filter = ("department__bureau", "department")
    list_select_related = ("department",)
    search_fields = ("title", "department__name", "department__bureau")
    inlines = (ProgramYearLinkInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("years")

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
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "bureau")
    list_filter = ("bureau",)
    search_fields = ("name", "bureau")
