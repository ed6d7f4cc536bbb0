"""Pages cached until the data changes (issue 18, `programs.page_cache`): a write through
`programs.store` or a rename in the admin shows at the next request, on every server."""

import copy
import datetime
import re

import pytest
from django.core.cache import cache, caches
from django.urls import reverse

from programs import page_cache, store
from programs.models import DataVersion, Program, ProgramYear
from programs.store import store_documents

from .conftest import TODAY
from .test_admin import change_url, form_data
from .test_pages import page
from .test_reports import without_tokens

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_today")]

ONE_DAY = datetime.timedelta(days=1)
OVERVIEW = reverse("programs:overview") + "?year=2024"


def test_the_overview_is_the_same_from_the_cache(user_client, stored_samples):
    rendered = without_tokens(page(user_client, OVERVIEW))
    assert without_tokens(page(user_client, OVERVIEW)) == rendered  # from the cache
    cache.clear()
    assert without_tokens(page(user_client, OVERVIEW)) == rendered


@pytest.mark.parametrize("count", [3, 30])
def test_the_cached_overview_runs_a_few_queries_whatever_the_size(
    user_client, make_program_years, django_assert_max_num_queries, count
):
    make_program_years(count)
    page(user_client, OVERVIEW)
    # session, user, the data's version; the contracts due (and their count when more end
    # than are shown): the documents per year and the body come from the cache
    with django_assert_max_num_queries(5):
        html = page(user_client, OVERVIEW)
    assert f'사업 수</dt><dd><a href="/programs/?year=2024">{count}</a>' in html


def test_an_import_shows_on_the_overview_at_once(user_client, stored_samples, sample_document):
    assert "1,234,567" not in page(user_client, OVERVIEW)  # rendered and cached
    kept = set(cache._cache)
    changed = copy.deepcopy(sample_document)
    changed["budget_summary"][0]["current"] = 1234567
    store_documents([changed])
    assert "1,234,567" in page(user_client, OVERVIEW)
    # What was cached is still there, as in another server's memory: it is not read, since
    # the version is read from the database.
    assert kept <= set(cache._cache)


def test_an_admin_save_shows_on_the_overview_at_once(admin_client, stored_samples):
    year = ProgramYear.objects.get(program__title="사회적경제지원센터 운영")
    assert "7,654,321" not in page(admin_client, OVERVIEW)
    data = form_data(admin_client.get(change_url(year)))
    data["budget_lines-0-current"] = "7654321"
    assert admin_client.post(change_url(year), data).status_code == 302
    assert "7,654,321" in page(admin_client, OVERVIEW)


def test_a_deletion_shows_on_the_overview_at_once(user_client, stored_samples, admin_user):
    assert "사회적경제지원센터 운영" in page(user_client, OVERVIEW)
    store.delete_years(
        ProgramYear.objects.filter(program__title="사회적경제지원센터 운영"), admin_user
    )
    assert "사회적경제지원센터 운영" not in page(user_client, OVERVIEW)


def test_a_program_renamed_in_the_admin_shows_at_once(admin_client, stored_samples):
    program = Program.objects.get(title="사회적경제지원센터 운영")
    assert "이름을 바꾼 사업" not in page(admin_client, OVERVIEW)
    url = reverse("admin:programs_program_change", args=[program.pk])
    data = form_data(admin_client.get(url)) | {"title": "이름을 바꾼 사업"}
    assert admin_client.post(url, data).status_code == 302
    assert "이름을 바꾼 사업" in page(admin_client, OVERVIEW)


def test_without_a_stored_version_nothing_is_cached(user_client, stored_samples):
    DataVersion.objects.all().delete()
    page(user_client, OVERVIEW)
    assert not cache._cache
    page_cache.bump()  # the next write stores one again
    page(user_client, OVERVIEW)
    assert cache._cache


LIST = reverse("programs:list")
EVERY_YEAR = LIST + "?year="


def test_the_lists_count_totals_and_search_years_follow_an_import(
    user_client, stored_samples, sample_document
):
    before = page(user_client, LIST + "?year=2024")
    searched = page(user_client, LIST + "?year=2024&q=사회적경제")
    assert "2건" in before and "2024년에 1건" in searched  # rendered and cached
    added = copy.deepcopy(sample_document) | {"title": "사회적경제 새 사업"}
    store_documents([added])
    assert "3건" in page(user_client, LIST + "?year=2024")
    assert "2024년에 2건" in page(user_client, LIST + "?year=2024&q=사회적경제")


def test_the_lists_choices_follow_a_department_renamed_in_the_admin(admin_client, stored_samples):
    department = Program.objects.get(title="사회적경제지원센터 운영").department
    assert "새이름국" not in page(admin_client, LIST)
    url = reverse("admin:programs_department_change", args=[department.pk])
    data = form_data(admin_client.get(url)) | {"bureau": "새이름국"}
    assert admin_client.post(url, data).status_code == 302
    html = page(admin_client, LIST)
    assert (
        '<option value="새이름국">' in html and f'<option value="{department.pk}">새이름국 ' in html
    )


