import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_requires_login(client):
    response = client.get(reverse("programs:overview"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_korean_and_public(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="ko">' in page
    assert "아이디" in page and "비밀번호" in page


def test_a_wrong_password_is_explained(client, django_user_model):
    django_user_model.objects.create_user("kim", password="right-password-1")
    response = client.post(reverse("login"), {"username": "kim", "password": "wrong"})
    assert "아이디 또는 비밀번호가 맞지 않습니다." in response.content.decode()


@pytest.mark.parametrize(
    "words", ["판로", "동의안 가결", "협동조합지원센터활성화조례"]
)  # 사업내용, 추진경위, 사업근거
def test_a_searchs_years_count_matches_in_the_section_texts(user_client, stored_samples, words):
    """The matches per year are found by reading each section table once (`every_year`)."""
    response = user_client.get(f"{reverse('programs:list')}?year=2024&q={words}")
    assert "2024년에 1건" in response.content.decode()
