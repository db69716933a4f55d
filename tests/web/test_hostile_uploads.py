"""Hostile requests and files on the web: a 4xx with a message, never a 500."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from shafaf.access.roles import Role
from shafaf.elections.models import PollingStation
from shafaf.refusals import problem_files
from tests.tabular import hostile
from tests.web import test_imports, test_nominations

# The fixtures of the import and list tests, shared.
geography = test_imports.geography
registered = test_nominations.registered
_new_list = test_nominations._new_list

STATIONS_HEADER = ("centre_code,centre_name_ar,sub_district_code,station_number,"
                   "registered_voters\n")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("page", ["/lottery/gc-2023/transcript.json",
                                  "/lottery/gc-2023/projector/"])
def test_a_draw_id_of_five_thousand_digits_is_no_draw(client, election, page):
    response = client.get(page, {"draw": "9" * 5000})
    assert response.status_code == 404


# --- the station import page --------------------------------------------------------


def upload_stations(client, election, content: bytes, name: str = "stations.csv"):
    return client.post("/staff/import/", {"what": "stations", "election": election.pk,
                                          "file": SimpleUploadedFile(name, content)})


def test_a_file_wrong_in_every_row_lists_a_thousand_and_offers_them_all(client, geography,
                                                                         users):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(users[Role.ADMIN])
    rows = "".join(f"KI{n:04d},مدرسة,KI-D1-S1,1,-{n}\n" for n in range(1, 3001))
    response = upload_stations(client, geography, (STATIONS_HEADER + rows).encode())
    assert response.status_code == 400
    html = response.content.decode()
    assert "3000 problems in the file. Nothing was written." in html
    assert len(re.findall(r"<td>-\d+ is negative</td>", html)) == 1000
    link = re.search(r'href="(/staff/problems/[\w-]+\.csv)" download', html)
    assert link, "the page offers the whole list"

    download = client.get(link.group(1))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="problems.csv"'
    listed = list(csv.reader(io.StringIO(b"".join(download.streaming_content)
                                         .decode("utf-8-sig"))))
    assert listed[0] == ["file", "row", "column", "problem"]
    assert len(listed) == 3001
    assert listed[-1] == ["stations.csv", "3001", "registered_voters", "-3000 is negative"]

    # Nobody else can fetch it, not even with the link.
    client.force_login(users[Role.OFFICE_MANAGER])
    assert client.get(link.group(1)).status_code == 404
    client.logout()
    assert client.get(link.group(1)).status_code == 302  # to the login page


def test_an_old_problems_file_is_gone(client, geography, users, monkeypatch):
    client.force_login(users[Role.ADMIN])
    response = upload_stations(client, geography, (STATIONS_HEADER + "KI1,م,KI-D1-S1,1,-1\n")
                               .encode())
    link = re.search(r'href="(/staff/problems/[\w-]+\.csv)" download',
                     response.content.decode()).group(1)
    monkeypatch.setattr(problem_files, "KEEP", -1)
    assert client.get(link).status_code == 404


def test_a_spreadsheet_bomb_on_the_import_page_is_a_400_with_the_reason(client, geography,
                                                                        users):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(users[Role.ADMIN])
    response = upload_stations(client, geography, hostile.two_million_rows(), "stations.xlsx")
    assert response.status_code == 400
    assert "it looks like a compression bomb, not a spreadsheet" in response.content.decode()
    assert not PollingStation.objects.exists()


def test_a_count_of_five_thousand_digits_is_a_problem_on_its_row(client, geography, users):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(users[Role.ADMIN])
    row = f"KI0001,مدرسة,KI-D1-S1,1,{'9' * 5000}\n"
    response = upload_stations(client, geography, (STATIONS_HEADER + row).encode())
    assert response.status_code == 400
    assert "99999999999999999999… is out of range" in response.content.decode()


# --- the candidate-list upload (open to party agents) ---------------------------------


def upload_list(client, nomination, content: bytes, name: str):
    return client.post(f"/staff/nominations/{nomination.pk}/", {
        "step": "upload", "file": SimpleUploadedFile(name, content)})


def test_the_issues_spreadsheet_bomb_is_refused_with_its_reason(client, users, registered):
    nomination = _new_list(client, users, registered["own"])
    client.cookies["shafaf_language"] = "en"
    content = hostile.two_million_rows()
    assert len(content) < 300_000
    response = upload_list(client, nomination, content, "list.xlsx")
    assert response.status_code == 400
    assert "compression bomb" in response.content.decode()
    assert not nomination.candidates.exists()


def test_the_agent_downloads_the_problems_and_another_agent_cannot(client, users, registered):
    nomination = _new_list(client, users, registered["own"])
    client.cookies["shafaf_language"] = "en"
    bad = "position,name_ar,mother_name_ar,sex,date_of_birth,education\n" + "".join(
        f"{'9' * 5000 if n == 1 else n},علي,أم,X,30/02/1970,phd\n" for n in range(1, 4))
    response = upload_list(client, nomination, bad.encode(), "list.csv")
    assert response.status_code == 400
    html = response.content.decode()
    assert "list.csv, row 2, column position: 99999999999999999999… is out of range" in html
    link = re.search(r'href="(/staff/problems/[\w-]+\.csv)" download', html).group(1)
    download = client.get(link)
    assert download.status_code == 200
    listed = list(csv.reader(io.StringIO(b"".join(download.streaming_content)
                                         .decode("utf-8-sig"))))
    assert listed[1][:3] == ["list.csv", "2", "position"]
    assert {row[1] for row in listed[1:]} == {"2", "3", "4"}
    client.force_login(registered["rival"])
    assert client.get(link).status_code == 404
    client.force_login(users[Role.ADMIN])  # who manages users, and helps them
    response = client.get(link)
    assert response.status_code == 200
    response.close()
