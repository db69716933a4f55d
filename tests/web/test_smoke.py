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


@pytest.mark.django_db
def test_election_api_lists_each_contest_with_its_seats(client, election):
    response = client.get(f"/api/elections/{election.code}")
    assert response.status_code == 200
    contests = {c["governorate"]: c for c in response.json()["contests"]}
    baghdad = contests["IQ-BG"]
    assert (baghdad["name_ar"], baghdad["name_en"]) == ("بغداد", "Baghdad")
    # Baghdad's council in 2023: 49 general seats, one each for three components, and a
    # quarter of the 52 for women.
    assert baghdad["general_seats"] == 49
    assert {s["component"]: s["seats"] for s in baghdad["component_seats"]} == {
        "christian": 1, "sabean_mandaean": 1, "faili_kurd": 1}
    assert baghdad["women_quota"] == 13
