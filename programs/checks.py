"""Consistency checks: the identities of a program description, on its JSON form.

Each check compares what the document states with what an identity gives. A mismatch is an
`error`; a blank value that an identity determines is `info` (derived, not wrong); a pattern
worth a look (a gap between contracts) is a `warning`. Stored years are checked through
their exported form, so files and stored data are judged by one set of rules.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from . import arithmetic
from .arithmetic import (
    BUDGET_LABELS,
    ERROR,
    INFO,
    SETTLEMENT_LABELS,
    SEVERITY_LABELS,
    WARNING,
)
from .fields import iso_date
from .formatting import amount
from .formatting import date as format_date


@dataclass(frozen=True)
class Finding:
    section: str  # the section's key in the JSON form
    rule: str
    severity: str
    message: str
    stated: int | str | None = None
    expected: int | str | None = None

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    def as_dict(self) -> dict:
        return asdict(self)


_sum = arithmetic.total


def _compare(
    section: str,
    rule: str,
    label: str,
    stated: int | None,
    expected: int | None,
    how: str,
    *,
    signed: bool = True,
) -> list[Finding]:
    """One identity: stated = expected. `how` says in words where `expected` comes from.

    A blank is filled by the identity, unless the figure it gives cannot be (`signed=False`).
    """
    if expected is None:
        return []
    if stated is None and expected < 0 and not signed:
        message = (
            f"{label}: 비어 있음, {how} {amount(expected)}(으)로 계산되지만 음수일 수 없습니다"
        )
        return [Finding(section, rule, ERROR, message, None, expected)]
    if stated is None:
        message = f"{label}: 비어 있음, {how} {amount(expected)}(으)로 계산됨"
        return [Finding(section, rule, INFO, message, None, expected)]
    if stated != expected:
        message = f"{label} {amount(stated)} ≠ {how} {amount(expected)}"
        return [Finding(section, rule, ERROR, message, stated, expected)]
    return []


def _budget_summary(document: dict) -> list[Finding]:
    findings = []
    rows = document.get("budget_summary") or []
    for row in rows:
        label = f"예산 총괄: {row.get('category')}"
        prior, current = row.get("prior"), row.get("current")
        findings += _compare(
            "budget_summary",
            "change",
            f"{label} {BUDGET_LABELS['change']}",
            row.get("change"),
            arithmetic.change(prior, current),
            "예산액(B) − 예산액(A) =",
        )
        if "change_pct" in row and row.get("change_pct") is not None:
            findings += _compare(
                "budget_summary",
                "change_pct",
                f"{label} {BUDGET_LABELS['change_pct']}",
                row["change_pct"],
                arithmetic.percent_change(prior, current),
                "(B−A)×100/A =",
            )
    total = document.get("budget_total") or {}
    for key, label in BUDGET_LABELS.items():
        if key in total and key != "change_pct":
            findings += _compare(
                "budget_summary",
                "total",
                f"예산 총괄: 계 {label}",
                total.get(key),
                _sum(row.get(key) for row in rows) if rows else None,
                "항목 합계",
            )
    return findings


def _cost_basis(document: dict) -> list[Finding]:
    findings = []
    budget = {
        row.get("category"): row.get("current") for row in document.get("budget_summary") or []
    }
    for group in document.get("cost_basis") or []:
        category, items = group.get("category"), group.get("items") or []
        for item in items:
            findings += _children(category, item)
        total_won = _sum(item.get("amount_won") for item in items)
        if category not in budget:
            message = f"산출근거: {category}이(가) 예산 총괄에 없습니다"
            findings.append(Finding("cost_basis", "category", ERROR, message, category, None))
            continue
        current = budget[category]
        if (
            total_won is None
            or current is None
            or arithmetic.adds_up_won(total_won, len(items), current * 1000)
        ):
            continue
        stated = round(total_won / 1000)
        message = f"산출근거: {category} 항목 합계 {amount(stated)} ≠ 예산 {amount(current)}"
        findings.append(Finding("cost_basis", "category_sum", ERROR, message, stated, current))
    return findings


def _children(category: str, item: dict) -> list[Finding]:
    """An item's parts add up to it, at every level."""
    children = item.get("children") or []
    findings = [finding for child in children for finding in _children(category, child)]
    total, stated = (
        _sum(child.get("amount_won") for child in children),
        item.get("amount_won"),
    )
    if not children or total is None or stated is None:
        return findings
    if arithmetic.adds_up_won(total, len(children), stated):
        return findings
    message = (
        f"산출근거: {category} '{item.get('name')}' 세부 항목 합계 {amount(total)}원"
        f" ≠ {amount(stated)}원"
    )
    return [*findings, Finding("cost_basis", "item_sum", ERROR, message, total, stated)]


def _funding(document: dict) -> list[Finding]:
    funding = document.get("funding") or {}
    parts_total = arithmetic.total_of_stated(
        funding.get(key) for key in ("national", "city", "district", "other")
    )
    findings = _compare(
        "funding",
        "sources",
        "사업비 총액",
        funding.get("total"),
        parts_total,
        "국비+시비+구비+기타 =",
    )
    current = (document.get("budget_total") or {}).get("current")
    if current is None:
        current = _sum(row.get("current") for row in document.get("budget_summary") or []) or None
    total = funding.get("total", parts_total)
    if total is not None and current is not None and total != current:
        message = f"사업비 총액 {amount(total)} ≠ 예산 총괄 예산액(B) {amount(current)}"
        findings.append(Finding("funding", "budget", ERROR, message, total, current))
    return findings


