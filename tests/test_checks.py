import copy
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from programs.checks import CHECKED_PARTS, check_document, check_years
from programs.store import store_documents

from .conftest import ROOT, SAMPLES, load


def errors(document: dict) -> list[str]:
    return [f.message for f in check_document(document) if f.severity == "error"]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_samples_break_no_identity(path):
    assert errors(load(path)) == []


def test_blank_settlement_values_are_reported_as_derived(sample_document):
    findings = {f.message: f for f in check_document(sample_document)}
    derived = findings[
        "결산 2020 예산현액: 비어 있음, 최종예산+전년이월+예산변경 = 8,542,856(으)로 계산됨"
    ]
    assert (derived.severity, derived.stated, derived.expected) == ("info", None, 8542856)
    assert "결산 2020 차년이월: 비어 있음, 예산현액−집행잔액−집행액 = 0(으)로 계산됨" in findings


# Each case breaks one identity of document-format.md and names the message it must give.
BROKEN = [
    (
        lambda d: d["budget_total"].update(prior=2996000),
        "budget_summary",
        "예산 총괄: 계 예산액(A) 2,996,000 ≠ 항목 합계 2,996,971",
    ),
    (
        lambda d: d["budget_summary"][0].update(change=110000),
        "budget_summary",
        "예산 총괄: 공공운영비 증감 110,000 ≠ 예산액(B) − 예산액(A) = 100,000",
    ),
    (
        lambda d: d["budget_summary"][2].update(change_pct=-40),
        "budget_summary",
        "예산 총괄: 시설비 증감률(%) △40 ≠ (B−A)×100/A = △50",
    ),
    (
        lambda d: d["cost_basis"][1]["items"][0].update(amount_won=938938000),
        "cost_basis",
        "산출근거: 민간위탁금 항목 합계 2,567,216 ≠ 예산 2,577,216",
    ),
    (
        lambda d: d["cost_basis"][1]["items"][2]["children"][0].update(amount_won=340000000),
        "cost_basis",
        "산출근거: 민간위탁금 '사회적경제지원센터 사업비' 세부 항목 합계 1,379,744,000원"
        " ≠ 1,389,744,000원",
    ),
    (
        lambda d: d["cost_basis"][2].update(category="시설부대비"),
        "cost_basis",
        "산출근거: 시설부대비이(가) 예산 총괄에 없습니다",
    ),
    (
        lambda d: d["funding"].update(city=3200000),
        "funding",
        "사업비 총액 3,296,216 ≠ 국비+시비+구비+기타 = 3,200,000",
    ),
    (
        lambda d: d["funding"].update(total=3200000, city=3200000),
        "funding",
        "사업비 총액 3,200,000 ≠ 예산 총괄 예산액(B) 3,296,216",
    ),
    (
        lambda d: d["schedule"][1].update(amount=2500000),
        "schedule",
        "추진일정: 예산집행금액 합계 3,219,000 ≠ 예산액(B) 3,296,216",
    ),
    (
        lambda d: d["settlements"][1].update(available=6185000),
        "settlements",
        "결산 2021 예산현액 6,185,000 ≠ 최종예산+전년이월+예산변경 = 6,185,415",
    ),
    (
        lambda d: d["settlements"][2].update(unspent=530000),
        "settlements",
        "결산 2022 집행잔액 530,000 ≠ 예산현액−집행액−차년이월 = 530,825",
    ),
    (
        lambda d: d["settlements"][2]["national"].update(unspent=5),
        "settlements",
        "결산 2022 국비 집행잔액 5 ≠ 예산현액−집행액−차년이월 = 0",
    ),
]


@pytest.mark.parametrize(("change", "section", "message"), BROKEN, ids=[m for *_, m in BROKEN])
def test_each_broken_identity_is_reported(sample_document, change, section, message):
    change(sample_document)
    found = [
        (f.section, f.message) for f in check_document(sample_document) if f.severity == "error"
    ]
    assert (section, message) in found


def test_a_wrong_row_change_also_breaks_the_total_change(sample_document):
    sample_document["budget_summary"][0]["change"] = 110000
    assert errors(sample_document) == [
        "예산 총괄: 공공운영비 증감 110,000 ≠ 예산액(B) − 예산액(A) = 100,000",
        "예산 총괄: 계 증감 299,245 ≠ 항목 합계 309,245",
    ]


def test_a_blank_that_would_have_to_be_negative_is_an_error(sample_document):
    sample_document["settlements"][0]["national"]["unspent"] = 5  # 차년이월 is blank there
    assert errors(sample_document) == [
        "결산 2020 국비 차년이월: 비어 있음, 예산현액−집행잔액−집행액 = △5(으)로 계산되지만"
        " 음수일 수 없습니다"
    ]


def test_a_blank_change_is_derived_not_an_error(sample_document):
    sample_document["budget_summary"][0]["change"] = None
    [finding] = [f for f in check_document(sample_document) if f.section == "budget_summary"]
    assert finding.severity == "info"
    assert finding.message.startswith("예산 총괄: 공공운영비 증감: 비어 있음")


