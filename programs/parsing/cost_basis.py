"""산출근거: the line items, nested by bullet, grouped into the categories of 예산 총괄."""

import re
from fractions import Fraction

from .. import arithmetic
from ..formatting import amount
from .characters import BULLET, CIRCLE, DASH, DOT, NEGATIVE, SQUARE, TIMES
from .sections import SECTION_NAMES
from .text import Line, Notes, compact, has_words, ignored, is_label, joined, says_none
from .values import YEAR, read_number, read_year


class _Item:
    """A line item of 산출근거: `□` level 0, `○` level 1, `-` level 2, `·` level 3."""

    def __init__(self, level: int, text: str, stated: str, line: int) -> None:
        self.level = level
        self.parts = [text]  # name, and its figure or formula, line by line
        self.stated = stated  # the cells after `=`: the figure as printed (`702,000천원`)
        self.first_line = line
        self.last_line = line
        self.children: list[_Item] = []
        self.name = ""
        self.amount_won: int | None = None

    @property
    def text(self) -> str:
        return joined(self.parts)

    @property
    def end_line(self) -> int:
        return max([self.last_line, *(child.end_line for child in self.children)])

    def json(self) -> dict:
        return {
            "name": self.name,
            "amount_won": self.amount_won,
            "children": [child.json() for child in self.children],
        }


_LEVELS = (rf"[{re.escape(SQUARE)}]", BULLET, rf"[{re.escape(DASH)}]", rf"[{re.escape(DOT)}]")
_ITEM_RE = re.compile(
    "(?:" + "|".join(f"(?P<l{level}>{mark})" for level, mark in enumerate(_LEVELS)) + ")"
    r"\s*(?P<body>\S.*)"
)
_SIGN = rf"[{re.escape(NEGATIVE + DASH)}]?"
# Figures are bounded ({1,6} groups, 15 digits) so long runs of digits cannot make these
# searches quadratic.
_FIGURE = r"(?:\d{1,3}(?:,\d{3}){1,6}|\d{1,15})"
_ITEM_AMOUNT_RE = re.compile(rf"(?P<name>.*?)\s*(?P<amount>{_SIGN}{_FIGURE})\s*원?")
_STATED_RE = re.compile(rf"(?P<amount>{_SIGN}{_FIGURE})\s*(?P<thousands>천\s*)?원?")
_THOUSANDS_TAIL_RE = re.compile(rf"(?P<amount>{_SIGN}[\d,]{{1,20}})\s*천\s*원$")
# A formula: a figure, a few letters of its unit, and a multiplication sign (`x` spaced).
_TIMES = rf"(?:[{TIMES}*]|(?<=[\s\d가-힣])[xX](?=[\s\d]))"
_FORMULA_RE = re.compile(rf"\d[^\d\t]{{0,8}}?\s*{_TIMES}\s*\S")
_FACTOR_SPLIT_RE = re.compile(rf"\s*{_TIMES}\s*")
_FACTOR_RE = re.compile(r"(?P<figure>\d[\d,]{0,20}(?:\.\d{1,6})?)\s*(?P<won>원)?")
_LAST_FIGURE_RE = re.compile(r"[\d,.]+[^\d]*$")
_COST_HEADER_RE = re.compile(r"과목|예산\s*내역")
_COST_YEAR_RE = re.compile(rf"({YEAR})\s*년\s*도?\s*예산\s*내역")


def cost_basis_year(lines: list[Line]) -> int | None:
    """The year of the header `과목구분 | 2024년 예산내역`."""
    for line in lines[:3]:
        match = _COST_YEAR_RE.search(line.text)
        if match:
            return read_year(match[1])
    return None


