"""Where do I vote: ``POST /api/register/lookup`` and the page /register/where/.

Every failure (an unknown number, a wrong year, a voter removed) is one identical
answer; more than ten failures from one address in a minute are refused with 429 and
Retry-After, and a success never counts; the answer names the place, never the voter;
a hostile body is a 400 with a sentence. Run on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from shafaf.elections.models import PollingCentre, PollingStation
from shafaf.register import lookup as rule
from shafaf.register.models import LookupFailures, Status, Voter
from shafaf.web.content_policy import POLICY

URL = "/api/register/lookup"
NAMES = ("أحمد", "علي", "حسين", "الجبوري", "فاطمة كاظم")


def _voter(number: str, centre: PollingCentre, *, born: date = date(1980, 5, 1),
           station: PollingStation | None = None, status: str = Status.ACTIVE) -> Voter:
    now = timezone.now()
    return Voter.objects.create(
        voter_number=number, first_name=NAMES[0], father_name=NAMES[1],
        grandfather_name=NAMES[2], family_name=NAMES[3], mother_name=NAMES[4], sex="M",
        birth_date=born, governorate=centre.governorate, centre=centre, station=station,
        status=status, sort_key="x", created=now, updated=now)


@pytest.fixture(autouse=True)
def one_minute(monkeypatch):
    """The failures are counted per minute of the clock: the tests that fail eleven times
    do so within one, whenever they run (a real minute could turn between two lookups)."""
    monkeypatch.setattr(rule, "time", SimpleNamespace(time=lambda: 29_000_000 * 60 + 5.0))


@pytest.fixture
def register(stations):
    centre = PollingCentre.objects.get(code="KI0001")
    centre.address = "شارع الجمهورية، كركوك"
    centre.latitude, centre.longitude = Decimal("35.46806"), Decimal("44.39222")
    centre.name_ckb = "قوتابخانەی ١"
    centre.save()
    _voter("100000001", centre, station=centre.stations.get(number=3))
    _voter("100000002", PollingCentre.objects.get(code="KI0002"))  # no station yet
    _voter("100000003", centre, status=Status.REMOVED)
    return centre


def ask(client: Client, body: object, **headers: str):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(URL, data=data, content_type="application/json", **headers)


def test_a_voter_learns_the_centre_station_governorate_and_location(client, register):
    response = ask(client, {"voter_number": "100000001", "birth_year": 1980})
    assert response.status_code == 200
    assert response.json() == {
        "centre_code": "KI0001", "centre_name": "مدرسة 1", "station_number": 3,
        "governorate": {"code": "IQ-KI", "name": "كركوك"},
        "address": "شارع الجمهورية، كركوك", "latitude": 35.46806, "longitude": 44.39222}


def test_the_names_follow_the_requests_language(client, register):
    english = ask(client, {"voter_number": "100000001", "birth_year": 1980},
                  HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["centre_name"] == "School 1"
    assert english.json()["governorate"]["name"] == "Kirkuk"
    kurdish = ask(client, {"voter_number": "100000001", "birth_year": 1980},
                  HTTP_ACCEPT_LANGUAGE="ckb")
    assert kurdish.json()["centre_name"] == "قوتابخانەی ١"


def test_a_voter_without_a_station_yet_has_a_null_station(client, register):
    response = ask(client, {"voter_number": "100000002", "birth_year": 1980})
    assert response.status_code == 200
    body = response.json()
    assert body["station_number"] is None
    assert (body["address"], body["latitude"], body["longitude"]) == (None, None, None)


def test_no_personal_field_is_ever_in_the_answer(client, register):
    response = ask(client, {"voter_number": "100000001", "birth_year": 1980})
    text = response.content.decode()
    for personal in (*NAMES, "1980", "05-01", "general", "biometric", "100000001", '"M"'):
        assert personal not in text
    assert set(response.json()) == {"centre_code", "centre_name", "station_number",
                                    "governorate", "address", "latitude", "longitude"}


def _comparable(response) -> tuple[int, bytes, dict[str, str]]:
    headers = {k: v for k, v in response.headers.items() if k.lower() != "date"}
    return response.status_code, response.content, headers


def test_every_failure_is_the_same_404_byte_for_byte(client, register):
    unknown = ask(client, {"voter_number": "999999999", "birth_year": 1980})
    wrong_year = ask(client, {"voter_number": "100000001", "birth_year": 1981})
    removed = ask(client, {"voter_number": "100000003", "birth_year": 1980})
    assert unknown.status_code == 404
    assert _comparable(unknown) == _comparable(wrong_year) == _comparable(removed)
    assert "voter" in unknown.json()["message"] or unknown.json()["message"]


def test_the_eleventh_failure_is_refused_with_retry_after_and_successes_do_not_count(
        client, register):
    good = {"voter_number": "100000001", "birth_year": 1980}
    bad = {"voter_number": "100000001", "birth_year": 1999}
    for _ in range(10):
        assert ask(client, bad).status_code == 404
        assert ask(client, good).status_code == 200  # a success takes nothing back nor adds
    eleventh = ask(client, bad)
    assert eleventh.status_code == 429
    assert 1 <= int(eleventh["Retry-After"]) <= 60
    # Now even a right answer waits for the minute to end.
    assert ask(client, good).status_code == 429
    # Another address is not held back.
    assert ask(client, good, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_the_count_is_per_minute_and_shared_through_the_database(register):
    minute = 29_000_000
    for _ in range(10):
        assert rule.lookup("x", 1980, address="192.0.2.1", now=minute * 60 + 5) is None
    throttled = rule.lookup("x", 1980, address="192.0.2.1", now=minute * 60 + 20)
    assert throttled == rule.Throttled(retry_after=40)
    assert LookupFailures.objects.get(address="192.0.2.1", minute=minute).failures == 11
    # The next minute starts afresh, and the old minute's count is forgotten.
    assert rule.lookup("x", 1980, address="192.0.2.1", now=(minute + 1) * 60 + 1) is None
    assert not LookupFailures.objects.filter(minute__lt=minute).exists()


def test_an_ipv6_client_counts_as_its_whole_network():
    assert rule.counted_address("2001:db8::1") == rule.counted_address("2001:db8::ffff")
    assert rule.counted_address("2001:db8::1") == "2001:db8::/64"
    assert rule.counted_address(None) == ""


@pytest.mark.parametrize(("body", "what"), [
    (b"x" * 5000, "too large"),
    (b"", "not JSON"),
    (b"not json", "not JSON"),
    (b"\xff\xfe{}", "not JSON"),
    (b"[" * 900 + b"]" * 900, "exactly"),
    (b"[" * 2000, "not JSON"),
    (b'{"a":' * 400, "not JSON"),
    (b'{"voter_number": "1\\u0000", "birth_year": 1980}', "voter_number"),
    (b'{"voter_number": "1\x00", "birth_year": 1980}', "not JSON"),
    (b'[1, 2]', "exactly"),
    (b'"100000001"', "exactly"),
    (b'{"voter_number": 100000001, "birth_year": 1980}', "voter_number"),
    (b'{"voter_number": ["1"], "birth_year": 1980}', "voter_number"),
    (b'{"voter_number": {"a": {"b": 1}}, "birth_year": 1980}', "voter_number"),
    (b'{"voter_number": "", "birth_year": 1980}', "voter_number"),
    (b'{"voter_number": "' + b"1" * 21 + b'", "birth_year": 1980}', "voter_number"),
    (b'{"voter_number": "100000001", "birth_year": "1980"}', "birth_year"),
    (b'{"voter_number": "100000001", "birth_year": true}', "birth_year"),
    (b'{"voter_number": "100000001", "birth_year": 1980.0}', "birth_year"),
    (b'{"voter_number": "100000001", "birth_year": 1e400}', "birth_year"),
    (b'{"voter_number": "100000001", "birth_year": 99999999999999999999}', "birth_year"),
    (b'{"voter_number": "100000001"}', "exactly"),
    (b'{"voter_number": "100000001", "birth_year": 1980, "name": "x"}', "exactly"),
])
def test_a_hostile_body_is_a_400_with_a_sentence(client, register, body, what):
    response = ask(client, body, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"
    assert what in response.json()["message"]
    assert not LookupFailures.objects.exists()  # a malformed body is not a failed lookup


def test_a_body_declared_larger_than_allowed_is_refused_unread(client, register):
    response = client.generic("POST", URL, b"{}", content_type="application/json",
                              CONTENT_LENGTH="10000000")
    assert response.status_code == 400


def test_only_post_is_answered(client, register):
    response = client.get(URL)
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_the_endpoint_needs_no_csrf_token_and_carries_the_sites_security_headers(register):
    browser = Client(enforce_csrf_checks=True)
    response = ask(browser, {"voter_number": "100000001", "birth_year": 1980})
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == POLICY
    page = browser.get("/")
    for header in ("X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
                   "Cross-Origin-Opener-Policy"):
        assert response[header] == page[header], header
    assert response["Cache-Control"] == "no-store"
    assert "set-cookie" not in {k.lower() for k in response.headers}


def test_the_plain_sql_names_the_models_tables(db):
    from django.apps import apps

    tables = {model._meta.db_table for model in apps.get_models()}
    assert set(rule.TABLES) <= tables
    assert set(rule.TABLES) <= set(connection.introspection.table_names())


# --- The page ------------------------------------------------------------------------

def _page(client, language: str, number: str, year: str):
    client.cookies["shafaf_language"] = language
    return client.post("/register/where/", {"voter_number": number, "birth_year": year})


@pytest.mark.parametrize(("language", "centre", "heading", "station"), [
    ("ar", "مدرسة 1", "أين أنتخب؟", "٣"),
    ("ckb", "قوتابخانەی ١", "لە کوێ دەنگ بدەم؟", "٣"),
    ("en", "School 1", "Where do I vote?", "3"),
])
def test_the_page_answers_in_three_languages(client, register, language, centre, heading,
                                             station):
    client.cookies["shafaf_language"] = language
    assert heading in client.get("/register/where/").content.decode()
    response = _page(client, language, "100000001", "1980")
    assert response.status_code == 200
    html = response.content.decode()
    assert centre in html
    assert heading in html
    assert "openstreetmap.org/?mlat=35.46806&amp;mlon=44.39222" in html
    assert "شارع الجمهورية" in html
    for personal in NAMES:
        assert personal not in html


def test_the_page_says_the_same_for_every_failure_and_429_plainly(client, register):
    failures = [_page(client, "en", number, year) for number, year in
                (("999999999", "1980"), ("100000001", "1981"), ("100000003", "1980"))]
    assert {f.status_code for f in failures} == {404}
    messages = {f.content.decode().split('role="alert">')[1].split("<")[0] for f in failures}
    assert len(messages) == 1
    for _ in range(8):
        _page(client, "en", "999999999", "1980")
    throttled = _page(client, "en", "999999999", "1980")
    assert throttled.status_code == 429
    assert "Wait a minute" in throttled.content.decode()
    assert throttled["Retry-After"]


def test_the_page_refuses_a_bad_form_with_a_message(client, register):
    response = _page(client, "en", "1" * 30, "abc")
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not LookupFailures.objects.exists()


def test_the_registration_centres_page_lists_them_by_governorate(client, stations):
    from shafaf.elections.models import Governorate, RegistrationCentre

    RegistrationCentre.objects.create(code="RC-KI-1", name_ar="مركز تسجيل كركوك",
                                      name_en="Kirkuk registration centre",
                                      governorate=Governorate.objects.get(code="IQ-KI"))
    client.cookies["shafaf_language"] = "en"
    html = client.get("/register/centres/").content.decode()
    assert "Kirkuk registration centre" in html
    assert "RC-KI-1" in html
    assert 'id="IQ-KI"' in html
    assert 'id="IQ-BA"' not in html


# --- The home page: what a voter needs now ------------------------------------------

def _phase(election, phase: str, starts: date, ends: date) -> None:
    from shafaf.elections.models import CalendarPhase

    CalendarPhase.objects.update_or_create(election=election, phase=phase,
                                           defaults={"starts": starts, "ends": ends})


def _home(client, language: str, today: date, monkeypatch) -> str:
    monkeypatch.setattr("shafaf.portal.views.timezone.localdate", lambda: today)
    client.cookies["shafaf_language"] = language
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_page_leads_with_the_phase_the_lookup_and_the_update(client, election,
                                                                      monkeypatch):
    html = _home(client, "en", date(2023, 7, 20), monkeypatch)
    now, where, update, how, faq = (html.index(f'id="{section}"') for section in
                                    ("now", "where", "update", "how-to-vote", "faq"))
    assert now < where < update < how < faq < html.index('id="seats"')
    current = html[now:where]
    assert "Voter register update" in current
    assert "The update campaign is open now." in html
    assert 'action="/register/where/"' in html
    assert 'href="/register/centres/"' in html
    assert "biometric" in html


def test_on_polling_day_how_to_vote_comes_first(client, election, monkeypatch):
    html = _home(client, "en", election.polling_day, monkeypatch)
    assert html.index('id="how-to-vote"') < html.index('id="where"')
    assert "General voting" in html[html.index('id="now"'):html.index('id="how-to-vote"')]
    assert "special voting day" in html
    assert "The update campaign is open now." not in html


@pytest.mark.parametrize(("language", "words"), [
    ("ar", ("أين أنتخب؟", "حدّث بياناتك", "كيف تصوّت", "أسئلة يطرحها الناخبون")),
    ("ckb", ("لە کوێ دەنگ بدەم؟", "زانیارییەکانت نوێ بکەرەوە", "چۆن دەنگ بدەیت")),
    ("en", ("Where do I vote?", "Update your data", "How to vote", "Questions voters ask")),
])
def test_the_home_pages_voter_information_in_three_languages(client, election, monkeypatch,
                                                             language, words):
    html = _home(client, language, date(2023, 9, 1), monkeypatch)
    for text in words:
        assert text in html
    assert "Next: Registration of parties" in _home(client, "en", date(2023, 1, 1), monkeypatch)


def test_after_the_calendar_the_home_page_says_no_phase_is_under_way(client, election,
                                                                      monkeypatch):
    html = _home(client, "en", date(2030, 1, 1), monkeypatch)
    assert "No phase of this election's calendar is under way today" in html
