// The program year's change page: amounts as staff write them, the derived figures and the
// identity checks recomputed while typing (by arithmetic.js, the server's rules), and a save
// bar that counts unsaved changes and asks before leaving with them.
"use strict";

// Loaded in the head with the admin's media: it starts once the form is there.
document.addEventListener("DOMContentLoaded", function () {
  const { arithmetic, formatting } = window;
  const form = document.getElementById("programyear_form");
  if (!form) return;
  const labels = JSON.parse(document.getElementById("severity-labels").textContent);

  // `2,312,971`, `△65,000` or `-65000` → a number; "" → null; anything else → undefined.
  function parseAmount(text) {
    const plain = text.replace(/[,\s]/g, "").replace(/^[△▲−-]/, "-");
    if (plain === "") return null;
    return /^-?\d+$/.test(plain) ? Number(plain) : undefined;
  }

  function value(input) {
    if (!input) return null;
    const parsed = parseAmount(input.value);
    return parsed === undefined ? null : parsed;
  }

  function field(prefix, name) {
    return form.querySelector(`[name="${prefix}-${name}"]`);
  }

  function show(element, text) {
    if (element && element.textContent !== text) element.textContent = text;
  }

  // Rows of an inline that are kept: not the template row, not marked for deletion.
  function rows(group) {
    return Array.from(form.querySelectorAll(`#${group}-group .form-row, #${group}-group .inline-related`))
      .filter((row) => row.id && !row.classList.contains("empty-form") && /-\d+$/.test(row.id))
      .map((row) => row.id)
      .filter((prefix) => {
        const doomed = field(prefix, "DELETE");
        return !(doomed && doomed.checked);
      })
      .map((prefix) => ({ prefix, row: document.getElementById(prefix) }));
  }

  function budget() {
    const lines = rows("budget_lines").map(({ prefix, row }) => {
      const prior = value(field(prefix, "prior"));
      const current = value(field(prefix, "current"));
      show(row.querySelector(".field-change_display p"), formatting.amount(arithmetic.change(prior, current)));
      show(row.querySelector(".field-change_pct_display p"), formatting.percent_change(prior, current));
      const category = field(prefix, "category");
      return { category: category ? category.value.trim() : "", prior, current };
    });
    const prior = arithmetic.total_of_stated(lines.map((line) => line.prior));
    const current = arithmetic.total_of_stated(lines.map((line) => line.current));
    const total = form.querySelector(".field-budget_total_display .readonly");
    if (total && lines.length) {
      show(total, `전년도 ${formatting.amount(prior)} → 당해연도 ${formatting.amount(current)}`);
    }
    return { lines, current };
  }

  function funding() {
    const parts = ["national", "city", "district", "other"].map((key) =>
      value(form.querySelector(`[name="funding_${key}"]`)),
    );
    const total = arithmetic.total_of_stated(parts);
    show(form.querySelector(".field-funding_total_display .readonly"), formatting.amount(total));
    return total;
  }

  function costItems() {
    const sums = new Map();
    for (const { prefix, row } of rows("cost_items")) {
      const won = value(field(prefix, "amount_won"));
      show(row.querySelector(".field-amount_thousands p"), won === null ? "" : formatting.amount(arithmetic.thousands(won)));
      const depth = field(prefix, "depth");
      if (depth && Number(depth.value) > 0) continue; // a part of an item above, not of the category
      const category = field(prefix, "category").value.trim();
      const sum = sums.get(category) || { won: [], count: 0 };
      sum.won.push(won);
      sum.count += 1;
      sums.set(category, sum);
    }
    return sums;
  }

  function settlements(findings) {
    for (const { prefix, row } of rows("settlements")) {
      for (const national of [false, true]) {
        const values = {};
        for (const column of arithmetic.SETTLEMENT_COLUMNS) {
          values[column] = value(field(prefix, national ? `national_${column}` : column));
        }
        const completed = arithmetic.completed_settlement(values);
        for (const column of ["available", "unspent"]) {
          const input = field(prefix, national ? `national_${column}` : column);
          if (input) input.placeholder = values[column] === null ? formatting.amount(completed[column]) : "";
        }
        const year = field(prefix, "year").value;
        const label = `결산 ${year}${national ? " 국비" : ""}`;
        for (const identity of arithmetic.SETTLEMENT_IDENTITIES) {
          if (identity.holds(values) === false) {
            const key = identity.result;
            findings.push(
              `${label} ${arithmetic.SETTLEMENT_LABELS[key]} ${formatting.amount(values[key])} ≠ ` +
                `${identity.formula(key)} = ${formatting.amount(identity.solve(values, key))}`,
            );
          }
        }
        if (!national) {
          const rate = arithmetic.execution_rate(
            values.executed,
            arithmetic.available(values.available, values.final_budget, values.carried_in, values.budget_change),
          );
          show(row.querySelector(".field-execution_rate_display .readonly"), formatting.percent(rate));
        }
      }
    }
  }

  function schedule() {
    return arithmetic.total(rows("schedule").map(({ prefix }) => value(field(prefix, "amount"))));
  }

  function recompute() {
    const findings = [];
    const { lines, current } = budget();
    const fundingTotal = funding();
    const stated = new Map(lines.map((line) => [line.category, line.current]));
    // Unless 예산 총괄 is on the page (a closed section is not), there is nothing to match.
    const sums = costItems();
    for (const [category, sum] of form.querySelector("#budget_lines-group") ? sums : []) {
      const won = arithmetic.total(sum.won);
      if (!stated.has(category)) {
        findings.push(`산출근거: ${category}이(가) 예산 총괄에 없습니다`);
      } else if (won !== null && stated.get(category) !== null &&
                 !arithmetic.adds_up_won(won, sum.count, stated.get(category) * 1000)) {
        findings.push(
          `산출근거: ${category} 항목 합계 ${formatting.amount(Math.round(won / 1000))} ≠ ` +
            `예산 ${formatting.amount(stated.get(category))}`,
        );
      }
    }
    if (fundingTotal !== null && current !== null && fundingTotal !== current) {
      findings.push(`사업비 총액 ${formatting.amount(fundingTotal)} ≠ 예산 총괄 예산액(B) ${formatting.amount(current)}`);
    }
    const steps = schedule();
    if (steps !== null && current !== null && steps !== current) {
      findings.push(`추진일정: 예산집행금액 합계 ${formatting.amount(steps)} ≠ 예산액(B) ${formatting.amount(current)}`);
    }
    settlements(findings);
    const live = document.getElementById("live-findings");
    if (!live) return;
    const list = document.createElement(findings.length ? "ul" : "p");
    if (findings.length) {
      list.className = "findings";
      for (const message of findings) {
        const item = document.createElement("li");
        item.className = "finding-error";
        const strong = document.createElement("strong");
        strong.textContent = labels.error;
        item.append(strong, " ", message);
        list.append(item);
      }
    } else {
      list.textContent = "문서의 항등식이 모두 맞습니다.";
    }
    if (live.textContent !== list.textContent) live.replaceChildren(list);
  }

  // ---------------------------------------------------------------- amounts

  form.addEventListener("focusout", (event) => {
    const input = event.target;
    if (!input.classList || !input.classList.contains("amount")) return;
    const parsed = parseAmount(input.value);
    if (parsed !== undefined) input.value = formatting.amount(parsed);
  });

  // ---------------------------------------------------------------- unsaved changes

  const initial = new Map();
  function key(element) {
    return element.type === "checkbox" || element.type === "radio" ? element.checked : element.value;
  }
  for (const element of form.elements) if (element.name) initial.set(element, key(element));

  function unsaved() {
    let count = 0;
    for (const element of form.elements) {
      if (!element.name || element.type === "hidden" || element.name === "change_reason") continue;
      if (element.closest(".empty-form")) continue;
      if (!initial.has(element)) count += element.value !== "" ? 1 : 0; // a row added here
      else if (initial.get(element) !== key(element)) count += 1;
    }
    return count;
  }

  const counter = document.querySelector(".save-bar .unsaved");
  let saving = false;
  function update() {
    recompute();
    if (!counter) return;
    const count = unsaved();
    show(counter, count ? counter.dataset.some.replace("%(n)s", count) : counter.dataset.none);
    counter.classList.toggle("pending", count > 0);
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", () => {
    saving = true;
  });
  window.addEventListener("beforeunload", (event) => {
    if (!saving && counter && unsaved()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // ---------------------------------------------------------------- read only

  // A viewer's page shows stored amounts as text: as the documents print them.
  function amountsAsPrinted(root) {
    for (const cell of root.querySelectorAll(".readonly, td p")) {
      const number = /^-?\d{4,}$/.test(cell.textContent.trim()) ? Number(cell.textContent.trim()) : null;
      const column = cell.closest("[class*='field-']");
      if (number !== null && column && !/field-(year|fiscal_year|period_start_year|period_end_year)\b/.test(column.className)) {
        cell.textContent = formatting.amount(number);
      }
    }
  }
  amountsAsPrinted(form);

  // ---------------------------------------------------------------- closed sections

  // Made live as Django's inlines.js makes the inlines of a page it loads with.
  function startInline(group) {
    const $ = window.django.jQuery;
    const { inlineType, inlineFormset } = $(group).data();
    const stacked = inlineType === "stacked";
    const rowsOf = stacked ? ".inline-related" : ".tabular.inline-related tbody:first > tr.form-row";
    const selector = `${inlineFormset.name}-group ${rowsOf}`;
    $(selector)[stacked ? "stackedFormset" : "tabularFormset"](selector, inlineFormset.options);
  }

  // A long section's rows come when it is first opened, as the page would have shown them.
  for (const placeholder of form.querySelectorAll(".closed-section")) {
    const section = placeholder.closest("details");
    section.addEventListener("toggle", async function load() {
      if (!section.open) return;
      section.removeEventListener("toggle", load);
      const response = await fetch(placeholder.dataset.url, { credentials: "same-origin" });
      if (!response.ok) {
        placeholder.textContent = "행을 불러오지 못했습니다. 페이지를 새로 고쳐 주십시오.";
        return;
      }
      const loaded = document.createElement("template");
      loaded.innerHTML = await response.text();
      const group = loaded.content.querySelector(".js-inline-admin-formset");
      placeholder.replaceWith(loaded.content);
      startInline(group);
      for (const element of form.elements) {
        if (element.name && !initial.has(element)) initial.set(element, key(element));
      }
      amountsAsPrinted(section);
      if (counter) update();
    });
  }

  // A section with an error opens, wherever the user had left it.
  for (const section of form.querySelectorAll("details.doc-section")) {
    if (section.querySelector(".errorlist")) section.open = true;
  }

  if (counter) update();
});