def parse_cost_basis(lines: list[Line], notes: Notes, summary: list[dict]) -> list[dict]:
    items, labels = _read_items(lines, notes)
    for item in items:
        _read_item(item, notes)
    tops = _nest(items, notes)
    for item in tops:
        _fill_from_children(item, notes)
    if not tops:
        if not says_none(lines):
            notes.add(SECTION_NAMES["cost_basis"], None, "항목이 없음")
        return []
    categories = [(row["category"], row["current"]) for row in summary]
    anchors = _label_anchors(labels, [name for name, _ in categories])
    if not categories:  # no 예산 총괄 to add up to: the printed labels are all there is
        categories = [(name, None) for _, name in anchors]
        notes.add(SECTION_NAMES["cost_basis"], None, "예산 총괄이 없어 과목 표시대로 묶음")
    if not categories:
        notes.add(SECTION_NAMES["cost_basis"], None, "과목 표시가 없어 한 묶음으로 둠")
        return [{"category": None, "items": [item.json() for item in tops]}]
    groups = group_items(tops, categories, {name: line for line, name in anchors}, notes)
    return [
        {"category": name, "items": [item.json() for item in group]}
        for (name, _), group in zip(categories, groups, strict=True)
        if group
    ]


def _read_items(lines: list[Line], notes: Notes) -> tuple[list[_Item], list[tuple[int, str]]]:
    """The items (text joined over wrapped lines) and the category label fragments."""
    items: list[_Item] = []
    labels: list[tuple[int, str]] = []
    for line in lines:
        cells = line.cells
        start = next((i for i, cell in enumerate(cells) if _ITEM_RE.fullmatch(cell)), None)
        if start is None and _COST_HEADER_RE.search(line.text):
            notes.use(line.no)  # the table head, repeated after a page break
            continue
        label_cells = cells if start is None else cells[:start]
        opened = start is None and _opens_category(cells)
        if opened:
            # A category's first row begins an item: its bullet, unread, is taken as `○`
            # (a scan may read the ring as other marks and lose the rule after the label).
            label, body = opened
            labels.append((line.no, label))
            items.append(_Item(1, joined([body, *cells[1:]]), "", line.no))
            notes.use(line.no)
            notes.add(
                SECTION_NAMES["cost_basis"],
                line.no,
                f"{body!r}: 항목 표시를 읽지 못해 ○ 항목으로 읽음",
            )
            continue
        if label_cells and is_label(label_cells[0]):
            labels.append((line.no, label_cells[0]))
            notes.use(line.no)
            label_cells = label_cells[1:]
        if start is not None:
            match = _ITEM_RE.fullmatch(cells[start])
            level = next(level for level in range(len(_LEVELS)) if match[f"l{level}"])
            rest = cells[start + 1 :]
            equals = rest.index("=") if "=" in rest else len(rest)
            text, stated = joined([match["body"], *rest[:equals]]), joined(rest[equals + 1 :])
            items.append(_Item(level, text, stated, line.no))
            notes.use(line.no)
        elif joined(label_cells) and items:  # a wrapped item: its name or its formula
            items[-1].parts.extend(label_cells)
            items[-1].last_line = line.no
            notes.use(line.no)
        elif joined(label_cells):
            notes.add(SECTION_NAMES["cost_basis"], line.no, ignored(line.text))
    return items, labels


_LEADING_MARKS_RE = re.compile(r"^[^\w(]+")


def _opens_category(cells: list[str]) -> tuple[str, str] | None:
    """(label, item) of a row whose first cell is a category label run into an item without
    its bullet (`자치단체경상보 , <: 자치구 … | 760,000,000`): the row states an amount, as
    an item's first line does, and a wrapped line does not."""
    if len(cells) < 2 or read_number(cells[-1]) is None:
        return None
    label, _, rest = cells[0].partition(" ")
    body = _LEADING_MARKS_RE.sub("", rest)
    if not (is_label(label) and body and body != rest and has_words(body)):
        return None
    return label, body


