"""An import job in a real browser: several files chosen at once, the job's page, the preview,
the confirmation; no console error under the Content-Security-Policy."""

from django.urls import reverse

from programs.models import ImportJob, ProgramYear

from .conftest import SAMPLES
from .test_browser_admin import admin_tab, tab, visit  # noqa: F401 (fixtures)


def test_several_files_are_uploaded_previewed_and_stored(tab, live_server):  # noqa: F811
    visit(tab, live_server, reverse("admin:programs_programyear_import"))
    tab.set_input_files('input[type="file"]', [str(path) for path in SAMPLES])
    tab.get_by_role("button", name="올리고 읽기").click()
    tab.wait_for_url("**/import/*/")
    job = ImportJob.objects.get()
    assert tab.locator(".import-preview").count() == len(SAMPLES)
    assert tab.locator(".job-message").inner_text() == f"{len(SAMPLES)}건 읽음, 0건 읽지 못함"
    tab.get_by_role("button", name="저장").click()
    tab.wait_for_url(f"**/import/{job.pk}/")
    assert tab.locator(".job-message").inner_text() == f"{len(SAMPLES)}건 저장했습니다"
    assert ProgramYear.objects.count() == len(SAMPLES)
    assert tab.watch.problems == []
