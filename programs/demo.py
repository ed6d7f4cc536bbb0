"""Synthetic program years at city scale, for demonstrations and benchmarks.

Every program gets consecutive years whose figures obey the identities of
docs/document-format.md: this year's prior is last year's current, cost items add up to
their category, the schedule to the budget, settlements balance and agree between the
documents that print them. A known share of years is then broken on purpose, one identity
each, so the consistency checks have something to find. Rows are bulk-inserted without
per-row validation: the generator makes only valid values.
"""

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction

from . import arithmetic
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
from .planner import refresh_statistics
from .store import create_years

BUREAUS = {
    "기획조정실": ["기획담당관", "조직담당관", "법무담당관", "재정기획관"],
    "경제정책실": ["경제정책과", "소상공인정책담당관", "일자리정책과", "투자유치과", "공정경제과"],
    "복지실": ["복지정책과", "노인복지과", "장애인복지정책과", "자활지원과", "돌봄고독정책관"],
    "주택실": ["주택정책과", "주거안심지원과", "공공주택과", "전략주택공급과"],
    "도시교통실": ["교통정책과", "버스정책과", "보행정책과", "택시물류과", "교통운영과"],
    "기후환경본부": ["기후환경정책과", "대기정책과", "자원순환과", "녹색에너지과"],
    "문화본부": ["문화정책과", "문화시설과", "박물관과", "역사문화재과", "관광정책과"],
    "여성가족정책실": ["여성정책담당관", "가족담당관", "아동담당관", "보육담당관"],
    "푸른도시여가국": ["공원여가정책과", "도시농업과", "조경과", "산지방재과"],
    "안전총괄실": ["안전총괄과", "재난안전정책과", "도로관리과", "교량안전과"],
    "노동공정상생정책관": ["노동정책담당관", "공정경제담당관", "상생협력담당관"],
    "청년청": ["청년정책담당관", "청년사업담당관"],
    "디지털도시국": ["디지털도시정책과", "정보보안과", "공간정보담당관"],
}
ACCOUNTS = [
    ("일반회계", 70),
    ("주택사업특별회계", 8),
    ("교통사업특별회계", 8),
    ("지역균형발전특별회계", 6),
    ("도시개발특별회계", 4),
    ("기금", 4),
]
CATEGORIES = [
    "사무관리비",
    "공공운영비",
    "행사운영비",
    "국내여비",
    "연구용역비",
    "전산개발비",
    "민간경상사업보조",
    "민간행사사업보조",
    "민간위탁금",
    "사회복지사업보조",
    "자치단체경상보조금",
    "공기관등에대한경상적위탁사업비",
    "사회보장적수혜금(지방재원)",
    "출연금",
    "시설비",
    "시설부대비",
    "감리비",
    "자산취득비",
]
SUBJECTS = [
    "청년",
    "어르신",
    "장애인",
    "소상공인",
    "도시농업",
    "보행",
    "자전거",
    "공원",
    "문화예술",
    "관광",
    "마을공동체",
    "사회적경제",
    "에너지",
    "미세먼지",
    "자원순환",
    "주거",
    "돌봄",
    "보육",
    "안전",
    "디지털",
    "스마트시티",
    "일자리",
    "창업",
    "전통시장",
    "한강",
    "역사문화",
    "교통약자",
]
ACTIONS = [
    "지원",
    "운영",
    "활성화",
    "조성",
    "확충",
    "지원센터 운영",
    "네트워크 구축",
    "환경 개선",
    "기반 조성",
    "역량강화",
    "시범사업",
    "홍보",
]
FAMILY = "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허남심노하곽성차주우구민"
GIVEN = [
    "민준",
    "서연",
    "지훈",
    "하은",
    "도윤",
    "수빈",
    "예준",
    "지우",
    "시우",
    "서윤",
    "주원",
    "민서",
    "지호",
    "하린",
    "준서",
    "유진",
    "현우",
    "다은",
    "건우",
    "채원",
    "우진",
    "지민",
    "선우",
    "수아",
]
PERFORMANCE = [
    ("교육", "{n}회 운영({m}명 수료)"),
    ("홍보", "뉴스레터 {n}회, 콘텐츠 게시 {m}건"),
    ("지원", "{n}개 기관 지원, 참여 {m}명"),
    ("조성", "{n}개소 조성, 이용 {m}명"),
    ("행사", "행사 {n}회 개최(방문 {m}명)"),
]
LAWS = [
    "지방재정법",
    "사회적경제기본법",
    "서울특별시 사회적경제기본조례",
    "서울특별시 청년 기본 조례",
    "도시농업의 육성 및 지원에 관한 법률",
    "노인복지법",
    "서울특별시 행정사무의 민간위탁에 관한 조례",
    "문화예술진흥법",
    "서울특별시 보행권 확보와 보행환경 개선에 관한 기본조례",
]


