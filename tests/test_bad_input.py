"""Bad input tried: absurd numbers, inverted dates, over-long text are refused everywhere they
can be entered; markup and formula-like text are shown as the text they are everywhere."""

import copy
import csv
import io
import json
import re
from urllib.parse import quote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs.documents import DocumentError
from programs.models import Department, Program, ProgramYear
from programs.store import store_documents

from .test_admin import change_url, form_data

pytestmark = pytest.mark.django_db

ABSURD = 10**20


# ---------------------------------------------------------------- refused on import


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.update(fiscal_year=ABSURD), "fiscal_year:"),
        (lambda d: d["funding"].update(national=-1), "funding.national:"),
        (lambda d: d["funding"].update(city=ABSURD), "funding.city:"),
        (lambda d: d["period"].update(start_year=ABSURD), "period.start_year:"),
        (lambda d: d["period"].update(start_year=2030, end_year=2020), "period.end_year:"),
        (lambda d: d["budget_summary"][0].update(prior=ABSURD), "budget_summary[0].prior:"),
        (lambda d: d["budget_summary"][0].update(current=-ABSURD), "budget_summary[0].current:"),
        (
            lambda d: d["cost_basis"][0]["items"][0].update(amount_won=ABSURD),
            "cost_basis[0].items[0].amount_won:",
        ),
        (lambda d: d["schedule"][0].update(amount=ABSURD), "schedule[0].amount:"),
        (
            lambda d: d["schedule"][0].update(start="2024-09", end="2024-01"),
            "schedule[0].end:",
        ),
        (lambda d: d["contracts"][0].update(term_years=ABSURD), "contracts[0].term_years:"),
        (
            lambda d: d["contracts"][0].update(start="2030-01-01", end="2020-01-01"),
            "contracts[0].end:",
        ),
        (
            lambda d: d["history"][0].update(date="2020-05", end_date="2019-01"),
            "history[0].end_date:",
        ),
        (lambda d: d["history"][0].update(date="2020-02-30"), "history[0].date:"),
        (lambda d: d["performance"][0].update(year=ABSURD), "performance[0].year:"),
        (
            lambda d: d["settlements"][0].update(budget_change=-ABSURD),
            "settlements[0].budget_change:",
        ),
        (
            lambda d: d["settlements"][0]["national"].update(executed=ABSURD),
            "settlements[0].national.executed:",
        ),
        (lambda d: d.update(title="가" * 201), "title:"),
        (lambda d: d.update(overview="가" * 5001), "overview:"),
        (lambda d: d.update(purpose="가" * 5001), "purpose:"),
        (lambda d: d["officers"][0].update(director="가" * 51), "officers[0].director:"),
        (lambda d: d["officers"][0].update(department="가" * 101), "officers[0]"),
        (
            lambda d: d["budget_summary"][0].update(category="가" * 101),
            "budget_summary[0].category",
        ),
        (
            lambda d: d["cost_basis"][0]["items"][0].update(name="가" * 301),
            "cost_basis[0].items[0].name",
        ),
        (lambda d: d["legal_basis"][0].update(name="가" * 301), "legal_basis[0].name:"),
        (lambda d: d["activities"].insert(0, "가" * 501), "activities[0]: 이 값이 최대 500"),
        (lambda d: d["performance"][0].update(text="가" * 5001), "performance[0].text:"),
        (lambda d: d["history"][0].update(text="가\x00나"), "history[0].text: 널 문자"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_an_import_refuses_what_cannot_be_true(sample_document, change, where):
    bad = copy.deepcopy(sample_document)
    change(bad)
    with pytest.raises(DocumentError) as error:
        store_documents([bad])
    assert str(error.value).startswith(where)
    assert ProgramYear.objects.count() == 0


def test_the_admin_import_page_refuses_an_absurd_number(admin_client, sample_document):
    sample_document["budget_summary"][0]["current"] = ABSURD
    data = json.dumps(sample_document, ensure_ascii=False).encode()
    response = admin_client.post(
        reverse("admin:programs_programyear_import"),
        {"file": SimpleUploadedFile("a.json", data)},
        follow=True,
    )
    assert "a.json: budget_summary[0].current:" in response.content.decode()
    assert ProgramYear.objects.count() == 0


# ---------------------------------------------------------------- refused in the admin


# (field posted, value, field that shows the error): every kind of form on the change page,
# one bad value a row, all in one post; each must be refused on its own field.
BAD_FORM_VALUES = [
    ("fiscal_year", str(ABSURD), "fiscal_year"),
    ("funding_national", "-1", "funding_national"),
    ("funding_city", str(ABSURD), "funding_city"),
    ("period_start_year", "99999", "period_start_year"),
    ("overview", "가" * 5001, "overview"),
    ("purpose", "가" * 5001, "purpose"),
    ("delivery_method", "가" * 301, "delivery_method"),
    ("officers-0-director", "가" * 51, "officers-0-director"),
    ("officers-1-position", str(ABSURD), "officers-1-position"),
    ("budget_lines-0-current", str(ABSURD), "budget_lines-0-current"),
    ("budget_lines-1-prior_national", "-5", "budget_lines-1-prior_national"),
    ("cost_items-0-amount_won", str(ABSURD), "cost_items-0-amount_won"),
    ("cost_items-1-name", "가" * 301, "cost_items-1-name"),
    ("legal_bases-0-articles", "가" * 301, "legal_bases-0-articles"),
    ("activities-0-text", "가" * 501, "activities-0-text"),
    ("history-0-date", "2012-02-30", "history-0-date"),
    ("history-1-end_date", "2001-01", "history-1-end_date"),
    ("contracts-0-term_years", str(ABSURD), "contracts-0-term_years"),
    ("contracts-1-start", "2999-01-01", "contracts-1-end"),
    ("schedule-0-start", "2024-12", "schedule-0-end"),
    ("schedule-1-amount", str(-ABSURD), "schedule-1-amount"),
    ("performance-0-year", str(ABSURD), "performance-0-year"),
    ("performance-1-text", "가" * 5001, "performance-1-text"),
    ("expected_effects-0-text", "가" * 501, "expected_effects-0-text"),
    ("settlements-0-budget_change", str(-ABSURD), "settlements-0-budget_change"),
    ("settlements-1-national_unspent", str(ABSURD), "settlements-1-national_unspent"),
]


def field_errors(response) -> dict[str, list[str]]:
    """The errors of the change page's forms, by the name their fields are posted under."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += list(inline.formset.forms)
    return {
        form.add_prefix(name): list(errors)
        for form in forms
        for name, errors in form.errors.items()
    }


def test_the_change_form_refuses_what_cannot_be_true(admin_client, stored_samples):
    year = stored_samples[0]
    before = export(year)
    data = form_data(admin_client.get(change_url(year)))
    for field, value, _shown_on in BAD_FORM_VALUES:
        assert field in data or field.endswith("end_date"), field
        data[field] = value
    response = admin_client.post(change_url(year), data)
    assert response.status_code == 200
    errors = field_errors(response)
    for field, value, shown_on in BAD_FORM_VALUES:
        assert errors.get(shown_on), f"{field}={value[:30]} was not refused"
    assert export(year) == before


@pytest.mark.parametrize(
    ("url", "data"),
    [
        (reverse("admin:programs_program_add"), {"title": "가" * 201}),
        (reverse("admin:programs_department_add"), {"bureau": "국", "name": "가" * 101}),
    ],
)
def test_the_other_forms_refuse_over_long_text(admin_client, stored_samples, url, data):
    department = Department.objects.first()
    data = {
        "department": department.pk,
        "bureau": "국",
        "name": "부서",
        "years-TOTAL_FORMS": "0",
        "years-INITIAL_FORMS": "0",
        **data,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert Program.objects.count() == 3 and Department.objects.count() == 3


def export(year: ProgramYear) -> dict:
    from programs.documents import export_document

    return export_document(ProgramYear.objects.with_sections().get(pk=year.pk))


# ---------------------------------------------------------------- markup and formulas

NOT_TEXT = {"format", "date", "end_date", "signed", "start", "end"}
LEADS = ("=", "+", "-", "@")


def hostile(document: dict) -> dict:
    """The document with every text replaced by markup that starts like a formula:
    `=<script>x7</script>`; distinct, so that a category stays unique."""
    counter = iter(range(10_000))

    def text() -> str:
        n = next(counter)
        return f"{LEADS[n % 4]}<script>x{n}</script>"

    def walk(value, key=None):
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(item, key) for item in value]
        if isinstance(value, str) and key not in NOT_TEXT:
            return text()
        return value

    document = walk(copy.deepcopy(document))
    for key in ("overview", "purpose", "delivery_method", "account", "period_type"):
        document[key] = text()
    for step in document["schedule"]:  # a key the sample does not use
        step["period_text"] = text()
    return document


RAW = re.compile(r"<script>x\d+</script>")


@pytest.fixture
def stored_hostile(sample_document, admin_user):
    document = hostile(sample_document)
    [year] = store_documents([document], user=admin_user)
    return year, document


def assert_escaped(html: str, *shown: str) -> None:
    assert not RAW.search(html), RAW.search(html).group(0)
    for text in shown:
        assert text.replace("<", "&lt;").replace(">", "&gt;") in html, text


def test_every_text_field_of_every_model_was_made_hostile(stored_hostile):
    year, _document = stored_hostile
    from programs.models import SECTION_RELATIONS

    year = ProgramYear.objects.with_sections().get(pk=year.pk)
    texts = [year.program.title, year.program.department.bureau, year.program.department.name]
    texts += [year.overview, year.purpose, year.account, year.delivery_method, year.period_type]
    for relation in SECTION_RELATIONS:
        for row in getattr(year, relation).all():
            for field in row._meta.concrete_fields:
                value = getattr(row, field.attname)
                if isinstance(value, str) and field.name not in NOT_TEXT:
                    texts.append(value)
    assert texts and all(RAW.search(text) for text in texts)
    assert len(texts) > 60


def test_pages_show_markup_as_text(admin_client, stored_hostile):
    year, document = stored_hostile
    title = document["title"]
    document_bureau = document["officers"][0]["bureau"]
    detail = reverse("programs:detail", args=[year.program_id])
    pages = {
        reverse("programs:overview") + "?year=2024": [title],
        reverse("programs:list") + "?year=": [title, document["account"]],
        detail: [title, document["overview"], document["history"][0]["text"]],
        change_url(year): [title],
        reverse("admin:programs_programyear_changelist"): [title],
        reverse("admin:programs_programyear_history", args=[year.pk]): [],
        reverse("programs:report", args=[year.program_id]): [title],
        reverse("programs:department_report", args=[year.program.department_id]): [title],
        reverse("programs:bureau_report") + f"?year=2024&name={quote(document_bureau)}": [],
    }
    for url, shown in pages.items():
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode(), *shown)


def test_chart_data_is_json_that_cannot_close_its_script(admin_client, stored_hostile):
    year, _document = stored_hostile
    for url in (
        reverse("programs:overview") + "?year=2024",
        reverse("programs:detail", args=[year.program_id]),
    ):
        html = admin_client.get(url).content.decode()
        blocks = re.findall(r'<script id="([^"]+)" type="application/json">(.*?)</script>', html)
        assert blocks, url
        data = " ".join(json.dumps(json.loads(block)) for _id, block in blocks)
        assert "<script>x" in data  # the labels are there, as data
        assert all("<script" not in block for _id, block in blocks)


def test_the_import_preview_shows_markup_as_text(admin_client, sample_document):
    document = hostile(sample_document)
    data = json.dumps(document, ensure_ascii=False).encode()
    response = admin_client.post(
        reverse("admin:programs_programyear_import"),
        {"file": SimpleUploadedFile("h.json", data)},
        follow=True,
    )
    assert_escaped(response.content.decode(), document["title"], document["purpose"])


def test_downloads_write_formula_like_text_as_text(admin_client, stored_hostile):
    _year, document = stored_hostile
    url = reverse("programs:list") + "?year="
    content = admin_client.get(url + "&_export=csv").content.decode().removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(content)))
    header, row = rows[0], rows[1]
    assert row[header.index("사업명")] == "'" + document["title"]
    assert row[header.index("회계")] == "'" + document["account"]

    content = admin_client.get(url + "&_export=xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("사업명") + 1)
    assert (cell.value, cell.data_type) == (document["title"], "s")
    assert_no_formulas(content)


def assert_no_formulas(content: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}: {cell.value}"


def test_report_workbooks_write_formula_like_text_as_text(admin_client, stored_hostile):
    year, _document = stored_hostile
    for url in (
        reverse("programs:xlsx", args=[year.program_id]),
        reverse("programs:department_xlsx", args=[year.program.department_id]),
        reverse("programs:bureau_xlsx")
        + f"?year=2024&name={quote(year.program.department.bureau)}",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_no_formulas(response.content)
