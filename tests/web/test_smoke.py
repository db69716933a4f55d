"""The platform starts and its public pages answer, in Arabic by default."""

import pytest


@pytest.mark.django_db
def test_home_page_shows_the_election_in_arabic_right_to_left(client, election):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "انتخابات مجالس المحافظات 2023" in html


@pytest.mark.django_db
def test_openapi_is_published(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/elections/" in response.json()["paths"]
