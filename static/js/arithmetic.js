// The rules of programs/arithmetic.py for the admin's live figures, function by function
// under the same names; the server stays the authority on save. tests/test_arithmetic_js.py
// runs both on the same inputs, so the two cannot drift. Blank is null (Python's None).
// Amounts are 천원 up to 10^15 (exact in a double); ratios are computed in BigInt.
"use strict";

window.arithmetic = (function () {
  // ---------------------------------------------------------------- sums

  function total(values) {
    if (!values.length || values.some((value) => value === null)) return null;
    return values.reduce((sum, value) => sum + value, 0);
  }

  function total_of_stated(values) {
    if (values.every((value) => value === null)) return null;
    return values.reduce((sum, value) => sum + (value || 0), 0);
  }

  // ---------------------------------------------------------------- budget change

  const NEW_FROM_ZERO = "순증";

  function change(prior, current) {
    if (prior === null || current === null) return null;
    return current - prior;
  }

  // part × scale / whole, rounded half away from zero to a whole number, as a BigInt.
  function roundedRatio(part, whole, scale) {
    const numerator = BigInt(part) * BigInt(scale);
    const denominator = BigInt(whole);
    const negative = numerator < 0n !== denominator < 0n && numerator !== 0n;
    const n = numerator < 0n ? -numerator : numerator;
    const d = denominator < 0n ? -denominator : denominator;
    const rounded = (2n * n + d) / (2n * d);
    return negative ? -rounded : rounded;
  }

  function percent_change(prior, current) {
    if (prior === null || current === null || !prior) return null;
    return Number(roundedRatio(current - prior, prior, 100));
  }

  function is_new(prior, current) {
    return prior === 0 && Boolean(current);
  }

  // ---------------------------------------------------------------- 천원 and 원

  function thousands(won) {
    return -Math.floor(-won / 1000);
  }

  function adds_up_won(parts_won, count, stated_won) {
    if (count === 0) return stated_won === 0;
    if (parts_won === null || stated_won === null) return false;
    return Math.abs(parts_won - stated_won) <= 1000 * count;
  }

  // ---------------------------------------------------------------- settlements

  const SETTLEMENT_LABELS = {
    final_budget: "최종예산",
    carried_in: "전년이월",
    budget_change: "예산변경",
    available: "예산현액",
    executed: "집행액",
    carried_out: "차년이월",
    unspent: "집행잔액",
  };
  const SETTLEMENT_COLUMNS = Object.keys(SETTLEMENT_LABELS);

  class Identity {
    constructor(rule, result, terms) {
      this.rule = rule;
      this.result = result;
      this.terms = terms;
    }

    signs() {
      return { [this.result]: -1, ...this.terms };
    }

    solve(values, key) {
      const signs = this.signs();
      let sum = 0;
      for (const other of Object.keys(signs)) {
        if (other === key) continue;
        const value = values[other] === undefined ? null : values[other];
        if (value === null) return null;
        sum += signs[other] * value;
      }
      return -signs[key] * sum || 0;
    }

    holds(values) {
      const expected = this.solve(values, this.result);
      const stated = values[this.result] === undefined ? null : values[this.result];
      if (expected === null || stated === null) return null;
      return stated === expected;
    }

    formula(key) {
      const signs = this.signs();
      const terms = Object.keys(signs)
        .filter((other) => other !== key)
        .map((other) => [-signs[other] * signs[key], SETTLEMENT_LABELS[other]])
        .sort((a, b) => b[0] - a[0]); // stable, as Python's sorted
      const text = terms.map(([sign, name]) => (sign > 0 ? "+" : "−") + name).join("");
      return text.startsWith("+") ? text.slice(1) : text;
    }
  }

  const SETTLEMENT_IDENTITIES = [
    new Identity("settlement_available", "available", {
      final_budget: 1,
      carried_in: 1,
      budget_change: 1,
    }),
    new Identity("settlement_unspent", "unspent", { available: 1, executed: -1, carried_out: -1 }),
  ];
  const [AVAILABLE] = SETTLEMENT_IDENTITIES;

  function available(stated, final_budget, carried_in, budget_change) {
    if (stated !== null) return stated;
    return AVAILABLE.solve({ final_budget, carried_in, budget_change }, "available");
  }

  function is_derived_available(stated, final_budget, carried_in, budget_change) {
    return stated === null && available(null, final_budget, carried_in, budget_change) !== null;
  }

  function completed_settlement(values) {
    const row = {};
    for (const key of SETTLEMENT_COLUMNS) row[key] = values[key] === undefined ? null : values[key];
    let solved = true;
    while (solved) {
      solved = false;
      for (const identity of SETTLEMENT_IDENTITIES) {
        const keys = [identity.result, ...Object.keys(identity.terms)];
        const blank = keys.filter((key) => row[key] === null);
        if (blank.length === 1) {
          const value = identity.solve(row, blank[0]);
          if (value !== null) {
            row[blank[0]] = value;
            solved = true;
          }
        }
      }
    }
    return row;
  }

  // ---------------------------------------------------------------- execution rate

  // One decimal, as Python's Decimal prints it: "99.7", "100.0", "-5.0".
  function execution_rate(executed, available) {
    if (executed === null || !available) return null;
    const tenths = roundedRatio(executed, available, 1000);
    // Decimal keeps the sign of a negative rate that rounds to zero: "-0.0".
    const sign = executed < 0 !== available < 0 ? "-" : "";
    const digits = (tenths < 0n ? -tenths : tenths).toString().padStart(2, "0");
    return `${sign}${digits.slice(0, -1)}.${digits.slice(-1)}`;
  }

  return {
    total,
    total_of_stated,
    NEW_FROM_ZERO,
    change,
    percent_change,
    is_new,
    thousands,
    adds_up_won,
    SETTLEMENT_LABELS,
    SETTLEMENT_COLUMNS,
    Identity,
    SETTLEMENT_IDENTITIES,
    available,
    is_derived_available,
    completed_settlement,
    execution_rate,
  };
})();

// programs/formatting.py's amount, percent and percent_change, for the same figures.
window.formatting = (function () {
  const arithmetic = window.arithmetic;

  function grouped(digits) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  function amount(value) {
    if (value === null) return "";
    return (value < 0 ? "△" : "") + grouped(String(Math.abs(value)));
  }

  // `value` is a one-decimal string of execution_rate.
  function percent(value) {
    if (value === null) return "";
    const negative = value.startsWith("-");
    const [whole, tenth] = value.replace("-", "").split(".");
    return (negative && value !== "-0.0" ? "△" : "") + grouped(whole) + "." + tenth;
  }

  function percent_change(prior, current) {
    if (arithmetic.is_new(prior, current)) return arithmetic.NEW_FROM_ZERO;
    return amount(arithmetic.percent_change(prior, current));
  }

  return { amount, percent, percent_change };
})();