@pytest.mark.parametrize("count", [3, 60])
def test_the_cached_list_runs_a_few_queries_whatever_the_size(
    user_client, make_program_years, django_assert_max_num_queries, count
):
    make_program_years(count)
    page(user_client, LIST + "?sort=-execution_rate")
    # session, user, the data's version, the page's rows: the documents per year, the
    # filters' choices, the count and totals come from the cache
    with django_assert_max_num_queries(4):
        html = page(user_client, LIST + "?sort=-execution_rate&page=2")
    assert f"{count}건" in html


def test_the_cached_list_body_is_the_same_and_runs_three_queries(
    user_client, stored_samples, django_assert_max_num_queries
):
    url = LIST + "?year=&sort=-change&q=지원"
    rendered = without_tokens(page(user_client, url))
    # session, user, the data's version: the body (filters, count, rows) comes from the cache
    with django_assert_max_num_queries(3):
        assert without_tokens(page(user_client, url)) == rendered
    cache.clear()
    assert without_tokens(page(user_client, url)) == rendered


@pytest.mark.parametrize("count", [3, 60])
def test_the_list_read_again_runs_three_queries_whatever_the_size(
    user_client, make_program_years, django_assert_max_num_queries, count
):
    make_program_years(count)
    page(user_client, LIST + "?page=2&per_page=2")
    with django_assert_max_num_queries(3):
        html = page(user_client, LIST + "?page=2&per_page=2")
    assert f"{count}건" in html


def test_the_cached_list_body_follows_an_admin_save_and_a_deletion(
    admin_client, stored_samples, admin_user
):
    year = ProgramYear.objects.get(program__title="사회적경제지원센터 운영")
    page(admin_client, EVERY_YEAR)  # rendered and cached
    data = form_data(admin_client.get(change_url(year)))
    data["budget_lines-0-current"] = "7654321"
    assert admin_client.post(change_url(year), data).status_code == 302
    total = ProgramYear.objects.for_list().get(pk=year.pk).current
    assert f"{total:,}" in page(admin_client, EVERY_YEAR)
    store.delete_years(ProgramYear.objects.filter(pk=year.pk), admin_user)
    assert "사회적경제지원센터 운영" not in page(admin_client, EVERY_YEAR)


def program_urls(year: ProgramYear) -> list[str]:
    """The program page and its printed report, of `year`."""
    return [
        reverse(name, args=[year.program_id]) + f"?year={year.fiscal_year}"
        for name in ("programs:detail", "programs:report")
    ]


@pytest.mark.parametrize("count", [2, 8])
def test_the_program_page_and_report_read_again_run_four_queries(
    user_client, make_program_years, django_assert_max_num_queries, count
):
    [latest, *_] = make_program_years(count, one_program=True)
    for url in program_urls(latest):
        rendered = without_tokens(page(user_client, url))
        # session, user, the program's years, the documents per year: the body or sheet
        # comes from the cache
        with django_assert_max_num_queries(4):
            assert without_tokens(page(user_client, url)) == rendered
        caches["sheets"].clear()
        assert without_tokens(page(user_client, url)) == rendered


def test_the_cached_program_page_and_report_follow_an_import(
    user_client, stored_samples, sample_document
):
    year = ProgramYear.objects.get(program__title="사회적경제지원센터 운영")
    urls = program_urls(year)
    assert all("1,234,567" not in page(user_client, url) for url in urls)
    changed = copy.deepcopy(sample_document)
    changed["budget_summary"][0]["current"] = 1234567
    store_documents([changed])
    assert all("1,234,567" in page(user_client, url) for url in urls)


def test_the_cached_program_page_and_report_follow_an_admin_save(admin_client, stored_samples):
    year = ProgramYear.objects.get(program__title="사회적경제지원센터 운영")
    urls = program_urls(year)
    assert all("7,654,321" not in page(admin_client, url) for url in urls)
    data = form_data(admin_client.get(change_url(year)))
    data["budget_lines-0-current"] = "7654321"
    assert admin_client.post(change_url(year), data).status_code == 302
    assert all("7,654,321" in page(admin_client, url) for url in urls)


def test_the_cached_program_page_shows_each_user_their_edit_link(
    client, admin_client, stored_samples, django_user_model
):
    year = ProgramYear.objects.get(program__title="사회적경제지원센터 운영")
    [url, _report] = program_urls(year)
    assert "관리 화면에서 수정" in page(admin_client, url)  # rendered and cached
    client.force_login(django_user_model.objects.create_user("kim"))
    assert "관리 화면에서 수정" not in page(client, url)


def test_the_cached_program_page_counts_the_days_from_each_day(
    user_client, stored_samples, monkeypatch
):
    year = ProgramYear.objects.get(program__title="사회적경제지원센터 운영")
    [url, report] = program_urls(year)
    days = re.compile(r'<span class="pct">\(([\d,]+)일 전\)</span>')
    first = int(days.search(page(user_client, url))[1].replace(",", ""))
    assert "출력 2026.11.27" in page(user_client, report)
    monkeypatch.setattr("programs.views.timezone.localdate", lambda: TODAY + ONE_DAY)
    assert int(days.search(page(user_client, url))[1].replace(",", "")) == first + 1
    assert "출력 2026.11.28" in page(user_client, report)