def _read_item(item: _Item, notes: Notes) -> None:
    """Name and amount of `○ name 654,000,000원 = 654,000천원` or `○ name : 단가 × 인원`.

    The amount is the 원 figure the document states; else the product of the formula; else
    the 천원 figure in 원. A 천원 figure that the 원 amount does not round to is named.
    """
    head, *equals = item.text.split("=")
    won, thousands = None, None
    for part in [*equals, item.stated]:
        stated = _STATED_RE.fullmatch(part.strip())
        if stated and stated["thousands"]:
            thousands = read_number(stated["amount"])
        elif stated:
            won = read_number(stated["amount"])
    if not equals and not item.stated:
        tail = _THOUSANDS_TAIL_RE.search(head)
        if tail:
            thousands = read_number(tail["amount"])
            head = head[: tail.start()]
    item.name, product = _name_and_product(head)
    figure = None if product is not None else _ITEM_AMOUNT_RE.fullmatch(head.strip())
    if figure and figure["name"].strip(" :"):
        item.name = figure["name"].strip(" :")
        won = read_number(figure["amount"]) if won is None else won
    if won is not None and product is not None and won != product:
        message = (
            f"{item.name!r}: 산식의 곱 {amount(product)}원과 {amount(won)}원이 달라 적힌 금액을 씀"
        )
        notes.add(SECTION_NAMES["cost_basis"], item.first_line, message)
    item.amount_won = won if won is not None else product
    if item.amount_won is None:
        if thousands is not None:
            item.amount_won = thousands * 1000
        return
    if thousands is not None and not arithmetic.adds_up_won(item.amount_won, 1, thousands * 1000):
        notes.add(
            SECTION_NAMES["cost_basis"],
            item.first_line,
            f"{item.name!r}: {amount(item.amount_won)}원과 {amount(thousands)}천원이 달라"
            " 원 금액을 씀",
        )


def _name_and_product(text: str) -> tuple[str, int | None]:
    """`강사 수당 : 50,000원 × 2시간 × 240회` → the name and the formula's product in 원.

    Each factor's figure is the one in 원, else its last (`1시간당 150,000원`, `1,600주`).
    """
    formula = _FORMULA_RE.search(text)
    if formula is None:
        return text.strip(" :"), None
    head = text[: formula.start()]
    if ":" in head:
        name, _, rest = text.partition(":")
    else:  # `단가 27,350원 × …` without a colon: the formula starts at its first figure
        start = _LAST_FIGURE_RE.search(head + text[formula.start()])
        cut = start.start() if start else formula.start()
        name, rest = text[:cut], text[cut:]
    product = Fraction(1)
    for factor in _FACTOR_SPLIT_RE.split(rest.strip()):
        figures = list(_FACTOR_RE.finditer(factor))
        if not figures:
            return name.strip(" :"), None
        chosen = next((f for f in figures if f["won"]), figures[-1])
        product *= Fraction(chosen["figure"].replace(",", ""))
    return name.strip(" :"), arithmetic.whole_won(product)


def _nest(items: list[_Item], notes: Notes) -> list[_Item]:
    """Hang each item under the nearest item above it of a higher level (`□` > `○` > `-` > `·`).

    An item whose children already add up to its amount is complete: the next item of its
    children's level is not one of them (`□ group 2,568,000,000원` ends with its last part).
    """
    tops: list[_Item] = []
    stack: list[_Item] = []
    for item in items:
        while stack and (stack[-1].level >= item.level or _complete(stack[-1])):
            stack.pop()
        if stack:
            stack[-1].children.append(item)
        else:
            if item.level > 1:
                notes.add(
                    SECTION_NAMES["cost_basis"],
                    item.first_line,
                    f"세부 항목 {item.name!r} 위에 {CIRCLE} 항목이 없어 {CIRCLE} 항목으로 둠",
                )
            tops.append(item)
        stack.append(item)
    return tops


def _complete(item: _Item) -> bool:
    if item.amount_won is None or not item.children:
        return False
    total = arithmetic.total(child.amount_won for child in item.children)
    return arithmetic.adds_up_won(total, len(item.children), item.amount_won)


def _fill_from_children(item: _Item, notes: Notes) -> None:
    """A blank amount of an item whose sub-items all have one is their sum."""
    for child in item.children:
        _fill_from_children(child, notes)
    if item.amount_won is not None:
        return
    where = SECTION_NAMES["cost_basis"]
    total = arithmetic.total(child.amount_won for child in item.children)
    if total is None:
        notes.add(where, item.first_line, f"{item.name!r} 금액을 읽지 못해 비워 둠")
    else:
        item.amount_won = total
        message = f"{item.name!r} 금액이 비어 있어 세부 항목의 합 {amount(total)}원으로 채움"
        notes.add(where, item.first_line, message)


# The split below tries every run of items for every category: categories × items² steps.
# Real documents need a few thousand; past this bound the labels decide (linear).
MAX_GROUPING_STEPS = 200_000