@dataclass
class Sections:
    """The rows of one year's sections, not yet saved, in document order."""

    rows: dict[type, list] = field(default_factory=dict)

    def add(self, row) -> None:
        self.rows.setdefault(type(row), []).append(row)


@dataclass
class Plan:
    """What stays the same for a program over its years."""

    title: str
    department: Department
    account: str
    categories: list[str]
    national_share: float  # of each category, 0 for programs without 국비
    consigned: bool
    start_year: int
    officers: list[tuple[str, str, str]]


def _name(rng: random.Random) -> str:
    return rng.choice(FAMILY) + rng.choice(GIVEN)


def _phone(rng: random.Random) -> str:
    return f"2133-{rng.randrange(1000, 10000)}"


def _weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def departments() -> list[Department]:
    """The city's bureaus and departments, created once."""
    wanted = [Department(bureau=b, name=d) for b, names in BUREAUS.items() for d in names]
    Department.objects.bulk_create(wanted, ignore_conflicts=True)
    return list(Department.objects.filter(bureau__in=BUREAUS))


def plans(count: int, first_year: int, rng: random.Random) -> Iterator[Plan]:
    depts = departments()
    for index in range(count):
        title = f"{rng.choice(SUBJECTS)} {rng.choice(ACTIONS)} {index + 1:04d}"
        consigned = rng.random() < 0.3
        categories = rng.sample(CATEGORIES, rng.randint(1, 4))
        if consigned and "민간위탁금" not in categories:
            categories[0] = "민간위탁금"
        yield Plan(
            title=title,
            department=rng.choice(depts),
            account=_weighted(rng, ACCOUNTS),
            categories=categories,
            national_share=rng.choice([0.3, 0.5]) if rng.random() < 0.2 else 0.0,
            consigned=consigned,
            start_year=first_year - rng.randint(1, 12),
            officers=[(_name(rng), _name(rng), _name(rng)) for _ in range(rng.randint(1, 3))],
        )


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` in `parts` positive pieces (the last takes the remainder)."""
    if parts == 1 or total < parts:
        return [total]
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def _budgets(plan: Plan, years: list[int], rng: random.Random) -> dict[int, dict[str, int]]:
    """천원 per category per year, the year before the first included (its prior)."""
    amounts = {c: rng.randrange(20, 5000) * 1000 for c in plan.categories}
    by_year = {years[0] - 1: dict(amounts)}
    for year in years:
        for category in plan.categories:
            amounts[category] = max(1000, int(amounts[category] * rng.uniform(0.8, 1.25)))
        by_year[year] = dict(amounts)
    return by_year


def _contracts(plan: Plan, last_year: int, rng: random.Random) -> list[tuple]:
    """(signed, start, end, term) from the program's start, 2 or 3 years each, a few gaps."""
    contracts = []
    start = datetime.date(plan.start_year, rng.randint(1, 12), 1)
    while start.year <= last_year:
        term = rng.choice([2, 3, 3])
        end = arithmetic.term_end(start, term)
        signed = start - datetime.timedelta(days=rng.randint(0, 20))
        contracts.append((signed, start, end, term))
        gap = rng.randint(10, 60) if rng.random() < 0.1 else 0
        start = arithmetic.next_start(end) + datetime.timedelta(days=gap)
    return contracts


def _settlement(year_budget: int, national_share: float, rng: random.Random) -> dict:
    change = rng.choice([0, 0, 0, rng.randrange(-year_budget // 10, year_budget // 10 + 1)])
    carried_in = rng.choice([0, 0, 0, rng.randrange(0, year_budget // 20 + 1)])
    available = year_budget + carried_in + change
    executed = int(available * rng.uniform(0.75, 1.0))
    carried_out = rng.choice([0, 0, 0, (available - executed) // 2])
    row = {
        "final_budget": year_budget,
        "carried_in": carried_in,
        "budget_change": change,
        "available": available,
        "executed": executed,
        "carried_out": carried_out,
        "unspent": available - executed - carried_out,
    }
    national = {key: int(value * national_share) for key, value in row.items()}
    national["available"] = national["final_budget"] + national["carried_in"]
    national["available"] += national["budget_change"]
    national["unspent"] = national["available"] - national["executed"] - national["carried_out"]
    return row | {f"national_{key}": value for key, value in national.items()}


# One year in fifty breaks one identity: a schedule, a category's cost items or a settlement.
BREAKS = ("schedule", "cost", "settlement")
BROKEN_SHARE = 0.02
REASON = "데모 자료"  # the reason its history records give


def _year_rows(
    year: ProgramYear,
    plan: Plan,
    budgets: dict[int, dict[str, int]],
    settled: dict[int, dict],
    contracts: list[tuple],
    rng: random.Random,
    broken: str | None,
    out: Sections,
) -> None:
    fiscal = year.fiscal_year
    current, prior = budgets[fiscal], budgets[fiscal - 1]
    for director, leader, officer in plan.officers:
        out.add(
            Officer(
                bureau=plan.department.bureau,
                department=plan.department.name,
                director=director,
                director_phone="2133-1000",
                team_leader=leader,
                team_leader_phone=_phone(rng),
                officer=officer,
                officer_phone=_phone(rng),
            )
        )
    for index, category in enumerate(plan.categories):
        share = plan.national_share
        out.add(
            BudgetLine(
                category=category,
                prior=prior[category],
                current=current[category],
                prior_national=int(prior[category] * share),
                current_national=int(current[category] * share),
            )
        )
        amount = current[category] + (1000 if broken == "cost" and index == 0 else 0)
        for item_amount in _split(amount, rng.randint(1, 3), rng):
            out.add(
                CostItem(
                    category=category,
                    name=f"{category} {rng.choice(ACTIONS)}",
                    amount_won=item_amount * 1000,
                )
            )
            if rng.random() < 0.3 and item_amount >= 2:
                for child in _split(item_amount, 2, rng):
                    out.add(
                        CostItem(
                            category=category,
                            depth=1,
                            name=f"세부 {rng.choice(SUBJECTS)}",
                            amount_won=child * 1000,
                        )
                    )
    total = sum(current.values())
    steps = _split(total, rng.randint(1, 4), rng)
    if broken == "schedule":
        steps[-1] += 500
    for position, amount in enumerate([0, *steps]):
        month = min(12, 1 + position * 2)
        out.add(
            ScheduleStep(
                task="사업계획 수립" if position == 0 else f"{rng.choice(ACTIONS)} 추진",
                start=f"{fiscal}-{month:02d}",
                end=f"{fiscal}-{12 if position else 2:02d}",
                amount=amount,
                detail=f"'{fiscal % 100}년도 사업 추진",
            )
        )
    for law in rng.sample(LAWS, 2):
        articles = ", ".join(f"제{n}조" for n in sorted(rng.sample(range(1, 30), 2)))
        out.add(LegalBasis(name=law, articles=articles))
    for _ in range(3):
        text = f"{plan.title.rsplit(' ', 1)[0]} {rng.choice(ACTIONS)}"
        out.add(Activity(text=text))
        out.add(ExpectedEffect(text=f"{text}로 시민 편익 증진"))
    history = [(datetime.date(plan.start_year - 1, 10, 1), "사업계획 수립")]
    for signed, start, end, term in contracts:
        if signed.year < fiscal:
            span = f"{start.year}.{start.month}.{start.day}~{end.year}.{end.month}.{end.day}"
            history.append((signed, f"위수탁 협약체결({term}년, {span})"))
    for day, text in history:
        out.add(HistoryEvent(date=day.isoformat(), text=text))
    for signed, start, end, term in contracts:
        if signed.year < fiscal:
            out.add(
                Contract(
                    signed=signed.isoformat(),
                    start=start,
                    end=end,
                    term_years=term,
                )
            )
    for past in range(fiscal - 3, fiscal):
        for category, pattern in rng.sample(PERFORMANCE, 2):
            text = pattern.format(n=rng.randint(2, 60), m=rng.randint(50, 5000))
            out.add(PerformanceRecord(year=past, category=category, text=text))
    for position, past in enumerate(range(fiscal - 3, fiscal)):
        if past in settled:
            row = dict(settled[past])
            if broken == "settlement" and position == 2:
                row["unspent"] += 7
            out.add(Settlement(year=past, **row))


def generate(programs: int, years: int, seed: int, first_year: int = 2021) -> dict[str, int]:
    """Store `programs` × `years` program years; return counts, including deliberate breaks."""
    rng = random.Random(seed)
    fiscal_years = list(range(first_year, first_year + years))
    stats = {"programs": 0, "years": 0, "rows": 0, "broken": 0}
    batch: list[tuple[Plan, list]] = []
    for plan in plans(programs, first_year, rng):
        batch.append((plan, fiscal_years))
        if len(batch) == 200:
            _store(batch, rng, stats)
            batch = []
    if batch:
        _store(batch, rng, stats)
    refresh_statistics()
    return stats


def _settled(plan: Plan, budgets: dict[int, dict[str, int]], fiscal_years: list[int], rng):
    """Each settled year's row, shared by every document that prints it."""
    settled = {}
    for year in range(fiscal_years[0] - 3, fiscal_years[-1]):
        total = sum(budgets[year].values()) if year in budgets else rng.randrange(20, 5000) * 1000
        settled[year] = _settlement(total, plan.national_share, rng)
    return settled


def _store(batch: list[tuple[Plan, list[int]]], rng: random.Random, stats: dict) -> None:
    with transaction.atomic():
        programs = Program.objects.bulk_create(
            [Program(title=plan.title, department=plan.department) for plan, _ in batch]
        )
        years, details = [], []
        for program, (plan, fiscal_years) in zip(programs, batch, strict=True):
            budgets = _budgets(plan, fiscal_years, rng)
            settled = _settled(plan, budgets, fiscal_years, rng)
            contracts = _contracts(plan, fiscal_years[-1], rng) if plan.consigned else []
            for fiscal in fiscal_years:
                total = sum(budgets[fiscal].values())
                national = sum(int(a * plan.national_share) for a in budgets[fiscal].values())
                years.append(
                    ProgramYear(
                        program=program,
                        fiscal_year=fiscal,
                        account=plan.account,
                        period_type="연례반복",
                        overview=f"{plan.title} 추진",
                        funding_national=national,
                        funding_city=total - national,
                        funding_district=0,
                        funding_other=0,
                        purpose=f"{plan.title}을(를) 통한 시민 삶의 질 향상",
                        period_start_year=plan.start_year,
                        delivery_method="민간위탁" if plan.consigned else "직접수행",
                    )
                )
                details.append((plan, budgets, settled, contracts))
        made = []
        for year, (plan, budgets, settled, contracts) in zip(years, details, strict=True):
            broken = rng.choice(BREAKS) if rng.random() < BROKEN_SHARE else None
            stats["broken"] += broken is not None
            out = Sections()
            _year_rows(year, plan, budgets, settled, contracts, rng, broken, out)
            stats["rows"] += sum(map(len, out.rows.values()))
            made.append((year, out.rows))
        create_years(made, reason=REASON)
    stats["programs"] += len(batch)
    stats["years"] += len(years)
