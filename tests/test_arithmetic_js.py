"""static/js/arithmetic.js against programs/arithmetic.py (and formatting.py): the same
function on the same inputs gives the same answer, in Chromium, so the admin's live figures
cannot drift from the server's."""

import json
import random
from decimal import Decimal

import pytest

from programs import arithmetic, formatting

from .conftest import ROOT

# Edges: blank, zero, signs, ratios that land exactly on a half; up to 10^13 천원 (a percent
# change of 10^15, still exact in a double).
EDGES = [None, 0, 1, -1, 2, 3, 7, 8, 200, 1000, 1001, -1000, 999_999, 10**13, -(10**13)]


def amounts(rng: random.Random, count: int) -> list[int | None]:
    def one() -> int | None:
        kind = rng.random()
        if kind < 0.1:
            return None
        if kind < 0.5:
            return rng.choice(EDGES)
        scale = rng.choice([10, 1000, 10**6, 10**9, 10**12])
        return rng.randint(-scale, scale)

    return [one() for _ in range(count)]


@pytest.fixture(scope="module")
def js(chromium):
    context = chromium.new_context()
    tab = context.new_page()
    tab.set_content("<!doctype html><title>arithmetic</title>")
    tab.add_script_tag(path=str(ROOT / "static" / "js" / "arithmetic.js"))

    def run(expression: str, cases: list) -> list:
        return tab.evaluate(f"(cases) => cases.map((args) => {expression})", cases)

    yield run
    context.close()


def as_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def test_pairs_of_amounts_give_the_same_figures(js):
    rng = random.Random(14)
    cases = [[a, b] for a, b in zip(amounts(rng, 3000), amounts(rng, 3000), strict=True)]
    # Exact halves for the percentage: 1→1.005 is 0.5 %, 200→201 is 0.5 %.
    cases += [[200, 201], [200, 199], [-200, -201], [8, 9], [1000, 1005], [1000, 995]]
    cases += [[a, b] for a in EDGES for b in EDGES]
    expected = [
        [
            arithmetic.change(a, b),
            arithmetic.percent_change(a, b),
            arithmetic.is_new(a, b),
            as_text(arithmetic.execution_rate(a, b)),
            formatting.percent_change(a, b),
            formatting.amount(a),
            formatting.percent(arithmetic.execution_rate(a, b)),
        ]
        for a, b in cases
    ]
    found = js(
        "{ const [a, b] = args; const rate = arithmetic.execution_rate(a, b);"
        " return [arithmetic.change(a, b), arithmetic.percent_change(a, b),"
        " arithmetic.is_new(a, b), rate, formatting.percent_change(a, b),"
        " formatting.amount(a), formatting.percent(rate)]; }",
        cases,
    )
    for case, want, got in zip(cases, expected, found, strict=True):
        assert got == want, case


def test_sums_and_rounding_give_the_same_figures(js):
    rng = random.Random(1414)
    lists = [amounts(rng, rng.randint(0, 5)) for _ in range(1000)]
    won = [rng.randint(-(10**12), 10**12) for _ in range(1000)] + [0, 1, 999, 1000, 1001, -1, -999]
    checks = [
        [rng.randint(0, 10**9), rng.randint(0, 4), rng.choice([None, rng.randint(0, 10**9)])]
        for _ in range(1000)
    ]
    checks += [[5000, 5, 0], [0, 0, 0], [0, 0, 1], [None, 1, 10], [10, 1, None], [3000, 3, 6000]]
    assert js("arithmetic.total(args)", lists) == [arithmetic.total(v) for v in lists]
    assert js("arithmetic.total_of_stated(args)", lists) == [
        arithmetic.total_of_stated(v) for v in lists
    ]
    assert js("arithmetic.thousands(args)", won) == [arithmetic.thousands(v) for v in won]
    assert js("arithmetic.adds_up_won(...args)", checks) == [
        arithmetic.adds_up_won(*args) for args in checks
    ]


def test_settlement_identities_give_the_same_figures(js):
    rng = random.Random(141414)
    rows = [
        dict(zip(arithmetic.SETTLEMENT_COLUMNS, amounts(rng, 7), strict=True)) for _ in range(2000)
    ]
    # Rows that satisfy both identities, with blanks: completion must find the blanks back.
    for _ in range(500):
        final, carried_in, change, executed, carried_out = (rng.randint(0, 10**9) for _ in range(5))
        row = {
            "final_budget": final,
            "carried_in": carried_in,
            "budget_change": change,
            "available": final + carried_in + change,
            "executed": executed,
            "carried_out": carried_out,
            "unspent": final + carried_in + change - executed - carried_out,
        }
        for key in rng.sample(arithmetic.SETTLEMENT_COLUMNS, rng.randint(0, 3)):
            row[key] = None
        rows.append(row)
    cases = [[row] for row in rows]
    expected = [
        [
            arithmetic.completed_settlement(row),
            arithmetic.available(
                row["available"], row["final_budget"], row["carried_in"], row["budget_change"]
            ),
            arithmetic.is_derived_available(
                row["available"], row["final_budget"], row["carried_in"], row["budget_change"]
            ),
            *[identity.holds(row) for identity in arithmetic.SETTLEMENT_IDENTITIES],
            *[
                identity.solve(row, key)
                for identity in arithmetic.SETTLEMENT_IDENTITIES
                for key in (identity.result, *identity.terms)
            ],
        ]
        for row in rows
    ]
    found = js(
        "{ const [row] = args; const a = [row.available, row.final_budget, row.carried_in,"
        " row.budget_change]; return [arithmetic.completed_settlement(row),"
        " arithmetic.available(...a), arithmetic.is_derived_available(...a),"
        " ...arithmetic.SETTLEMENT_IDENTITIES.map((i) => i.holds(row)),"
        " ...arithmetic.SETTLEMENT_IDENTITIES.flatMap((i) =>"
        " [i.result, ...Object.keys(i.terms)].map((key) => i.solve(row, key)))]; }",
        cases,
    )
    for row, want, got in zip(rows, expected, found, strict=True):
        assert got == json.loads(json.dumps(want)), row


def test_identity_formulas_read_the_same(js):
    cases = [
        [index, key]
        for index, identity in enumerate(arithmetic.SETTLEMENT_IDENTITIES)
        for key in (identity.result, *identity.terms)
    ]
    found = js("arithmetic.SETTLEMENT_IDENTITIES[args[0]].formula(args[1])", cases)
    assert found == [arithmetic.SETTLEMENT_IDENTITIES[i].formula(key) for i, key in cases]
