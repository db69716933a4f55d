"""A NUL character (``%00``) anywhere in a request is refused with a 400 and a
sentence, on SQLite and on PostgreSQL alike (run this file with DATABASE_URL set for
the second): PostgreSQL cannot take a NUL, and the public pages below used to answer
it with a server error."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from shafaf.access.roles import Role
from shafaf.entities.synthetic import create_entities

NUL_MESSAGE = "null character"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def public(stations) -> str:
    """The election, with numbered lists in Kirkuk so its ballot exists."""
    create_entities(stations, lists={"IQ-KI": 2}, candidates_per_list=3, numbered=True)
    return stations.code


@pytest.fixture
def browser() -> Client:
    # The status a visitor would see, not the exception the test client re-raises.
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")


# The public URLs that answered %00 with a server error on PostgreSQL, each with the
# NUL in its path and in its query. {e} is the election's code.
PUBLIC = [
    "/candidates/?q=%00",
    "/candidates/?election={e}%00&governorate=IQ-KI",
    "/candidates/{e}/IQ-KI/?q=%00",
    "/candidates/{e}/IQ-KI%00/",
    "/candidates/{e}/candidates.csv?governorate=IQ-KI%00",
    "/candidates/{e}%00/candidates.csv",
    "/candidates/{e}/nist.json?governorate=%00",
    "/candidates/{e}%00/nist.json",
    "/api/entities/{e}/lists?q=%00",
    "/api/entities/{e}/lists?governorate=IQ-KI%00",
    "/api/entities/{e}%00/lists",
    "/api/elections/{e}%00",
    "/ballots/{e}/IQ-KI%00.pdf",
    "/ballots/{e}%00/IQ-KI.pdf",
    "/lottery/{e}%00/",
    "/lottery/verify/?x=%00",
    "/?%00=1",
]


@pytest.mark.parametrize("template", PUBLIC)
def test_a_nul_in_a_public_address_is_a_400_with_a_message(browser, public, template):
    url = template.format(e=public)
    response = browser.get(url)
    assert response.status_code == 400, url
    body = response.content.decode()
    assert NUL_MESSAGE in body
    if url.startswith("/api/"):
        assert response.json()["detail"].startswith("The address or the form")
    else:
        # The site's 400 page, with its ways back.
        assert 'class="error-page"' in body
        assert 'href="/"' in body


@pytest.mark.parametrize("template", [
    "/candidates/", "/candidates/{e}/IQ-KI/?q=x", "/candidates/{e}/candidates.csv",
    "/candidates/{e}/nist.json", "/api/entities/{e}/lists", "/api/elections/{e}",
])
def test_the_same_addresses_without_a_nul_are_served(browser, public, template):
    assert browser.get(template.format(e=public)).status_code == 200


@pytest.mark.parametrize("field", ["username", "password"])
def test_a_nul_in_the_login_form_is_a_400(browser, users, field):
    data = {"username": "admin", "password": "whatever-it-is", field: "ad\x00min"}
    response = browser.post("/accounts/login/", data)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in browser.session


def test_a_nul_in_a_multipart_text_field_is_a_400(browser, users):
    response = browser.post("/accounts/login/", {"username": "a\x00", "password": "x"},
                            format="multipart")
    assert response.status_code == 400


def test_a_nul_field_name_is_a_400(browser, users):
    response = browser.post("/accounts/login/", "user%00name=admin&password=x",
                            content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


def test_the_login_form_still_signs_in(browser, users):
    from tests.web.conftest import PASSWORD

    response = browser.post("/accounts/login/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("body", [
    '{"note": "a\\u0000b"}',
    '{"a\\u0000": 1}',
    '{"note": "\\\\\\u0000"}',
    b'{"note": "a\x00b"}',
])
def test_a_nul_in_a_json_body_is_a_400_in_json(browser, users, body):
    browser.force_login(users[Role.ADMIN])
    response = browser.post("/api/nominations/lists/1/submit", body,
                            content_type="application/json")
    assert response.status_code == 400
    assert NUL_MESSAGE in response.json()["detail"]


def test_an_escaped_backslash_before_u0000_is_not_a_nul(browser, users):
    """``"\\\\u0000"`` in JSON is the six characters \\u0000, not a NUL: passed on."""
    response = browser.post("/api/nominations/lists/1/submit", json.dumps({"n": "\\u0000"}),
                            content_type="application/json")
    assert response.status_code != 400


def test_a_nul_in_a_header_is_a_400(browser, public):
    response = browser.get("/candidates/", HTTP_COOKIE="sessionid=abc\x00def")
    assert response.status_code == 400


def test_a_nul_in_a_staff_page_query_is_a_400_before_login(browser, stations):
    response = browser.get("/staff/stations/?q=%00")
    assert response.status_code == 400


@pytest.mark.parametrize(("content_type", "body"), [
    ("multipart/form-data", b"no boundary"),
    ("multipart/form-data; boundary=", b"--\r\n"),
    ("multipart/form-data; boundary=abc",
     b'--abc\r\nContent-Disposition: form-data; name="username"\r\n\r\nad\x00min\r\n--abc--\r\n'),
    ("application/x-www-form-urlencoded", b"username=%ZZ&password=%00"),
])
def test_a_broken_or_nul_carrying_form_body_is_a_400(browser, users, content_type, body):
    """What the NUL check parses early, it refuses cleanly when it cannot parse it."""
    response = browser.generic("POST", "/accounts/login/", body, content_type=content_type)
    assert response.status_code == 400


def test_the_refusal_speaks_the_readers_language(public):
    arabic = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="ar")
    page = arabic.get("/candidates/?q=%00")
    assert page.status_code == 400
    assert "محرف فارغ" in page.content.decode()
    assert 'dir="rtl"' in page.content.decode()
    api = arabic.get(f"/api/elections/{public}%00")
    assert "محرف فارغ" in api.json()["detail"]
