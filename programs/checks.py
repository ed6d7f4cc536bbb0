"""Consistency checks: the identities of a program description, on its JSON form.

Each check compares what the document states with what an identity gives. A mismatch is an
`error`; a blank value that an identity determines is `info` (derived, not wrong); a pattern
worth a look (a gap between contracts) is a `warning`. Stored years are checked through
their exported form, so files and stored data are judged by one set of rules.
"""

import datetime
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from .fields import add_years, iso_date
from .formatting import amount
from .formatting import date as format_date
from .models import difference, percent_change

ERROR, WARNING, INFO = "error", "warning", "info"

SETTLEMENT_LABELS = {
    "final_budget": "최종예산",
    "carried_in": "전년이월",
    "budget_change": "예산변경",
    "available": "예산현액",
    "executed": "집행액",
    "carried_out": "차년이월",
    "unspent": "집행잔액",
}


SIGNED_SETTLEMENT_COLUMNS = {"budget_change", "unspent"}


@dataclass(frozen=True)
class Finding:
    section: str  # the section's key in the JSON form
    rule: str
    severity: str
    message: str
    stated: int | str | None = None
    expected: int | str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def _sum(values: Iterable[int | None]) -> int | None:
    values = list(values)
    if not values or any(value is None for value in values):
        return None
    return sum(values)


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
            f"{label} 증감",
            row.get("change"),
            difference(prior, current),
            "예산액(B) − 예산액(A) =",
        )
        if "change_pct" in row and row.get("change_pct") is not None:
            findings += _compare(
                "budget_summary",
                "change_pct",
                f"{label} 증감률(%)",
                row["change_pct"],
                percent_change(prior, current),
                "(B−A)×100/A =",
            )
    total = document.get("budget_total") or {}
    labels = {
        "prior": "예산액(A)",
        "current": "예산액(B)",
        "change": "증감",
        "prior_national": "예산액(A) 국비",
        "current_national": "예산액(B) 국비",
    }
    for key, label in labels.items():
        if key in total:
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
        # Budget books round each item up to the next 천원: allow 1 천원 per item.
        if (
            total_won is None
            or current is None
            or abs(total_won - current * 1000) <= 1000 * len(items)
        ):
            continue
        stated = round(total_won / 1000)
        message = f"산출근거: {category} 항목 합계 {amount(stated)} ≠ 예산 {amount(current)}"
        findings.append(Finding("cost_basis", "category_sum", ERROR, message, stated, current))
    return findings


def _children(category: str, item: dict) -> list[Finding]:
    children = item.get("children") or []
    total, stated = (
        _sum(child.get("amount_won") for child in children),
        item.get("amount_won"),
    )
    if not children or total is None or stated is None:
        return []
    if abs(total - stated) <= 1000 * len(children):
        return []
    message = (
        f"산출근거: {category} '{item.get('name')}' 세부 항목 합계 {amount(total)}원"
        f" ≠ {amount(stated)}원"
    )
    return [Finding("cost_basis", "item_sum", ERROR, message, total, stated)]


def _funding(document: dict) -> list[Finding]:
    funding = document.get("funding") or {}
    parts = [funding.get(key) for key in ("national", "city", "district", "other")]
    parts_total = sum(part or 0 for part in parts) if any(p is not None for p in parts) else None
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
    """available = final + carried_in + change; unspent = available − executed − carried_out.

    Each identity is checked when every value is stated, or solved for its one blank value.
    """
    values = dict(row)
    findings = []
    identities = (
        {"available": -1, "final_budget": 1, "carried_in": 1, "budget_change": 1},
        {"unspent": -1, "available": 1, "executed": -1, "carried_out": -1},
    )
    for signs in identities:
        unknown = [key for key in signs if values.get(key) is None]
        if len(unknown) > 1:
            continue
        key = unknown[0] if unknown else next(iter(signs))
        expected = -signs[key] * sum(signs[k] * values[k] for k in signs if k != key)
        findings += _compare(
            "settlements",
            f"settlement_{next(iter(signs))}",
            f"{label} {SETTLEMENT_LABELS[key]}",
            values.get(key),
            expected,
            _formula(signs, key),
            signed=key in SIGNED_SETTLEMENT_COLUMNS,
        )
        values[key] = expected
    return findings


def _formula(signs: dict[str, int], key: str) -> str:
    """The identity solved for `key`, in words: `예산현액−집행액−차년이월 =`."""
    terms = sorted(
        ((-signs[k] * signs[key], SETTLEMENT_LABELS[k]) for k in signs if k != key),
        key=lambda term: -term[0],
    )
    text = "".join(("+" if sign > 0 else "−") + name for sign, name in terms)
    return f"{text.removeprefix('+')} ="


def _settlements(document: dict) -> list[Finding]:
    findings = []
    for row in document.get("settlements") or []:
        label = f"결산 {row.get('year')}"
        findings += _settlement_row(row, label)
        if row.get("national"):
            findings += _settlement_row(row["national"], f"{label} 국비")
    return findings


def _contracts(document: dict) -> list[Finding]:
    findings = []
    previous = None
    for contract in document.get("contracts") or []:
        start, end = iso_date(contract.get("start")), iso_date(contract.get("end"))
        if start is None or end is None:
            continue
        term = contract.get("term_years")
        if term and add_years(start, term) - datetime.timedelta(days=1) != end:
            period = f"{format_date(start)}~{format_date(end)}"
            message = f"위탁 협약: {period} 기간이 {term}년과 맞지 않습니다"
            findings.append(
                Finding("contracts", "term", WARNING, message, contract.get("end"), None)
            )
        if previous is not None:
            gap = (start - previous).days - 1
            if gap:
                what = f"{gap}일 공백" if gap > 0 else f"{-gap}일 중복"
                message = (
                    f"위탁 협약: {format_date(start)} 시작 협약이 앞 협약 종료"
                    f"({format_date(previous)}) 다음 날에 이어지지 않습니다 ({what})"
                )
                expected = (previous + datetime.timedelta(days=1)).isoformat()
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
