import copy
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from programs.documents import DocumentError, export_document
from programs.models import BudgetLine, CostItem, HistoryEvent, Program, ProgramYear
from programs.sources import read_documents
from programs.store import refresh_derived, store_documents

from .conftest import ROOT, SAMPLES, load

pytestmark = pytest.mark.django_db


def exported() -> list[dict]:
    return [export_document(year) for year in ProgramYear.objects.with_sections()]


def table_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Program, ProgramYear, BudgetLine, CostItem, HistoryEvent)
    }


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_export_gives_every_key_of_the_sample(path):
    expected = load(path)
    store_documents([expected])
    document = export_document(ProgramYear.objects.with_sections().get())
    for key, value in expected.items():
        assert document[key] == value, key


def test_export_then_import_into_an_empty_database_is_exact(stored_samples):
    before = exported()
    ProgramYear.objects.all().delete()
    Program.objects.all().delete()
    store_documents(before)
    assert exported() == before


def test_importing_the_same_document_twice_changes_nothing(stored_samples, sample_document):
    counts, before = table_counts(), exported()
    store_documents([sample_document])
    assert table_counts() == counts
    assert exported() == before


def test_reimport_updates_the_year_in_place(stored_samples, sample_document):
    sample_document["budget_summary"][0]["current"] = 700000
    del sample_document["history"][-1]
    [year] = store_documents([sample_document])
    assert year.pk == stored_samples[0].pk
    document = export_document(ProgramYear.objects.with_sections().get(pk=year.pk))
    assert document["budget_summary"][0]["current"] == 700000
    assert len(document["history"]) == 20


def grown(document: dict, times: int, title: str) -> dict:
    """The document as another program of its department, its sections' rows `times` over."""
    document = copy.deepcopy(document)
    document["title"] = title
    for key in ("officers", "history", "contracts", "schedule", "performance"):
        document[key] *= times
    for key in ("activities", "expected_effects", "legal_basis"):
        document[key] *= times
    for group in document["cost_basis"]:
        group["items"] *= times
    return document


# Up to 3 times the sample's rows: a section's INSERT is one statement until SQLite's 999
# parameters (bulk_create batches beyond), far more rows than a document has.
@pytest.mark.parametrize("times", [1, 3])
def test_storing_a_document_takes_the_same_queries_whatever_its_rows(
    sample_document, times, django_assert_max_num_queries
):
    store_documents([sample_document])  # its department exists from here on
    # The savepoint; the department and the program looked up in one; the program, the year
    # and its history record; one INSERT for each of the 11 sections; the department's year
    # totals kept for the overview (two sums, two deletions, two inserts); its contracts'
    # register columns (a read, an update); the pages' data version (issue 18); the release.
    with django_assert_max_num_queries(26):
        store_documents([grown(sample_document, times, "다른 사업")])


@pytest.mark.parametrize("times", [1, 3])
def test_reimporting_a_document_takes_the_same_queries_whatever_its_rows(
    sample_document, times, django_assert_max_num_queries
):
    document = grown(sample_document, times, "다른 사업")
    store_documents([document])
    document["purpose"] = "바뀐 목적"
    # The savepoint; the department and the program; the year and its 11 sections; the year
    # updated and its history record; each section's rows deleted and inserted; the year
    # totals (six); the register columns (two); the pages' data version; the release.
    with django_assert_max_num_queries(48):
        store_documents([document])