def _schedule(document: dict) -> list[Finding]:
    steps = document.get("schedule") or []
    current = (document.get("budget_total") or {}).get("current")
    total = _sum(step.get("amount") for step in steps)
    if not steps or total is None or current is None or total == current:
        return []
    message = f"추진일정: 예산집행금액 합계 {amount(total)} ≠ 예산액(B) {amount(current)}"
    return [Finding("schedule", "amount_sum", ERROR, message, total, current)]


def _settlement_row(row: dict, label: str) -> list[Finding]:
    """Each settlement identity, checked when every value is stated, or solved for its one
    blank value."""
    values = dict(row)
    findings = []
    for identity in arithmetic.SETTLEMENT_IDENTITIES:
        keys = (identity.result, *identity.terms)
        unknown = [key for key in keys if values.get(key) is None]
        if len(unknown) > 1:
            continue
        key = unknown[0] if unknown else identity.result
        expected = identity.solve(values, key)
        findings += _compare(
            "settlements",
            identity.rule,
            f"{label} {SETTLEMENT_LABELS[key]}",
            values.get(key),
            expected,
            f"{identity.formula(key)} =",
            signed=key in arithmetic.SIGNED_SETTLEMENT_COLUMNS,
        )
        values[key] = expected
    return findings


def _settlements(document: dict) -> list[Finding]:
    findings = []
    for row in document.get("settlements") or []:
        label = f"결산 {row.get('year')}"
        findings += _settlement_row(row, label)
        if row.get("national"):
            findings += _settlement_row(row["national"], f"{label} {arithmetic.NATIONAL_LABEL}")
    return findings


def _contracts(document: dict) -> list[Finding]:
    findings = []
    previous = None
    for contract in document.get("contracts") or []:
        start, end = iso_date(contract.get("start")), iso_date(contract.get("end"))
        if start is None or end is None:
            continue
        term = contract.get("term_years")
        if term and arithmetic.term_end(start, term) != end:
            period = f"{format_date(start)}~{format_date(end)}"
            message = f"위탁 협약: {period} 기간이 {term}년과 맞지 않습니다"
            findings.append(
                Finding("contracts", "term", WARNING, message, contract.get("end"), None)
            )
        if previous is not None:
            gap = arithmetic.gap_days(previous, start)
            if gap:
                what = f"{gap}일 공백" if gap > 0 else f"{-gap}일 중복"
                message = (
                    f"위탁 협약: {format_date(start)} 시작 협약이 앞 협약 종료"
                    f"({format_date(previous)}) 다음 날에 이어지지 않습니다 ({what})"
                )
                expected = arithmetic.next_start(previous).isoformat()
                findings.append(
                    Finding(
                        "contracts",
                        "sequence",
                        WARNING,
                        message,
                        start.isoformat(),
                        expected,
                    )
                )
        previous = end
    return findings


# The parts of a document that `check_document` reads: two documents alike in these parts
# break the same identities (an import checks the printed form only where it differs).
CHECKED_PARTS = (
    "budget_summary",
    "budget_total",
    "cost_basis",
    "funding",
    "schedule",
    "settlements",
    "contracts",
)


def check_document(document: dict) -> list[Finding]:
    """Every identity of one document that it breaks, or leaves blank but determines."""
    return [
        *_budget_summary(document),
        *_cost_basis(document),
        *_funding(document),
        *_schedule(document),
        *_settlements(document),
        *_contracts(document),
    ]


def check_years(documents: Iterable[dict]) -> list[Finding]:
    """Identities across the years of one program: consecutive budgets and shared settlements."""
    by_year = {document.get("fiscal_year"): document for document in documents}
    findings = []
    for year, document in sorted(by_year.items()):
        following = by_year.get(year + 1) if isinstance(year, int) else None
        if following:
            current = {
                r.get("category"): r.get("current") for r in document.get("budget_summary") or []
            }
            for row in following.get("budget_summary") or []:
                category = row.get("category")
                stated, prior = current.get(category), row.get("prior")
                if None not in (stated, prior) and stated != prior:
                    message = (
                        f"예산 총괄: {category} {year}년 문서의 예산액(B) {amount(stated)}"
                        f" ≠ {year + 1}년 문서의 예산액(A) {amount(prior)}"
                    )
                    findings.append(
                        Finding(
                            "budget_summary",
                            "year_to_year",
                            WARNING,
                            message,
                            row["prior"],
                            current[category],
                        )
                    )
    findings += _shared_settlements(by_year)
    return findings


def _shared_settlements(by_year: dict) -> list[Finding]:
    findings = []
    seen: dict[int, tuple[int, dict]] = {}
    for fiscal_year, document in sorted(by_year.items()):
        for row in document.get("settlements") or []:
            year = row.get("year")
            if year in seen:
                earlier_year, earlier = seen[year]
                for key, label in SETTLEMENT_LABELS.items():
                    a, b = earlier.get(key), row.get(key)
                    if a is not None and b is not None and a != b:
                        message = (
                            f"결산 {year} {label}: {earlier_year}년 문서 {amount(a)}"
                            f" ≠ {fiscal_year}년 문서 {amount(b)}"
                        )
                        findings.append(
                            Finding("settlements", "year_to_year", WARNING, message, b, a)
                        )
            seen[year] = (fiscal_year, row)
    return findings