def grouping_steps(items: int, categories: int) -> int:
    return categories * (items + 1) * (items + 2) // 2


def group_items(
    items: list[_Item], categories: list[tuple[str | None, int | None]], anchors: dict, notes
) -> list[list[_Item]]:
    """Split the items, in order, into one run per category of 예산 총괄.

    The printed category labels drift (onto a middle row, over two lines), so the sums decide:
    the split makes as many runs as possible add up to their category's amount. Among equal
    splits, the one with each category's label inside its run, nearest its middle, wins.
    """
    if grouping_steps(len(items), len(categories)) > MAX_GROUPING_STEPS:
        message = (
            f"항목 {len(items)}개, 과목 {len(categories)}개: 합으로 나누기에 너무 많아"
            " 과목 표시대로 묶음"
        )
        notes.add(SECTION_NAMES["cost_basis"], None, message)
        return _by_labels(items, categories, anchors)
    n = len(items)
    totals, unreadable = _prefix_totals(items)
    firsts = [item.first_line for item in items]
    ends = [item.end_line for item in items]
    # best[j][k]: (score, start of the last run) for items[:k] split among categories[:j]
    best: list[list[tuple[float, int] | None]] = [[None] * (n + 1) for _ in categories]
    best.insert(0, [(0.0, 0)] + [None] * n)
    for j, (name, current) in enumerate(categories):
        current_won = None if current is None else current * 1000
        anchor = anchors.get(name)
        row, following = best[j], best[j + 1]
        for i in range(n + 1):
            if row[i] is None:
                continue
            for k in range(i, n + 1):
                total = totals[k] - totals[i] if unreadable[k] == unreadable[i] else None
                adds_up = arithmetic.adds_up_won(total, k - i, current_won)
                score = row[i][0] + (10.0 if adds_up else 0.0)
                if anchor is not None and k > i and firsts[i] <= anchor <= ends[k - 1]:
                    score += 1.0 - abs(anchor - (firsts[i] + ends[k - 1]) / 2) / 100
                if following[k] is None or score > following[k][0]:
                    following[k] = (score, i)
    runs: list[list[_Item]] = []
    k = n
    for j in range(len(categories), 0, -1):
        i = best[j][k][1]
        runs.append(items[i:k])
        k = i
    return runs[::-1]


def _by_labels(
    items: list[_Item], categories: list[tuple[str | None, int | None]], anchors: dict
) -> list[list[_Item]]:
    """Each item under the last category label printed at or above it (the first before any)."""
    runs: list[list[_Item]] = [[] for _ in categories]
    index = {name: j for j, (name, _) in reversed(list(enumerate(categories)))}
    marks = sorted((line, index[name]) for name, line in anchors.items() if name in index)
    current, position = 0, 0
    for item in items:
        while position < len(marks) and marks[position][0] <= item.end_line:
            current = marks[position][1]
            position += 1
        runs[current].append(item)
    return runs


def _prefix_totals(items: list[_Item]) -> tuple[list[int], list[int]]:
    """Running totals of the items' 원 amounts, and of how many were unreadable."""
    totals, unreadable = [0], [0]
    for item in items:
        totals.append(totals[-1] + (item.amount_won or 0))
        unreadable.append(unreadable[-1] + (item.amount_won is None))
    return totals, unreadable


def _label_anchors(
    labels: list[tuple[int, str]], categories: list[str | None]
) -> list[tuple[float, str]]:
    """(mid line, name) of each label, joining one wrapped over lines (`자치단체경상보조` `금`).

    Fragments on consecutive lines are one label unless the first already names a category.
    """
    names = {compact(category): category for category in categories if category}
    longest = max(map(len, names), default=0)
    runs: list[list[tuple[int, str]]] = []
    key = ""  # the last run's text so far, kept only while it could still be a name
    for no, text in labels:
        run = runs[-1] if runs else None
        if run and no == run[-1][0] + 1 and key not in names:
            run.append((no, text))
            key = key + compact(text) if len(key) <= longest else key
        else:
            runs.append([(no, text)])
            key = compact(text)
    anchors = []
    for run in runs:
        name = compact("".join(text for _, text in run))
        anchors.append(((run[0][0] + run[-1][0]) / 2, names.get(name, name)))
    return anchors