def test_another_year_of_a_program_joins_the_same_program(stored_samples, sample_document):
    sample_document["fiscal_year"] = 2025
    store_documents([sample_document])
    program = Program.objects.get(title="사회적경제지원센터 운영")
    assert sorted(program.years.values_list("fiscal_year", flat=True)) == [2024, 2025]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("title"), "title: 값이 없습니다"),
        (lambda d: d.update(fiscal_year="2024"), "fiscal_year: 정수이어야 합니다"),
        (lambda d: d.update(format="other/1"), "format:"),
        (
            lambda d: d["budget_summary"][2].update(prior=-130000),
            "budget_summary[2].prior: 0 이상의 값을 입력해 주세요.",
        ),
        (
            lambda d: d["budget_summary"][1].update(current="2,577,216"),
            "budget_summary[1].current: 정수이어야 합니다",
        ),
        (
            lambda d: d["cost_basis"][1]["items"][2]["children"][0].update(amount_won=-1),
            "cost_basis[1].items[2].children[0].amount_won:",
        ),
        (lambda d: d["history"][3].update(date="2012-13-14"), "history[3].date:"),
        (
            lambda d: d["contracts"][0].update(start="2016-01-01"),
            "contracts[0].end: 협약 종료일이 시작일보다 앞설 수 없습니다.",
        ),
        (lambda d: d["schedule"][0].update(end="2024-13"), "schedule[0].end: 월은"),
        (
            lambda d: d["settlements"][1]["national"].update(executed=-5),
            "settlements[1].national.executed:",
        ),
        (lambda d: d["settlements"][1].update(year=2020), "settlements[1].year: 2020"),
        (
            lambda d: d["budget_summary"][1].update(category="공공운영비"),
            "budget_summary[1].category",
        ),
        (lambda d: d.update(officers=[]), "officers:"),
        (lambda d: d["legal_basis"][0].update(articles="제11조"), "legal_basis[0].articles:"),
        (lambda d: d.update(activities=[1]), "activities[0]: 문자열이어야 합니다"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_bad_documents_name_the_field_and_store_nothing(sample_document, change, message):
    bad = copy.deepcopy(sample_document)
    change(bad)
    with pytest.raises(DocumentError) as error:
        store_documents([bad])
    assert message in str(error.value)
    assert ProgramYear.objects.count() == 0


def test_a_bad_document_in_a_file_leaves_the_others_unstored(sample_document):
    second = copy.deepcopy(sample_document)
    second["fiscal_year"] = 2025
    second["schedule"][1]["amount"] = -1
    with pytest.raises(DocumentError, match=r"^\[1\]\.schedule\[1\]\.amount"):
        store_documents([sample_document, second])
    assert ProgramYear.objects.count() == 0


def test_a_bad_reimport_keeps_what_was_stored(stored_samples, sample_document):
    before = exported()
    sample_document["budget_summary"][0]["prior"] = -1
    with pytest.raises(DocumentError):
        store_documents([sample_document])
    assert exported() == before


def test_import_command_names_the_file_and_line_of_malformed_json(tmp_path, capsys):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "budget-program-document/1",\n "title": }', encoding="utf-8")
    with pytest.raises(CommandError, match="1개 파일을 가져오지 못했습니다"):
        call_command("import_documents", str(path))
    err = capsys.readouterr().err
    assert f"{path}: line 2 column 11: JSON 오류" in err
    assert ProgramYear.objects.count() == 0


def test_import_command_imports_the_good_files_and_reports_the_bad(tmp_path, capsys):
    good, bad = load(SAMPLES[0]), load(SAMPLES[1])
    bad["budget_summary"][0]["prior"] = -1
    (tmp_path / "a.json").write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_documents", str(tmp_path))
    out, err = capsys.readouterr()
    assert "a.json: 1건 저장 (사회적경제지원센터 운영 2024)" in out
    assert f"{tmp_path / 'b.json'}: budget_summary[0].prior:" in err
    assert list(ProgramYear.objects.values_list("fiscal_year", "program__title")) == [
        (2024, "사회적경제지원센터 운영")
    ]


def test_import_command_rejects_a_missing_path():
    with pytest.raises(CommandError, match=r"nowhere\.json: 파일이나 폴더가 없습니다"):
        call_command("import_documents", "nowhere.json")


def test_export_command_filters_by_program_and_year(stored_samples, tmp_path, capsys):
    out = tmp_path / "out.json"
    call_command("export_documents", "--program", "청년 주거비 지원", "-o", str(out))
    assert [d["title"] for d in json.loads(out.read_text(encoding="utf-8"))] == ["청년 주거비 지원"]
    call_command("export_documents", "--year", "2024")
    titles = [d["title"] for d in json.loads(capsys.readouterr().out)]
    assert titles == ["도시농업 활성화 지원", "사회적경제지원센터 운영"]


def test_export_command_round_trips_through_import(stored_samples, tmp_path):
    out = tmp_path / "all.json"
    call_command("export_documents", "-o", str(out))
    before = exported()
    ProgramYear.objects.all().delete()
    call_command("import_documents", str(out))
    assert exported() == before


