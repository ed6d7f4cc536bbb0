"""Models that mirror the program description (사업설명서).

A program recurs every year: `Program` is its stable identity, `ProgramYear` is one year's
document, and every section with rows is a child model of the year kept in document order
(`position`). Amounts are integers of 천원 (cost items: 원), null where the document leaves
the cell blank. What an identity determines (change, %, totals, execution rate) is computed,
never stored twice.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import arithmetic
from .fields import MonthField, PartialDateField

MAX_AMOUNT = 10**15  # 천원: far above Seoul's whole budget, below any overflow
NON_NEGATIVE = [MinValueValidator(0), MaxValueValidator(MAX_AMOUNT)]
SIGNED = [MinValueValidator(-MAX_AMOUNT), MaxValueValidator(MAX_AMOUNT)]
YEAR = [MinValueValidator(1900), MaxValueValidator(2200)]
MAX_POSITION = 100_000  # rows of a section: no document has more than a few hundred
MAX_TEXT = 5000  # characters of a paragraph (개요, 목적, 실적): a document's is a few hundred


def text_field(verbose_name: str, **kwargs) -> models.TextField:
    """A paragraph: the length limit is on the form (max_length) and on import (validator)."""
    return models.TextField(
        verbose_name, max_length=MAX_TEXT, validators=[MaxLengthValidator(MAX_TEXT)], **kwargs
    )


def amount_field(verbose_name: str, *, signed: bool = False) -> models.BigIntegerField:
    return models.BigIntegerField(
        verbose_name,
        null=True,
        blank=True,
        validators=SIGNED if signed else NON_NEGATIVE,
    )


def settlement_field(column: str, *, national: bool = False) -> models.BigIntegerField:
    """A column of 최근 3년 결산 named as the document prints it; `national`: its 국비 part."""
    label = arithmetic.SETTLEMENT_LABELS[column]
    return amount_field(
        f"{label} {arithmetic.NATIONAL_LABEL}" if national else label,
        signed=column in arithmetic.SIGNED_SETTLEMENT_COLUMNS,
    )


def non_negative(model: str, *fields: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(**{f"{field}__gte": 0}) | Q(**{f"{field}__isnull": True}),
            name=f"{model}_{field}_non_negative",
        )
        for field in fields
    ]


class Department(models.Model):
    bureau = models.CharField(_("실·국"), max_length=100)
    name = models.CharField(_("부서"), max_length=100)
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="edited_departments",
        blank=True,
        verbose_name=_("부서 편집자"),
        help_text=_("이 부서의 사업설명서를 고칠 수 있는 사용자 (부서 편집자 역할이어야 함)"),
    )

    history = HistoricalRecords(excluded_fields=["editors"])

    class Meta:
        verbose_name = _("부서")
        verbose_name_plural = _("부서")
        ordering = ("bureau", "name")
        constraints = [
            models.UniqueConstraint(fields=("bureau", "name"), name="department_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.bureau} {self.name}"


class Program(models.Model):
    title = models.CharField(_("사업명"), max_length=200)
    department = models.ForeignKey(
        Department, models.PROTECT, related_name="programs", verbose_name=_("부서")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("사업")
        verbose_name_plural = _("사업")
        ordering = ("title", "pk")
        constraints = [
            models.UniqueConstraint(fields=("title", "department"), name="program_unique_title")
        ]

    def __str__(self) -> str:
        return self.title


class RecordedByStore(HistoricalRecords):
    """A history whose records `programs.store` writes itself, each with the change it records
    (the whole document, who, why): simple-history's own receivers record nothing."""

    def post_save(self, instance, created, using=None, **kwargs) -> None:
        pass

    def post_delete(self, instance, using=None, **kwargs) -> None:
        pass


FUNDING_PARTS = {"national": "국비", "city": "시비", "district": "구비", "other": "기타"}


def partly_entered(counts: dict[int, int], year: int) -> tuple[int, int] | None:
    """(documents, the year before's) when `year` has fewer than half the documents of the
    year before (`ProgramYearQuerySet.year_counts`): its documents are still coming in."""
    previous = counts.get(year - 1)
    if previous and counts.get(year, 0) * 2 < previous:
        return counts.get(year, 0), previous
    return None


def default_year(counts: dict[int, int]) -> int | None:
    """The latest year whose documents are mostly in (not `partly_entered`)."""
    return next((year for year in counts if not partly_entered(counts, year)), None)


