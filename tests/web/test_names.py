"""Names with a bidirectional embedding, override or isolate control (U+202A–U+202E,
U+2066–U+2069) are refused, each control named, wherever a name enters: the forms
for entities, candidates and users, and the rows of candidate-list, geography and
station files (docs/decisions/0019-logos-and-names.md)."""

from __future__ import annotations

import pytest
from django.utils import translation

from shafaf.access.roles import Role
from shafaf.accounts.models import User
from shafaf.elections import actions
from shafaf.entities.models import Candidate, Entity
from shafaf.tabular import ImportRejected
from tests.web.test_imports import GEOGRAPHY, KIRKUK_ONLY, import_stations, where
from tests.web.test_nominations import HEADER, _new_list, _rows, _upload, registered

__all__ = ["registered"]  # a fixture, used by name

# Shown as "ت ق د م ‮7102": reads as another name, or turns a number round.
SPOOF = "حزب تقدم \u202e2017"
RLO = "U+202E RIGHT-TO-LEFT OVERRIDE is not allowed in a name"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("field", ["name_ar", "name_ckb", "name_en"])
def test_the_registration_form_refuses_a_control_in_any_name(client, election, users, field):
    client.force_login(users[Role.ADMIN])
    data = {"election": election.pk, "kind": "party", "code": "taqaddum", "name_ar": "حزب تقدم"}
    response = client.post("/staff/entities/", {**data, field: SPOOF},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert RLO in response.content.decode()
    assert not Entity.objects.exists()


def test_the_marks_of_ordinary_arabic_text_are_kept(client, election, users):
    client.force_login(users[Role.ADMIN])
    name = "حزب\u200f 17 تقدم"  # a right-to-left mark keeps the number in its place
    response = client.post("/staff/entities/", {
        "election": election.pk, "kind": "party", "code": "taqaddum", "name_ar": name})
    assert response.status_code == 302
    assert Entity.objects.get().name_ar == name


def test_the_candidate_form_refuses_an_isolate_in_the_mothers_name(client, users, registered):
    nomination = _new_list(client, users, registered["own"])
    response = client.post(f"/staff/nominations/{nomination.pk}/", {
        "step": "add", "position": "1", "name_ar": "علي حسين جاسم محمد",
        "mother_name_ar": "فاطمة \u2067حسن\u2069", "sex": "M", "date_of_birth": "1980-01-01",
        "education": "bachelor"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "U+2067 RIGHT-TO-LEFT ISOLATE is not allowed in a name" in response.content.decode()
    assert not Candidate.objects.exists()


def test_the_users_page_refuses_a_control_in_a_full_name(client, users):
    client.force_login(users[Role.ADMIN])
    response = client.post("/staff/users/", {
        "username": "spoof", "full_name": "Ali \u202dHassan", "role": Role.OBSERVER.value,
        "password": "a-long-passphrase-9"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "U+202D LEFT-TO-RIGHT OVERRIDE is not allowed in a name" in response.content.decode()
    assert not User.objects.filter(username="spoof").exists()


def test_a_candidate_list_row_with_a_control_is_a_problem_on_its_row(client, users, registered):
    nomination = _new_list(client, users, registered["own"])
    rows = _rows(8).splitlines(keepends=True)
    rows[2] = rows[2].replace("الجبوري", "\u202bالجبوري\u202c")  # row 4, its surname
    client.cookies["shafaf_language"] = "en"
    response = _upload(client, nomination, HEADER + "".join(rows))
    page = response.content.decode()
    assert ("list.csv, row 4, column surname_ar: U+202B RIGHT-TO-LEFT EMBEDDING is not "
            "allowed in a name") in page
    assert "row 3" not in page
    assert not nomination.candidates.exists()


@pytest.fixture
def geography(election):
    actions.import_geography(actor=None, name="geography.csv", content=GEOGRAPHY.encode())
    return election


def test_a_station_row_with_a_control_in_a_centre_name_is_refused(geography):
    spoofed = KIRKUK_ONLY.replace("Al-Nour school", "Al-Nour \u2066school\u2069")
    with translation.override("en"), pytest.raises(ImportRejected) as rejected:
        import_stations(spoofed, election=geography)
    assert where(rejected) == {
        (4, "centre_name_en"): "U+2066 LEFT-TO-RIGHT ISOLATE is not allowed in a name"}


def test_a_geography_row_with_a_control_in_a_district_name_is_refused(election):
    spoofed = GEOGRAPHY.replace("قضاء البصرة", "قضاء \u202eالبصرة")
    with translation.override("en"), pytest.raises(ImportRejected) as rejected:
        actions.import_geography(actor=None, name="geography.csv", content=spoofed.encode())
    assert where(rejected) == {(4, "district_name_ar"): RLO}
