"""Filters of the program list (year, bureau, department, account, category and text) and of
the contract register."""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet

from . import arithmetic, contracts
from .models import (
    Activity,
    CategoryTotal,
    Contract,
    Department,
    HistoryEvent,
    LegalBasis,
    ProgramYear,
    YearTotal,
)

# Every word of a search is one more condition over six columns and three section tables:
# SQLite refuses a few hundred ("Expression tree is too large") and grows slow long before;
# no real search needs more.
SEARCH_MAX_WORDS = 10
SEARCH_MAX_LENGTH = 200


# Section texts staff remember a document by: 사업내용, 추진경위, 사업근거.
SEARCHED_SECTIONS = ((Activity, "text"), (HistoryEvent, "text"), (LegalBasis, "name"))


def search(queryset: QuerySet, value: str, *, every_year: bool = False) -> QuerySet:
    """Program years with every word in their title, department, purpose, overview, delivery
    method (the contract wording: 민간위탁 …) or one of the `SEARCHED_SECTIONS`; the form
    refuses more than `SEARCH_MAX_WORDS` words (`bounded_search`).

    A page of the list probes each of its few years' sections (EXISTS); a search of
    `every_year` reads each section table once for its matches instead (IN): 25,000 probes of
    three tables cost twice the three scans (5,000 programs × 5 years)."""
    for word in value.split()[:SEARCH_MAX_WORDS]:
        sections = []
        for model, field in SEARCHED_SECTIONS:
            matches = model.objects.filter(**{f"{field}__icontains": word})
            if every_year:
                sections.append(Q(pk__in=matches.values("program_year")))
            else:
                sections.append(Exists(matches.filter(program_year=OuterRef("pk"))))
        queryset = queryset.filter(
            Q(program__title__icontains=word)
            | Q(program__department__name__icontains=word)
            | Q(program__department__bureau__icontains=word)
            | Q(purpose__icontains=word)
            | Q(overview__icontains=word)
            | Q(delivery_method__icontains=word)
            | Q(*sections, _connector=Q.OR)
        )
    return queryset


def _departments_of_bureau(filterset: django_filters.FilterSet) -> None:
    """The department choice narrowed to the chosen bureau's departments: a department of
    another bureau is then refused rather than giving an empty list unexplained."""
    bureau = (filterset.data or {}).get("bureau")
    if bureau:
        filterset.filters["department"].queryset = Department.objects.filter(bureau=bureau)


def _distinct(queryset: QuerySet, column: str) -> list[tuple[str, str]]:
    values = queryset.order_by(column).values_list(column, flat=True).distinct()
    return [(value, value) for value in values if value]


def search_problem(value: str) -> str:
    """Why a search is refused, in Korean ("" when it is not); the admin's searches too."""
    words = len(value.split())
    if words > SEARCH_MAX_WORDS:
        return f"검색어는 {SEARCH_MAX_WORDS}단어까지입니다 ({words:,}단어)."
    if len(value) > SEARCH_MAX_LENGTH:
        return f"검색어는 {SEARCH_MAX_LENGTH}자까지입니다 ({len(value):,}자)."
    return ""


def bounded_search(value: str) -> None:
    problem = search_problem(value)
    if problem:
        raise ValidationError(problem)


def list_choices() -> dict[str, list]:
    """What the list's filters offer (three queries): every department as (pk, bureau, name)
    in the database's order, from which the bureaus come too, the accounts and the categories.
    These two are read from the sums the write path keeps (`programs.summaries`: a row per
    department, year and account or category there is), a few thousand rows rather than every
    year and budget line. The list keeps them until the data changes (`programs.page_cache`)."""
    departments = Department.objects.values_list("pk", "bureau", "name")
    return {
        "departments": list(departments),
        "accounts": _distinct(YearTotal.objects.all(), "account"),
        "categories": _distinct(CategoryTotal.objects.all(), "category"),
    }


class ProgramYearFilter(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(
        field_name="fiscal_year", label="회계연도", empty_label="전체 연도"
    )
    bureau = django_filters.ChoiceFilter(
        field_name="program__department__bureau", label="실·국", empty_label="전체"
    )
    department = django_filters.ModelChoiceFilter(
        field_name="program__department",
        queryset=Department.objects.all(),
        label="부서",
        empty_label="전체",
    )
    account = django_filters.ChoiceFilter(label="회계", empty_label="전체")
    category = django_filters.ChoiceFilter(
        field_name="budget_lines__category", label="통계목", empty_label="전체"
    )
    q = django_filters.CharFilter(
        method="search",
        label="검색어",
        validators=[bounded_search],
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "사업명, 부서, 내용"}),
    )

    class Meta:
        model = ProgramYear
        fields = ()

    def __init__(self, *args, years: list[int], choices: dict[str, list] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = choices or list_choices()
        departments = choices["departments"]
        bureaus = dict.fromkeys(bureau for _pk, bureau, _name in departments if bureau)
        self.filters["year"].extra["choices"] = [(str(year), str(year)) for year in years]
        self.filters["bureau"].extra["choices"] = [(bureau, bureau) for bureau in bureaus]
        self.filters["account"].extra["choices"] = choices["accounts"]
        self.filters["category"].extra["choices"] = choices["categories"]
        _departments_of_bureau(self)
        # The department's options shown from `choices`; the queryset checks a chosen one.
        bureau = (self.data or {}).get("bureau")
        field = self.form.fields["department"]
        field.widget.choices = [("", field.empty_label)] + [
            (pk, str(Department(bureau=b, name=name)))
            for pk, b, name in departments
            if not bureau or b == bureau
        ]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search(queryset, value)


class ContractFilter(django_filters.FilterSet):
    """The contract register's filters; `today` fixes what "ending" and "ended" mean."""

    bureau = django_filters.ChoiceFilter(
        field_name="program_year__program__department__bureau", label="실·국", empty_label="전체"
    )
    department = django_filters.ModelChoiceFilter(
        field_name="program_year__program__department",
        queryset=Department.objects.all(),
        label="부서",
        empty_label="전체",
    )
    ending = django_filters.NumberFilter(
        method="ending_within", label="종료 예정(개월 안)", min_value=1, max_value=120
    )
    state = django_filters.ChoiceFilter(
        method="in_state",
        label="상태",
        empty_label="전체",
        choices=[("current", "진행 중"), ("ended", "종료"), ("planned", "시작 전")],
    )
    link = django_filters.ChoiceFilter(
        method="linked",
        label="앞 협약과",
        empty_label="전체",
        choices=[("gap", "공백 있음"), ("overlap", "겹침")],
    )

    class Meta:
        model = Contract
        fields = ()

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.filters["bureau"].extra["choices"] = _distinct(Department.objects.all(), "bureau")
        _departments_of_bureau(self)

    def ending_within(self, queryset: QuerySet, name: str, value) -> QuerySet:
        until = arithmetic.add_months(self.today, int(value))
        return queryset.filter(end__gte=self.today, end__lt=until)

    def in_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "ended":
            return queryset.filter(end__lt=self.today)
        if value == "planned":
            return queryset.filter(start__gt=self.today)
        return queryset.filter(start__lte=self.today, end__gte=self.today)

    def linked(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "gap":
            return contracts.with_gaps(queryset)
        return contracts.with_overlaps(queryset)