def test_the_identities_a_stored_year_breaks_are_kept_with_it(sample_document):
    sample_document["schedule"][1]["amount"] = 2500000
    [year] = store_documents([sample_document])
    year.refresh_from_db()
    assert year.check_errors == ["추진일정: 예산집행금액 합계 3,219,000 ≠ 예산액(B) 3,296,216"]


def test_reimporting_a_corrected_document_clears_its_errors(sample_document):
    broken = copy.deepcopy(sample_document)
    broken["schedule"][1]["amount"] = 2500000
    store_documents([broken])
    [year] = store_documents([sample_document])
    year.refresh_from_db()
    assert year.check_errors == []


def test_a_stored_year_keeps_its_totals_last_settlement_and_contract_end(sample_document):
    [year] = store_documents([sample_document])
    year.refresh_from_db()
    assert (year.budget_prior, year.budget_current) == (2996971, 3296216)
    assert (year.settled_year, year.settled_executed, year.settled_available) == (
        2022,
        4291758,
        4822583,
    )
    assert str(year.contract_end) == "2024-01-22"


def test_refresh_derived_follows_edits_of_the_sections(stored_samples):
    year = stored_samples[0]
    year.budget_lines.filter(category="시설비").update(current=70000)
    year.settlements.filter(year=2022).delete()
    refresh_derived([year.pk])
    year.refresh_from_db()
    assert year.budget_current == 3301216
    assert year.settled_year == 2021
    assert "추진일정: 예산집행금액 합계 3,296,216 ≠ 예산액(B) 3,301,216" in year.check_errors


def test_schedule_words_that_fix_no_months_are_kept(db):
    text = (ROOT / "tests" / "documents" / "203_senior_digital_education.txt").read_bytes()
    [document] = read_documents("203.txt", text)
    [step] = [s for s in document["schedule"] if s.get("period_text")]
    [year] = store_documents([document])
    [stored] = [s for s in export_document(year)["schedule"] if s["task"] == step["task"]]
    assert (stored["period_text"], stored["start"], stored["end"]) == ("수시", None, None)


def test_cost_items_of_any_depth_are_stored_and_exported_as_read(db):
    text = (ROOT / "tests" / "documents" / "203_senior_digital_education.txt").read_bytes()
    [document] = read_documents("203.txt", text)
    third_level = [
        part["name"]
        for group in document["cost_basis"]
        for item in group["items"]
        for child in item["children"]
        for part in child["children"]
    ]
    assert third_level  # the document nests three levels
    [year] = store_documents([document])
    assert export_document(year)["cost_basis"] == document["cost_basis"]
    stored = {item.name: item.depth for item in year.cost_items.all()}
    assert [stored[name] for name in third_level] == [2] * len(third_level)


def test_a_part_of_a_part_that_does_not_add_up_is_found(sample_document):
    from programs.checks import check_document

    item = sample_document["cost_basis"][1]["items"][2]["children"][0]
    item["children"] = [{"name": "세부", "amount_won": 1000, "children": []}]
    rules = [f.rule for f in check_document(sample_document) if f.severity == "error"]
    assert rules == ["item_sum"]


@pytest.mark.parametrize("count", [3, 9])
def test_storing_many_documents_takes_the_same_queries_whatever_their_number(
    sample_document, count, django_assert_max_num_queries
):
    store_documents([sample_document])  # its department exists from here on
    documents = [grown(sample_document, 1, f"다른 사업 {i}") for i in range(count)]
    # The savepoint; the departments and programs looked up in one; the programs, the years
    # and their history records; one INSERT for each of the 11 sections; the departments'
    # year totals (six); the register columns (two); the pages' data version; the release.
    with django_assert_max_num_queries(26):
        years = store_documents(documents)
    assert [year.program.title for year in years] == [f"다른 사업 {i}" for i in range(count)]
    assert ProgramYear.objects.count() == count + 1


def test_a_file_with_a_year_twice_stores_the_later_over_the_earlier(sample_document):
    changed = copy.deepcopy(sample_document)
    changed["purpose"] = "바뀐 목적"
    first, second = store_documents([sample_document, changed])
    assert first.pk == second.pk
    year = ProgramYear.objects.get()
    assert (year.purpose, year.version) == ("바뀐 목적", 2)
    assert list(year.revisions.order_by("history_id").values_list("history_type", flat=True)) == [
        "+",
        "~",
    ]