class ProgramYearQuerySet(models.QuerySet):
    """Each page's query shape. Every page runs a fixed number of queries whatever the data
    size: totals are summed in SQL, and a document comes with its sections in one query per
    section."""

    TOP = 5  # rows in each "largest …" / "lowest …" list of the overview
    CONTRACTS_SHOWN = 20  # contracts ending soonest shown on the overview
    RECENT_YEARS = 5  # years of totals on the overview

    def with_sections(self) -> "ProgramYearQuerySet":
        """Everything a whole document needs: the program and each section, one query each."""
        return self.select_related("program__department").prefetch_related(*SECTION_RELATIONS)

    @staticmethod
    def contract_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
        """The 12 months in which an ending contract needs attention, as [start, end): from
        today, whichever year is viewed (the year's documents say which contracts there are;
        the attention is due now), as the contract register's `?ending=12`."""
        return today, arithmetic.add_years(today, 1)

    @staticmethod
    def _with_totals(rows: models.QuerySet) -> models.QuerySet:
        """Sums of summary rows (`YearTotal`, `CategoryTotal`) grouped as `rows` is."""
        return rows.annotate(programs=Sum("programs"), prior=Sum("prior"), current=Sum("current"))

    @staticmethod
    def _with_change(rows: Iterable[dict]) -> list[dict]:
        return [row | {"change": arithmetic.change(row["prior"], row["current"])} for row in rows]

    def fiscal_years(self) -> list[int]:
        """The fiscal years that have documents, newest first (one query)."""
        years = self.order_by("-fiscal_year").values_list("fiscal_year", flat=True)
        return list(years.distinct())

    def year_counts(self) -> dict[int, int]:
        """Documents per fiscal year, newest first (one query)."""
        rows = self.order_by("-fiscal_year").values("fiscal_year").annotate(documents=Count("pk"))
        return {row["fiscal_year"]: row["documents"] for row in rows}

    def for_list(self, category: str | None = None) -> "ProgramYearQuerySet":
        """Program years with their budget totals, change, last execution rate and contract end.

        One row per program year. The totals, the last settlement and the contract end are kept
        on the year (`store.set_derived`), so every column sorts in SQL without touching
        the section tables; the page shows each figure as `arithmetic` rounds it. With a
        `category` (통계목), the amounts are that category's, summed in a subquery.
        """
        if category:
            lines = (
                BudgetLine.objects.filter(program_year=OuterRef("pk"), category=category)
                .order_by()
                .values("program_year")
            )
            amounts = {
                "prior": Subquery(lines.annotate(total=Sum("prior")).values("total")),
                "current": Subquery(lines.annotate(total=Sum("current")).values("total")),
            }
        else:
            amounts = {"prior": F("budget_prior"), "current": F("budget_current")}
        return (
            self.select_related("program__department")
            .annotate(**amounts)
            .annotate(
                change=arithmetic.change_expression("prior", "current"),
                change_pct=arithmetic.percent_change_expression("prior", "current"),
                execution_rate=arithmetic.execution_rate_expression(
                    "settled_executed", "settled_available"
                ),
            )
            .order_by("program__department__bureau", "program__department__name", "program__title")
        )

    def for_overview(self, year: int, today: datetime.date) -> dict:
        """Everything the year overview shows: its sums (`overview_sums`) and the contracts
        ending within a year of `today` (`contracts_due`)."""
        return self.overview_sums(year) | self.contracts_due(year, today)

    def overview_sums(self, year: int) -> dict:
        """What the year overview shows that changes only when the data does. Queries: the
        last five years' totals (the year's with the funding parts among them), accounts,
        bureaus, departments, categories, increases, decreases, last settled year, its total
        execution, lowest rates, the programs new or discontinued against the year before,
        and the years with errors (12 in all). The sums are read from the kept summaries
        (`programs.summaries`): a few rows per department, not every program year or budget
        line of the year."""
        years = self.filter(fiscal_year=year)
        summary = YearTotal.objects.filter(fiscal_year=year)
        funding = {f"funding_{part}": Sum(f"funding_{part}") for part in FUNDING_PARTS}
        five = list(
            YearTotal.objects.filter(
                fiscal_year__lte=year, fiscal_year__gt=year - self.RECENT_YEARS
            )
            .values("fiscal_year")
            .annotate(
                programs=Sum("programs"), prior=Sum("prior"), current=Sum("current"), **funding
            )
            .order_by("fiscal_year")
        )
        # The year's totals are its row of the five (none: no documents that year); the five
        # years are shown without their prior totals.
        blank = dict.fromkeys(("prior", "current", *funding), None) | {"programs": 0}
        totals = next((row for row in five if row["fiscal_year"] == year), blank)
        recent = [{key: value for key, value in row.items() if key != "prior"} for row in five]
        accounts = self._with_totals(summary.values("account").order_by()).order_by(
            "-current", "account"
        )
        # The keys the rows had when they were summed from the program years.
        bureau = "program__department__bureau"
        department = {
            bureau: F("department__bureau"),
            "program__department__name": F("department__name"),
            "program__department_id": F("department_id"),
        }
        bureaus = self._with_totals(
            summary.values(**{bureau: department[bureau]}).order_by()
        ).order_by("-current", bureau)
        departments = self._with_totals(summary.values(**department).order_by()).order_by(
            bureau, "-current", "program__department__name"
        )
        categories = self._with_totals(
            CategoryTotal.objects.filter(fiscal_year=year).values("category").order_by()
        ).order_by("-current", "category")
        rows = years.for_list()
        top = self.TOP
        increases = list(rows.filter(change__gt=0).order_by("-change", "program__title")[:top])
        decreases = list(rows.filter(change__lt=0).order_by("change", "program__title")[:top])

        # A year's last settlement is kept on it, so the year's last settled year is theirs.
        settled_year = summary.aggregate(last=Max("settled_year"))["last"]
        settled = summary.filter(settled_year=settled_year).aggregate(
            executed=Sum("settled_executed"), available=Sum("settled_available")
        )
        # The years are found by their kept last settlement (a scan of the year's rows, not
        # of every settlement joined to its year), then their settlements read.
        rate = arithmetic.execution_rate_expression("settled_executed", "settled_available")
        lowest = (
            years.filter(settled_year=settled_year)
            .annotate(rate=rate)
            .filter(rate__isnull=False)
            .order_by("rate", "program__title")
            .values("pk")[:top]
        )
        lowest_rates = list(
            Settlement.objects.filter(year=settled_year, program_year__in=lowest)
            .select_related("program_year__program__department")
            .annotate(
                rate=arithmetic.execution_rate_expression(
                    "executed", arithmetic.available_expression()
                )
            )
            .filter(rate__isnull=False)
            .order_by("rate", "program_year__program__title")[:top]
        )

        # Kept by store.set_derived whenever a year changes: no document is checked here.
        findings = [
            (program_year, program_year.check_errors)
            for program_year in years.exclude(check_errors=[])
            .select_related("program")
            .order_by("program__title")
        ]
        # Programs in one of the two years only: new this year, or discontinued after last.
        single = (
            self.filter(fiscal_year__in=[year - 1, year])
            .values("program_id", "program__title")
            .annotate(documents=Count("pk"), last=Max("fiscal_year"))
            .filter(documents=1)
            .order_by("program__title")
        )
        single = list(single)
        return {
            "year": year,
            "new_programs": [row for row in single if row["last"] == year],
            "discontinued": [row for row in single if row["last"] == year - 1],
            "programs": totals["programs"],
            "prior": totals["prior"],
            "current": totals["current"],
            "change": arithmetic.change(totals["prior"], totals["current"]),
            "bureaus": self._with_change(bureaus),
            "departments": self._with_change(departments),
            "categories": self._with_change(categories),
            "increases": increases,
            "decreases": decreases,
            "settled_year": settled_year,
            "settled": settled
            | {"rate": arithmetic.execution_rate(settled["executed"], settled["available"])},
            "recent": recent,
            "accounts": self._with_change(accounts),
            "funding": [
                (label, totals[f"funding_{part}"]) for part, label in FUNDING_PARTS.items()
            ],
            "lowest_rates": lowest_rates,
            "findings": findings,
        }

    def contracts_due(self, year: int, today: datetime.date) -> dict:
        """The year's contracts ending within a year of `today`, the soonest first, and how
        many there are: one query, two when more end than are shown."""
        window = self.contract_window(today)
        # A year's last contract, the one that ends: its end is the year's kept contract_end
        # (found through an index of those), not a search for a later one of each contract.
        ending = (
            Contract.objects.filter(
                program_year__fiscal_year=year,
                program_year__contract_end__gte=window[0],
                program_year__contract_end__lt=window[1],
                end=F("program_year__contract_end"),
            )
            .select_related("program_year__program__department")
            .order_by("end", "program_year__program__title")
        )
        # A city year can end hundreds of contracts: show the soonest, count the rest.
        shown = self.CONTRACTS_SHOWN
        contracts_ending = list(ending[:shown])
        count = ending.count() if len(contracts_ending) == shown else len(contracts_ending)
        return {
            "contract_window": (window[0], window[1] - datetime.timedelta(days=1)),
            "contracts_ending": contracts_ending,
            "contracts_ending_count": count,
        }


