"""Data entry: one change page per program year, with its sections as inlines in document order."""

from django.contrib import admin, messages
from django.db.models import Sum
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import formatting
from .checks import ERROR, check_document
from .documents import export_document
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

admin.site.site_header = _("사업설명서 관리")
admin.site.site_title = _("사업설명서 관리")
admin.site.index_title = _("자료 입력")


class SectionInline(admin.TabularInline):
    extra = 0


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
    list_display = ("program", "fiscal_year", "department", "account", "budget_current")
    list_filter = (
        "fiscal_year",
        "program__department__bureau",
        "program__department",
        "account",
    )
    list_select_related = ("program__department",)
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

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_budget_current=Sum("budget_lines__current"))

    @admin.display(description=_("부서"), ordering="program__department__name")
    def department(self, year: ProgramYear) -> Department:
        return year.program.department

    @admin.display(description=_("예산액(천원)"), ordering="_budget_current")
    def budget_current(self, year: ProgramYear) -> str:
        return formatting.amount(year._budget_current)

    @admin.display(description=_("사업비 총액(천원)"))
    def funding_total_display(self, year: ProgramYear) -> str:
        return formatting.amount(year.funding_total)

    @admin.display(description=_("예산 총괄 계(천원)"))
    def budget_total_display(self, year: ProgramYear) -> str:
        if not year.pk:
            return ""
        totals = year.budget_lines.aggregate(prior=Sum("prior"), current=Sum("current"))
        return format_html(
            "{} {} → {} {}",
            _("전년도"),
            formatting.amount(totals["prior"]),
            _("당해연도"),
            formatting.amount(totals["current"]),
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
        for finding in check_document(self._document(form.instance)):
            if finding.severity == ERROR:
                messages.warning(
                    request, gettext("저장했지만 맞지 않는 항목이 있습니다: %s") % finding.message
                )

    @staticmethod
    def _document(year: ProgramYear) -> dict:
        return export_document(ProgramYear.objects.with_sections().get(pk=year.pk))


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
