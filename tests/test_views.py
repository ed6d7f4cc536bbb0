import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_requires_login(client):
    response = client.get(reverse("programs:index"))
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


def test_index_lists_the_stored_years_with_their_budget(client, django_user_model, stored_samples):
    client.force_login(django_user_model.objects.create_user("kim", password="x"))
    page = client.get(reverse("programs:index")).content.decode()
    assert "청년 주거비 지원" in page
    assert "10,000,000" in page
    assert "<td>2025</td>" in page  # a year, not "2,025"


def test_index_runs_a_constant_number_of_queries(
    client, django_user_model, stored_samples, django_assert_max_num_queries
):
    client.force_login(django_user_model.objects.create_user("kim", password="x"))
    # session, user, program years with their department and budget
    with django_assert_max_num_queries(3):
        client.get(reverse("programs:index"))