class DocumentSnapshot(models.Model):
    """Kept with each history record of a year: the whole document as it was then, sections
    included, in its JSON form; differences and restores are made from it."""

    document = models.JSONField(_("사업설명서 (JSON)"), default=dict)

    class Meta:
        abstract = True


# ProgramYear's figures kept from its sections (`store.set_derived`), not typed.
DERIVED_FIELDS = (
    "check_errors",
    "budget_prior",
    "budget_current",
    "settled_year",
    "settled_executed",
    "settled_available",
    "contract_end",
)


class ProgramYear(models.Model):
    """One year's program description: section 1 (basic facts) and section 3's single values."""

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="years", verbose_name=_("사업")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("회계연도"), validators=YEAR)
    account = models.CharField(_("회계"), max_length=100, blank=True)
    period_type = models.CharField(_("사업기간 구분"), max_length=50, blank=True)
    overview = text_field(_("사업개요"), blank=True)
    funding_national = amount_field(_("국비"))
    funding_city = amount_field(_("시비"))
    funding_district = amount_field(_("구비"))
    funding_other = amount_field(_("기타"))
    purpose = text_field(_("사업목적"), blank=True)
    period_start_year = models.PositiveSmallIntegerField(
        _("사업기간 시작"), null=True, blank=True, validators=YEAR
    )
    period_end_year = models.PositiveSmallIntegerField(
        _("사업기간 종료"),
        null=True,
        blank=True,
        validators=YEAR,
        help_text=_("계속이면 비움"),
    )
    delivery_method = models.CharField(_("사업수행방법"), max_length=300, blank=True)
    # Kept from the sections so that pages listing thousands of years need neither check each
    # document nor sum its rows: `programs.store` sets them with every write of the year.
    check_errors = models.JSONField(_("검사 오류"), default=list, blank=True, editable=False)
    budget_prior = models.BigIntegerField(_("전년도 예산 합계"), null=True, editable=False)
    budget_current = models.BigIntegerField(_("예산 합계"), null=True, editable=False)
    settled_year = models.PositiveSmallIntegerField(_("최근 결산 연도"), null=True, editable=False)
    settled_executed = models.BigIntegerField(_("최근 결산 집행액"), null=True, editable=False)
    settled_available = models.BigIntegerField(_("최근 결산 예산현액"), null=True, editable=False)
    contract_end = models.DateField(_("마지막 협약 종료"), null=True, editable=False)
    # Raised by one with every recorded change; a form carries the version it was read at, so
    # that a save over someone else's newer one is refused (see `programs.locking`).
    version = models.PositiveIntegerField(_("버전"), default=1, editable=False)

    objects = ProgramYearQuerySet.as_manager()
    # Not `history`: that is the 추진경위 section (HistoryEvent.program_year related_name).
    revisions = RecordedByStore(
        bases=[DocumentSnapshot],
        # Kept figures follow the sections; the record's document holds what they follow.
        excluded_fields=list(DERIVED_FIELDS),
        history_change_reason_field=models.TextField(null=True),
    )

    class Meta:
        verbose_name = _("연도별 사업설명서")
        verbose_name_plural = _("연도별 사업설명서")
        ordering = ("program__title", "-fiscal_year")
        indexes = [
            models.Index(fields=["fiscal_year"], name="program_year_fiscal_year"),
            models.Index(fields=["account"], name="program_year_account"),
            # The overview's largest increases and decreases of a year, read in order.
            models.Index(
                F("fiscal_year"),
                arithmetic.change_expression("budget_prior", "budget_current"),
                name="program_year_change",
            ),
            # The overview's contracts ending within a window, by the year's last one.
            models.Index(fields=["fiscal_year", "contract_end"], name="program_year_contract_end"),
        ]
        constraints = [
            models.UniqueConstraint(fields=("program", "fiscal_year"), name="program_year_unique"),
            models.CheckConstraint(
                condition=Q(period_end_year__isnull=True)
                | Q(period_start_year__isnull=True)
                | Q(period_start_year__lte=models.F("period_end_year")),
                name="program_year_period_ordered",
            ),
            *non_negative(
                "program_year",
                "funding_national",
                "funding_city",
                "funding_district",
                "funding_other",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.title} ({self.fiscal_year})"

    def get_absolute_url(self) -> str:
        return reverse("admin:programs_programyear_change", args=[self.pk])

    def clean(self) -> None:
        if (
            self.period_start_year
            and self.period_end_year
            and self.period_start_year > self.period_end_year
        ):
            raise ValidationError(
                {"period_end_year": _("종료 연도가 시작 연도보다 앞설 수 없습니다.")}
            )

    @property
    def funding_total(self) -> int | None:
        return arithmetic.total_of_stated(
            (self.funding_national, self.funding_city, self.funding_district, self.funding_other)
        )


class Section(models.Model):
    """A row of a document section: belongs to one year, kept in document order."""

    position = models.PositiveIntegerField(
        _("순서"), default=0, validators=[MaxValueValidator(MAX_POSITION)]
    )

    class Meta:
        abstract = True
        ordering = ("position", "pk")


class Officer(Section):
    program_year = models.ForeignKey(ProgramYear, models.CASCADE, related_name="officers")
    bureau = models.CharField(_("실·국"), max_length=100, blank=True)
    department = models.CharField(_("부서명"), max_length=100, blank=True)
    director = models.CharField(_("과장"), max_length=50, blank=True)
    director_phone = models.CharField(_("과장 전화"), max_length=30, blank=True)
    team_leader = models.CharField(_("팀장"), max_length=50, blank=True)
    team_leader_phone = models.CharField(_("팀장 전화"), max_length=30, blank=True)
    officer = models.CharField(_("주무관"), max_length=50, blank=True)
    officer_phone = models.CharField(_("주무관 전화"), max_length=30, blank=True)

    class Meta(Section.Meta):
        verbose_name = _("사업 담당자")
        verbose_name_plural = _("사업 담당자")

    def __str__(self) -> str:
        return self.officer or self.team_leader or self.director


class BudgetLine(Section):
    """예산 총괄: one expense category, prior year (A) and current year (B)."""

    program_year = models.ForeignKey(ProgramYear, models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("통계목"), max_length=100)
    prior = amount_field(_("전년도 예산(A)"))
    current = amount_field(_("당해연도 예산(B)"))
    prior_national = amount_field(_("전년도 국비"))
    current_national = amount_field(_("당해연도 국비"))

    class Meta(Section.Meta):
        verbose_name = _("예산 총괄")
        verbose_name_plural = _("예산 총괄")
        indexes = [models.Index(fields=["category"], name="budget_line_category")]
        constraints = [
            models.UniqueConstraint(
                fields=("program_year", "category"), name="budget_line_unique_category"
            ),
            *non_negative("budget_line", "prior", "current", "prior_national", "current_national"),
        ]

    def __str__(self) -> str:
        return self.category

    @property
    def change(self) -> int | None:
        return arithmetic.change(self.prior, self.current)

    @property
    def change_pct(self) -> int | None:
        return arithmetic.percent_change(self.prior, self.current)


MAX_COST_DEPTH = 5  # 산출근거 levels below an item (□ ○ - · …): documents use two or three


class CostItem(Section):
    """산출근거: an item of a category (depth 0), or a part of the nearest item above it that
    is one level up (depth 1 for a `-` under a `○`, 2 for a `·` under that, …)."""

    program_year = models.ForeignKey(ProgramYear, models.CASCADE, related_name="cost_items")
    category = models.CharField(_("통계목"), max_length=100)
    depth = models.PositiveSmallIntegerField(
        _("단계"),
        default=0,
        validators=[MaxValueValidator(MAX_COST_DEPTH)],
        help_text=_("0: 항목, 1: 바로 위 항목의 세부 항목(-), 2: 그 아래(·) …"),
    )
    name = models.CharField(_("내역"), max_length=300)
    amount_won = models.BigIntegerField(
        _("금액(원)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_AMOUNT * 1000)],
    )

    MARKERS = "○-·"  # as the documents mark the levels; deeper ones as the last

    class Meta(Section.Meta):
        verbose_name = _("산출근거")
        verbose_name_plural = _("산출근거")
        constraints = non_negative("cost_item", "amount_won")

    def __str__(self) -> str:
        return self.name

    @property
    def marker(self) -> str:
        """The bullet the documents print before an item of this depth."""
        return self.MARKERS[min(self.depth, len(self.MARKERS) - 1)]


class LegalBasis(Section):
    program_year = models.ForeignKey(ProgramYear, models.CASCADE, related_name="legal_bases")
    name = models.CharField(_("법령·조례"), max_length=300)
    articles = models.CharField(
        _("조항"),
        max_length=300,
        blank=True,
        help_text=_("쉼표로 구분: 제11조, 제12조"),
    )

    class Meta(Section.Meta):
        verbose_name = _("사업근거")
        verbose_name_plural = _("사업근거")

    def __str__(self) -> str:
        return self.name

    @property
    def article_list(self) -> list[str]:
        return [article.strip() for article in self.articles.split(",") if article.strip()]


class Activity(Section):
    program_year = models.ForeignKey(ProgramYear, models.CASCADE, related_name="activities")
    text = models.CharField(_("사업내용"), max_length=500)

    class Meta(Section.Meta):
        verbose_name = _("사업내용")
        verbose_name_plural = _("사업내용")

    def __str__(self) -> str:
        return self.text


class HistoryEvent(Section):
    """추진경위: a dated event, to the day or the month, possibly spanning to an end date."""

    program_year = models.ForeignKey(ProgramYear, models.CASCADE, related_name="history")
    date = PartialDateField(_("일자"), help_text=_("YYYY-MM-DD 또는 YYYY-MM"))
    end_date = PartialDateField(_("종료일자"), blank=True, null=True)
    text = models.CharField(_("내용"), max_length=500)

    class Meta(Section.Meta):
        verbose_name = _("추진경위")
        verbose_name_plural = _("추진경위")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("date")),
                name="history_event_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.text}"

    def clean(self) -> None:
        if self.date and self.end_date and self.end_date < self.date:
            raise ValidationError({"end_date": _("종료일자가 일자보다 앞설 수 없습니다.")})


class Contract(Section):
    """A consignment contract (위·수탁 협약) signed in the history, with its term."""

    program_year = models.ForeignKey(ProgramYear, models.CASCADE, related_name="contracts")
    signed = PartialDateField(_("체결일"), blank=True, null=True)
    start = models.DateField(_("협약 시작"))
    end = models.DateField(_("협약 종료"))
    term_years = models.PositiveSmallIntegerField(
        _("기간(년)"), null=True, blank=True, validators=[MaxValueValidator(99)]
    )
    # Kept by `contracts.refresh` from the program's other contracts, for the register:
    # whether no later year of the program prints the same term, its round among the
    # program's starts, and the end of the contract before it.
    latest = models.BooleanField(_("최신 문서 수록"), default=True, editable=False)
    round = models.PositiveSmallIntegerField(_("차수"), null=True, blank=True, editable=False)
    previous_end = models.DateField(_("앞 협약 종료"), null=True, blank=True, editable=False)

    class Meta(Section.Meta):
        verbose_name = _("위탁 협약")
        verbose_name_plural = _("위탁 협약")
        indexes = [
            models.Index(fields=["program_year", "end"], name="contract_end"),
            # The register: its latest rows in its default order.
            models.Index(fields=["end", "id"], condition=Q(latest=True), name="contract_register"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lte=models.F("end")), name="contract_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start} ~ {self.end}"

    @property
    def fiscal_year(self) -> int:
        """The year of the document that prints it (the register's 수록 문서)."""
        return self.program_year.fiscal_year

    def clean(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise ValidationError({"end": _("협약 종료일이 시작일보다 앞설 수 없습니다.")})


class ScheduleStep(Section):
    """추진일정: a step of this year's schedule, from one month to another."""

    program_year = models.ForeignKey(ProgramYear, models.CASCADE, related_name="schedule")
    task = models.CharField(_("사업추진절차"), max_length=300)
    start = MonthField(_("시작 월"), help_text=_("YYYY-MM"), null=True, blank=True)
    end = MonthField(_("종료 월"), help_text=_("YYYY-MM"), null=True, blank=True)
    # When the document gives the time in words that fix no months (수시, 필요시).
    period_text = models.CharField(_("추진시기 (말로)"), max_length=100, blank=True)
    amount = amount_field(_("예산집행금액"))
    detail = models.CharField(_("추진세부내용"), max_length=500, blank=True)

    class Meta(Section.Meta):
        verbose_name = _("추진일정")
        verbose_name_plural = _("추진일정")
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True)
                | Q(end__isnull=True)
                | Q(start__lte=models.F("end")),
                name="schedule_step_months_ordered",
            ),
            *non_negative("schedule_step", "amount"),
        ]

    def __str__(self) -> str:
        return self.task

    def clean(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise ValidationError({"end": _("종료 월이 시작 월보다 앞설 수 없습니다.")})


class PerformanceRecord(Section):
    """최근 3년 추진실적: what was achieved in a year, under a category label or none."""

    program_year = models.ForeignKey(ProgramYear, models.CASCADE, related_name="performance")
    year = models.PositiveSmallIntegerField(_("연도"), validators=YEAR)
    # Null, not "": the document distinguishes a record with no category label.
    category = models.CharField(_("구분"), max_length=100, blank=True, null=True)  # noqa: DJ001
    text = text_field(_("실적"))

    class Meta(Section.Meta):
        verbose_name = _("추진실적")
        verbose_name_plural = _("추진실적")

    def __str__(self) -> str:
        return f"{self.year} {self.category or ''}".strip()


class ExpectedEffect(Section):
    program_year = models.ForeignKey(ProgramYear, models.CASCADE, related_name="expected_effects")
    text = models.CharField(_("기대효과"), max_length=500)

    class Meta(Section.Meta):
        verbose_name = _("기대효과")
        verbose_name_plural = _("기대효과")

    def __str__(self) -> str:
        return self.text


class Settlement(Section):
    """최근 3년 결산: the seven columns of one settled year, each with its national part."""

    program_year = models.ForeignKey(ProgramYear, models.CASCADE, related_name="settlements")
    year = models.PositiveSmallIntegerField(_("연도"), validators=YEAR)
    final_budget = settlement_field("final_budget")
    carried_in = settlement_field("carried_in")
    budget_change = settlement_field("budget_change")
    available = settlement_field("available")
    executed = settlement_field("executed")
    carried_out = settlement_field("carried_out")
    unspent = settlement_field("unspent")
    national_final_budget = settlement_field("final_budget", national=True)
    national_carried_in = settlement_field("carried_in", national=True)
    national_budget_change = settlement_field("budget_change", national=True)
    national_available = settlement_field("available", national=True)
    national_executed = settlement_field("executed", national=True)
    national_carried_out = settlement_field("carried_out", national=True)
    national_unspent = settlement_field("unspent", national=True)

    class Meta(Section.Meta):
        verbose_name = _("결산")
        verbose_name_plural = _("결산")
        ordering = ("year", "pk")
        constraints = [
            models.UniqueConstraint(fields=("program_year", "year"), name="settlement_unique_year"),
            *non_negative(
                "settlement",
                "final_budget",
                "carried_in",
                "available",
                "executed",
                "carried_out",
                "national_final_budget",
                "national_carried_in",
                "national_available",
                "national_executed",
                "national_carried_out",
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def available_or_derived(self) -> int | None:
        """예산현액 as stated, else as the identity gives it."""
        return arithmetic.available(
            self.available, self.final_budget, self.carried_in, self.budget_change
        )

    @property
    def available_is_derived(self) -> bool:
        """Whether 예산현액 is blank in the document and shown as the identity gives it."""
        return arithmetic.is_derived_available(
            self.available, self.final_budget, self.carried_in, self.budget_change
        )

    @property
    def execution_rate(self) -> Decimal | None:
        return arithmetic.execution_rate(self.executed, self.available_or_derived)


# The related names of the sections, in document order.
SECTION_RELATIONS = (
    "officers",
    "budget_lines",
    "cost_items",
    "legal_bases",
    "activities",
    "history",
    "contracts",
    "schedule",
    "performance",
    "expected_effects",
    "settlements",
)


def read_sections(year: ProgramYear) -> None:
    """The year's rows of each section, read as `prefetch_related_objects([year],
    *SECTION_RELATIONS)` reads them (a query a section, in their order, each row knowing its
    year), but with each section's query built once a process: building eleven queries costs
    more than running them (the admin's change page reads a year's sections at each request)."""
    cache = year.__dict__.setdefault("_prefetched_objects_cache", {})
    database = year._state.db
    for name in SECTION_RELATIONS:
        cache.pop(name, None)  # read again, not taken from what was read before
        manager = getattr(year, name)
        key = (database, manager.model)
        if key not in SECTION_SQL:
            sql, params = manager.get_queryset().query.sql_with_params()
            assert params == (year.pk,), params  # the year is the query's one parameter
            SECTION_SQL[key] = sql
        section = manager.model._default_manager.db_manager(database)
        rows = list(section.raw(SECTION_SQL[key], [year.pk]))
        for row in rows:
            setattr(row, manager.field.name, year)
        rows_read = manager.get_queryset()
        rows_read._result_cache, rows_read._prefetch_done = rows, True
        cache[name] = rows_read


# A section's query of a year's rows, for each database (read_sections).
SECTION_SQL: dict[tuple[str, type[models.Model]], str] = {}


class StagedImport(models.Model):
    """An uploaded file kept between its preview and its confirmation: the documents as read,
    and the version of each year they replace as it was previewed (`programs.imports`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("올린 사람")
    )
    created = models.DateTimeField(_("올린 때"), auto_now_add=True)
    expires = models.DateTimeField(_("기한"), db_index=True)
    name = models.CharField(_("파일 이름"), max_length=255)
    documents = models.JSONField(_("읽은 문서"))
    # Per document: {"pk", "version"} of the year it replaces, or null for a new year.
    versions = models.JSONField(_("미리 본 버전"))

    class Meta:
        verbose_name = _("미리 본 가져오기")
        verbose_name_plural = _("미리 본 가져오기")

    def __str__(self) -> str:
        return self.name


class YearTotal(models.Model):
    """The sums of one department's program years of a fiscal year, per account and last
    settled year: the overview reads these instead of every year (`programs.summaries`,
    refreshed by `programs.store` with every write of a year)."""

    fiscal_year = models.PositiveSmallIntegerField(_("회계연도"))
    department = models.ForeignKey(
        Department, models.CASCADE, related_name="year_totals", verbose_name=_("부서")
    )
    account = models.CharField(_("회계"), max_length=100, blank=True)
    settled_year = models.PositiveSmallIntegerField(_("최근 결산 연도"), null=True)
    programs = models.PositiveIntegerField(_("사업 수"))
    prior = models.BigIntegerField(_("전년도 예산 합계"), null=True)
    current = models.BigIntegerField(_("예산 합계"), null=True)
    funding_national = models.BigIntegerField(_("국비"), null=True)
    funding_city = models.BigIntegerField(_("시비"), null=True)
    funding_district = models.BigIntegerField(_("구비"), null=True)
    funding_other = models.BigIntegerField(_("기타"), null=True)
    settled_executed = models.BigIntegerField(_("최근 결산 집행액"), null=True)
    settled_available = models.BigIntegerField(_("최근 결산 예산현액"), null=True)

    class Meta:
        verbose_name = _("부서별 연도 합계")
        verbose_name_plural = _("부서별 연도 합계")
        ordering = ("fiscal_year", "department", "account", "settled_year")
        indexes = [models.Index(fields=["fiscal_year"], name="year_total_fiscal_year")]

    def __str__(self) -> str:
        return f"{self.department_id} ({self.fiscal_year}, {self.account})"


class CategoryTotal(models.Model):
    """The sums of one department's budget lines (예산 총괄) of a fiscal year per category
    (통계목), kept as `YearTotal` is."""

    fiscal_year = models.PositiveSmallIntegerField(_("회계연도"))
    department = models.ForeignKey(
        Department, models.CASCADE, related_name="category_totals", verbose_name=_("부서")
    )
    category = models.CharField(_("통계목"), max_length=100)
    programs = models.PositiveIntegerField(_("사업 수"))
    prior = models.BigIntegerField(_("전년도 예산 합계"), null=True)
    current = models.BigIntegerField(_("예산 합계"), null=True)

    class Meta:
        verbose_name = _("부서별 통계목 합계")
        verbose_name_plural = _("부서별 통계목 합계")
        ordering = ("fiscal_year", "department", "category")
        indexes = [models.Index(fields=["fiscal_year"], name="category_total_fiscal_year")]
        constraints = [
            models.UniqueConstraint(
                fields=("fiscal_year", "department", "category"), name="category_total_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} ({self.fiscal_year})"


class DataVersion(models.Model):
    """One row: a token drawn anew with every write of what the pages show
    (`programs.page_cache`). Pages rendered from the data are cached under it, in every
    process and on every server that reads this database; a token never comes back, not even
    after a backup is restored, so no cached page of other data is read under it."""

    token = models.CharField(_("토큰"), max_length=32)

    class Meta:
        verbose_name = _("자료 버전")
        verbose_name_plural = _("자료 버전")
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.token


class ImportJob(models.Model):
    """An import of uploaded files read in the background (`programs.jobs`): which files, how
    far reading has come, each document's result, and the staged import it gives."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("대기 중")
        READING = "reading", _("읽는 중")
        READ = "read", _("미리 보기")
        STORING = "storing", _("저장 중")
        STORED = "stored", _("저장함")
        REFUSED = "refused", _("저장하지 않음")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("올린 사람")
    )
    created = models.DateTimeField(_("올린 때"), auto_now_add=True)
    # The last sign of life of the task working on it: a job that stopped moving was cut off.
    updated = models.DateTimeField(_("마지막 진행"), auto_now=True)
    status = models.CharField(_("상태"), max_length=10, choices=Status, default=Status.QUEUED)
    # Which run of the job may write: a resumed job's earlier run, if still alive, stops.
    attempt = models.PositiveIntegerField(_("실행 차례"), default=1)
    # Of the file being read: how far (pages or documents, as its reader counts).
    step_done = models.PositiveIntegerField(default=0)
    step_total = models.PositiveIntegerField(default=0)
    staged = models.OneToOneField(
        StagedImport, models.SET_NULL, null=True, related_name="job", verbose_name=_("미리 보기")
    )
    message = models.TextField(_("결과"), blank=True)

    class Meta:
        ordering = ("-created", "-pk")
        verbose_name = _("가져오기 작업")
        verbose_name_plural = _("가져오기 작업")

    def __str__(self) -> str:
        return f"{self.pk}"


class ImportFile(models.Model):
    """One uploaded file of a job, kept in the database: any worker can read it."""

    job = models.ForeignKey(ImportJob, models.CASCADE, related_name="files")
    position = models.PositiveIntegerField()
    name = models.CharField(_("파일 이름"), max_length=255)
    data = models.BinaryField(_("내용"))
    done = models.BooleanField(_("다 읽음"), default=False)

    class Meta:
        ordering = ("position", "pk")
        verbose_name = _("가져올 파일")
        verbose_name_plural = _("가져올 파일")

    def __str__(self) -> str:
        return self.name


class ImportResult(models.Model):
    """What reading one document of a job gave: the document, or why it was refused."""

    job = models.ForeignKey(ImportJob, models.CASCADE, related_name="results")
    file = models.ForeignKey(ImportFile, models.CASCADE, related_name="results")
    position = models.PositiveIntegerField()  # in its file: where a resumed job goes on
    source = models.CharField(_("출처"), max_length=255)
    pages = models.CharField(_("쪽"), max_length=50, blank=True)
    document = models.JSONField(_("읽은 문서"), null=True)
    error = models.TextField(_("오류"), blank=True)
    title = models.CharField(_("사업명"), max_length=255, blank=True)
    fiscal_year = models.IntegerField(_("회계연도"), null=True)
    # {"pk", "version"} of the stored year the document replaces, as read; null for a new one.
    replaces = models.JSONField(_("바꿀 연도"), null=True)
    year = models.ForeignKey(
        ProgramYear, models.SET_NULL, null=True, related_name="+", verbose_name=_("저장된 연도")
    )

    class Meta:
        ordering = ("file__position", "position", "pk")
        verbose_name = _("가져오기 결과")
        verbose_name_plural = _("가져오기 결과")

    def __str__(self) -> str:
        return self.source


class ScanPage(models.Model):
    """A page of a job's document read by OCR, kept beside what was read from it: the page as
    Tesseract saw it (levelled, its ruling lines erased) and each printed line's box, so the
    preview shows the line a warning names. It goes with its result, or with the staged
    import it was previewed in (confirmed, refused or expired)."""

    result = models.ForeignKey(ImportResult, models.CASCADE, related_name="scan_pages")
    staged = models.ForeignKey(StagedImport, models.CASCADE, null=True, related_name="scan_pages")
    # Where its document is in the staged import's documents: the preview's page finds it.
    document = models.PositiveIntegerField(null=True)
    number = models.PositiveIntegerField(_("쪽"))  # 1-based, in its file
    # The line of the document's text (1-based, all pages) that is this page's first line:
    # the parser's and OCR's warnings count lines so.
    first_line = models.PositiveIntegerField()
    image = models.BinaryField(_("쪽 이미지"))  # PNG
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    skew = models.FloatField(_("기울기 보정 (도)"))
    seconds = models.FloatField(_("읽은 시간 (초)"))
    # Per printed line, top to bottom: [left, top, right, bottom, least word confidence].
    lines = models.JSONField(_("줄"))

    class Meta:
        ordering = ("result_id", "number", "pk")  # not "result": that joins its ordering
        verbose_name = _("스캔에서 읽은 쪽")
        verbose_name_plural = _("스캔에서 읽은 쪽")

    def __str__(self) -> str:
        return f"{self.result_id}: {self.number}쪽"
