"""Requests that ask for too much are bounded with a message, never a 500 (DEBUG off)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from programs.filters import SEARCH_MAX_WORDS
from programs.views import MAX_PER_PAGE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stored_samples")]

LIST = reverse("programs:list")
WORDS = " ".join(f"낱말{n}" for n in range(1000))


@pytest.mark.parametrize("per_page", ["-1", "0", "99999999999999999999"])
@pytest.mark.parametrize("export", [{}, {"_export": "csv"}])
@override_settings(DEBUG=False)
def test_a_page_size_out_of_bounds_is_clamped(user_client, per_page, export):
    response = user_client.get(LIST, {"per_page": per_page, "year": "", **export})
    assert response.status_code == 200
    if not export:
        assert response.context["table"].paginator.per_page in (1, MAX_PER_PAGE)


@pytest.mark.parametrize(
    ("q", "message"),
    [
        (WORDS, f"검색어는 {SEARCH_MAX_WORDS}단어까지입니다 (1,000단어)."),
        ("가" * 5000, "검색어는 200자까지입니다 (5,000자)."),
    ],
)
@override_settings(DEBUG=False)
def test_a_search_too_long_is_refused_with_a_message(user_client, admin_client, q, message):
    response = user_client.get(LIST, {"q": q})
    assert response.status_code == 200
    assert message in response.content.decode()
    for model in ("programyear", "program", "department"):
        response = admin_client.get(reverse(f"admin:programs_{model}_changelist"), {"q": q})
        assert response.status_code == 200
        assert message in response.content.decode()


def test_a_search_within_the_bounds_still_finds(user_client):
    words = "사회적경제지원센터 운영"
    response = user_client.get(LIST, {"q": words, "year": ""})
    assert "사회적경제지원센터 운영" in response.content.decode()
