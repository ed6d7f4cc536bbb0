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
