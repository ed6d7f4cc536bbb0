"""Filters of the program list: year, bureau, department, account, category and text."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from .models import BudgetLine, Department, ProgramYear


def _distinct(queryset: QuerySet, column: str) -> list[tuple[str, str]]:
    values = queryset.order_by(column).values_list(column, flat=True).distinct()
    return [(value, value) for value in values if value]


# Every word of a search is one more condition over five columns: SQLite refuses a few hundred
# ("Expression tree is too large") and grows slow long before; no real search needs more.
SEARCH_MAX_WORDS = 10
SEARCH_MAX_LENGTH = 200


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
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "사업명, 부서, 목적"}),
    )

    class Meta:
        model = ProgramYear
        fields = ()

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        # Choices come from the data, one query each, when the form is built.
        self.filters["year"].extra["choices"] = [(str(year), str(year)) for year in years]
        self.filters["bureau"].extra["choices"] = _distinct(Department.objects.all(), "bureau")
        self.filters["account"].extra["choices"] = _distinct(ProgramYear.objects.all(), "account")
        self.filters["category"].extra["choices"] = _distinct(BudgetLine.objects.all(), "category")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split():
            queryset = queryset.filter(
                Q(program__title__icontains=word)
                | Q(program__department__name__icontains=word)
                | Q(program__department__bureau__icontains=word)
                | Q(purpose__icontains=word)
                | Q(overview__icontains=word)
            )
        return queryset