def only_contract_warning(document):
    return [f for f in check_document(document) if f.section == "contracts"]


def test_a_gap_between_contracts_is_a_warning(sample_document):
    sample_document["contracts"][2].update(start="2018-03-01", end="2021-01-22", term_years=None)
    [finding] = only_contract_warning(sample_document)
    assert finding.severity == "warning"
    assert (
        "2018.3.1 시작 협약이 앞 협약 종료(2018.1.22) 다음 날에 이어지지 않습니다 (37일 공백)"
        in (finding.message)
    )


def test_a_term_that_does_not_match_its_dates_is_a_warning(sample_document):
    sample_document["contracts"][0]["term_years"] = 3
    [finding] = only_contract_warning(sample_document)
    assert finding.message == "위탁 협약: 2013.1.23~2015.1.22 기간이 3년과 맞지 않습니다"


def next_year(document: dict) -> dict:
    following = copy.deepcopy(document)
    following["fiscal_year"] += 1
    for row in [*following["budget_summary"], following["budget_total"]]:
        row.update(prior=row["current"], change=0, change_pct=0)
    return following


def test_consecutive_years_agree(sample_document):
    assert check_years([sample_document, next_year(sample_document)]) == []


def test_a_current_figure_that_is_not_next_years_prior_is_reported(sample_document):
    following = next_year(sample_document)
    following["budget_summary"][1]["prior"] = 2500000
    [finding] = check_years([following, sample_document])
    assert finding.message == (
        "예산 총괄: 민간위탁금 2024년 문서의 예산액(B) 2,577,216"
        " ≠ 2025년 문서의 예산액(A) 2,500,000"
    )


def test_settlement_rows_printed_twice_must_agree(sample_document):
    following = next_year(sample_document)
    following["settlements"][2]["executed"] = 4291000
    [finding] = check_years([sample_document, following])
    assert finding.message == "결산 2022 집행액: 2024년 문서 4,291,758 ≠ 2025년 문서 4,291,000"


@pytest.mark.django_db
def test_command_checks_stored_programs_against_their_other_years(sample_document, capsys):
    following = next_year(sample_document)
    following["settlements"][2].update(executed=4291000, unspent=531583)
    store_documents([sample_document])
    store_documents([following])
    call_command("check_documents", "--all", "--format", "json")
    findings = json.loads(capsys.readouterr().out)
    executed, unspent = [f for f in findings if f["rule"] == "year_to_year"]
    assert unspent["message"] == "결산 2022 집행잔액: 2024년 문서 530,825 ≠ 2025년 문서 531,583"
    finding = executed
    assert {k: finding[k] for k in ("section", "severity", "stated", "expected")} == {
        "section": "settlements",
        "severity": "warning",
        "stated": 4291000,
        "expected": 4291758,
    }
    assert set(findings[0]) >= {"section", "rule", "severity", "message", "stated", "expected"}


def test_command_exits_1_and_says_why_when_a_file_breaks_an_identity(
    sample_document, tmp_path, capsys
):
    sample_document["schedule"][1]["amount"] = 2500000
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(sample_document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("check_documents", str(path))
    assert error.value.returncode == 1
    out = capsys.readouterr().out
    assert f"{path}: [오류] 추진일정: 예산집행금액 합계 3,219,000 ≠ 예산액(B) 3,296,216" in out


def test_command_passes_on_the_sample_texts_and_json(capsys):
    call_command("check_documents", "samples/")
    assert "오류 0건" in capsys.readouterr().out


@pytest.mark.django_db
def test_command_finds_no_error_in_the_imported_sample_texts(capsys):
    call_command("import_documents", "samples/")
    capsys.readouterr()
    call_command("check_documents", "--all")
    out = capsys.readouterr().out
    assert "오류 0건" in out
    assert "[참고] 결산 2020 예산현액" in out


def test_command_reports_a_wrong_printed_percentage_once_in_korean(tmp_path, capsys):
    text = (ROOT / "samples" / "000_5073a130600540e8.txt").read_text(encoding="utf-8")
    row = "\t2,312,971\t2,577,216\t264,245\t"
    assert row + "11\n" in text
    changed = tmp_path / "000.txt"
    changed.write_text(text.replace(row + "11\n", row + "12\n"), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("check_documents", str(changed))
    lines = [line for line in capsys.readouterr().out.splitlines() if "증감률" in line]
    assert lines == [f"{changed}: [오류] 예산 총괄: 민간위탁금 증감률(%) 12 ≠ (B−A)×100/A = 11"]


class Reading(dict):
    """A document that notes which of its parts are read."""

    def __init__(self, document: dict, read: set):
        super().__init__(document)
        self.read = read

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)


def test_the_checks_read_only_the_parts_they_name(sample_document):
    # An import checks the printed form only where it differs from the stored one in these.
    read = set()
    check_document(Reading(sample_document, read))
    assert read and read <= set(CHECKED_PARTS)
