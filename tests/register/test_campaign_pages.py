"""The campaign's pages: the public status check (page and API) and its limit, the
public figures with their charts and CSV, and the staff pages' forms and buttons."""
# The fixtures are test_campaign's, imported: pytest sees them as this module's own.
# ruff: noqa: F811

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from shafaf.access.roles import Role
from shafaf.register import campaign
from shafaf.register.campaign import RequestData
from shafaf.register.models import CampaignRequest, CardKind, RequestState, Voter
from tests.register.test_campaign import (  # noqa: F401 (fixtures)
    election,
    fast_password_hashing,
    submit,
    target,
    through,
    users,
    voter,
)

STATUS = "/register/request-status/"
API = "/api/register/requests/status"


@pytest.fixture
def requests_made(users, election):
    """An applied transfer (voter born 1980) and a rejected card (born 1991)."""
    voter("100000001")
    voter("100000002", first_name="زينب", birth_date=date(1991, 3, 3))
    moved = through(users, submit(users, election, "transfer", "100000001",
                                  target_centre=target("KI0002")))
    card = submit(users, election, "replacement_card", "100000002",
                  card_kind=CardKind.SHORT_TERM)
    card = campaign.reject_request(actor=users[Role.OFFICE_MANAGER], request=card,
                                   reason="الوثيقة غير واضحة")
    return moved, card


def _answer(html: str) -> str:
    found = re.search(r'<section class="status-answer".*?</section>', html, re.S)
    return found.group(0) if found else ""


def check(client, number: str, year: object, **extra):
    return client.post(STATUS, {"number": number, "birth_year": year}, **extra)


def test_the_status_shows_the_state_and_each_steps_day_but_no_name(client, requests_made):
    moved, card = requests_made
    with translation.override("en"):
        page = check(client, moved.number, 1980, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    answer = _answer(html)
    assert page.status_code == 200
    assert "applied" in answer
    # The day as the page shows it: in Baghdad, where 22:00 UTC is already tomorrow.
    assert timezone.localdate(moved.submitted_at).isoformat() in answer
    assert "أحمد" not in html
    assert "100000001" not in html
    rejected = _answer(check(client, card.number, 1991).content.decode())
    assert "الوثيقة غير واضحة" in rejected
    assert "زينب" not in rejected


def test_an_unknown_number_and_a_wrong_year_get_the_same_answer(client, requests_made):
    moved, _card = requests_made
    wrong_year = _answer(check(client, moved.number, 1981).content.decode())
    unknown = _answer(check(client, campaign.random_number(), 1980).content.decode())
    malformed = _answer(check(client, "12345", 1980).content.decode())
    assert wrong_year == unknown == malformed
    assert wrong_year
    api = Client()
    answers = [api.post(API, {"number": number, "birth_year": year},
                        content_type="application/json")
               for number, year in ((moved.number, 1981), (campaign.random_number(), 1980))]
    assert [a.status_code for a in answers] == [404, 404]
    assert answers[0].json() == answers[1].json()


def test_more_than_ten_failures_a_minute_get_429_with_retry_after(client, requests_made):
    moved, _card = requests_made
    for _ in range(10):
        assert check(client, moved.number, 1900).status_code == 200
    refused = check(client, moved.number, 1980)  # even the right answer, now
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "applied" not in _answer(refused.content.decode())
    # Another address is not held back; the API counts with the page.
    other = check(Client(REMOTE_ADDR="10.0.0.9"), moved.number, 1980)
    assert other.status_code == 200
    api = Client().post(API, {"number": moved.number, "birth_year": 1980},
                        content_type="application/json")
    assert api.status_code == 429
    assert api["Retry-After"]


def test_successful_checks_do_not_count(client, requests_made):
    moved, _card = requests_made
    for _ in range(15):
        assert check(client, moved.number, 1980).status_code == 200


def test_the_api_answers_the_state_and_steps(requests_made):
    moved, _card = requests_made
    answer = Client().post(API, {"number": moved.number, "birth_year": 1980},
                           content_type="application/json")
    assert answer.status_code == 200
    body = answer.json()
    assert body["state"] == "applied"
    assert [step["state"] for step in body["steps"]] == [
        "submitted", "verified", "approved", "applied"]
    assert set(body) == {"number", "kind", "state", "rejection_reason", "steps"}


@pytest.mark.parametrize("body", [
    {"number": "1" * 21, "birth_year": 1990}, {"number": "1", "birth_year": "nineteen"},
    {"number": "1"}, {"number": "1", "birth_year": 99999}, []])
def test_the_api_refuses_bad_input_with_422(db, body):
    answer = Client().post(API, body, content_type="application/json")
    assert answer.status_code == 422


def test_the_page_refuses_bad_input_with_400(db, client):
    assert check(client, "1" * 30, 1990).status_code == 400
    assert check(client, "1", "x").status_code == 400


# --- the figures --------------------------------------------------------------------------

def test_the_figures_page_draws_its_charts_with_tables(client, requests_made, users, election):
    voter("200000001", centre="BA0001")
    campaign.submit_request(actor=users[Role.ADMIN], election=election,
                            centre=campaign.RegistrationCentre.objects.get(code="BA-R1"),
                            kind="replacement_card", voter_number="200000001",
                            data=RequestData(card_kind=CardKind.BIOMETRIC),
                            today=date(2023, 7, 20))
    with translation.override("en"):
        page = client.get("/register/campaign/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<svg") >= 3
    assert 'role="img"' in html
    assert "<script" not in html.split("<main", 1)[1]
    assert "http" not in "".join(re.findall(r"<svg.*?</svg>", html, re.S)).replace(
        "http://www.w3.org/2000/svg", "")
    national = re.search(r'<table class="national">.*?</table>', html, re.S).group(0)
    # Three requests submitted, one applied.
    assert re.search(r"All</th><td>3</td><td>1</td>", national)
    assert "Basra" in html or "البصرة" in html


def test_the_charts_grow_from_the_right_in_arabic(client, requests_made):
    html = client.get("/register/campaign/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    chart = re.search(r'<svg[^>]*campaign-chart.*?</svg>', html, re.S).group(0)
    # The label stands at the right edge; the bar ends where the labels begin.
    assert 'x="636" ' in chart
    rect = re.search(r'<rect x="([\d.]+)" y="\d+" width="([\d.]+)"', chart)
    assert float(rect.group(1)) + float(rect.group(2)) == pytest.approx(490, abs=0.2)


def test_the_figures_csv(client, requests_made):
    moved, _card = requests_made
    answer = client.get("/register/campaign/figures.csv")
    lines = answer.content.decode().splitlines()
    assert lines[0] == "day,governorate,kind,submitted,applied"
    day = moved.submitted_on.isoformat()
    assert f"{day},IQ-KI,transfer,1,1" in lines
    assert f"{day},IQ-KI,replacement_card,1,0" in lines


# --- staff pages ----------------------------------------------------------------------

def login(client, users, role: Role):
    client.force_login(users[role])
    return client


def campaign_open_today(election) -> None:
    today = timezone.localdate()
    election.calendar.filter(phase="register_update").update(
        starts=today - timedelta(days=1), ends=today + timedelta(days=1))


def test_the_officer_enters_a_request_and_sees_only_the_verify_button(client, users,
                                                                        election):
    voter("100000003")
    campaign_open_today(election)
    login(client, users, Role.REGISTER_OFFICER)
    form = client.get("/staff/register/requests/new/?kind=replacement_card")
    assert form.status_code == 200
    answer = client.post("/staff/register/requests/new/?kind=replacement_card", {
        "election": election.pk,
        "registration_centre": campaign.RegistrationCentre.objects.get(code="KI-R1").pk,
        "voter_number": "100000003", "card_kind": "short_term"})
    assert answer.status_code == 302
    assert CampaignRequest.objects.get().state == RequestState.SUBMITTED
    page = client.get(answer["Location"]).content.decode()
    assert 'name="verify"' in page
    assert 'name="approve"' not in page
    assert 'name="apply"' not in page


def test_the_entry_form_refuses_outside_the_campaign_with_the_dates(client, users, election):
    voter("100000003")
    login(client, users, Role.REGISTER_OFFICER)
    with translation.override("en"):
        answer = client.post("/staff/register/requests/new/?kind=replacement_card", {
            "election": election.pk,
            "registration_centre": campaign.RegistrationCentre.objects.get(code="KI-R1").pk,
            "voter_number": "100000003", "card_kind": "short_term"},
            HTTP_ACCEPT_LANGUAGE="en")
    html = answer.content.decode()
    assert "2023-07-09" in html
    assert "2023-08-07" in html
    assert not CampaignRequest.objects.exists()


def test_reject_and_apply_need_confirmation(client, users, election):
    voter("100000004")
    request = submit(users, election, "replacement_card", "100000004",
                     card_kind=CardKind.SHORT_TERM)
    request = campaign.verify_request(actor=users[Role.REGISTER_OFFICER], request=request)
    login(client, users, Role.OFFICE_MANAGER)
    url = f"/staff/register/requests/{request.pk}/"
    page = client.get(url).content.decode()
    assert 'name="approve"' in page
    assert 'name="reject"' in page
    assert client.post(url, {"step": "reject", "reason": "x"}).status_code == 400
    assert client.post(url, {"step": "approve"}).status_code == 302
    assert client.post(url, {"step": "apply"}).status_code == 400
    assert CampaignRequest.objects.get().state == RequestState.APPROVED
    assert client.post(url, {"step": "apply", "confirm": "on"}).status_code == 302
    assert Voter.objects.get(voter_number="100000004").card_kind == CardKind.SHORT_TERM


def test_a_refused_step_is_shown_as_a_message(client, users, election):
    voter("100000005")
    admin = users[Role.ADMIN]
    request = submit(users, election, "replacement_card", "100000005", actor=admin,
                     card_kind=CardKind.SHORT_TERM)
    campaign.verify_request(actor=admin, request=request)
    login(client, users, Role.ADMIN)
    url = f"/staff/register/requests/{request.pk}/"
    assert 'name="approve"' not in client.get(url).content.decode()
    with translation.override("en"):
        answer = client.post(url, {"step": "approve"}, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200
    assert "another person must approve it" in answer.content.decode()


def test_the_list_filters_and_stays_in_the_governorate(client, users, election):
    voter("100000006")
    voter("200000001", centre="BA0001")
    submit(users, election, "replacement_card", "100000006", card_kind=CardKind.SHORT_TERM)
    basra = campaign.submit_request(
        actor=users[Role.ADMIN], election=election,
        centre=campaign.RegistrationCentre.objects.get(code="BA-R1"), kind="replacement_card",
        voter_number="200000001", data=RequestData(card_kind=CardKind.BIOMETRIC),
        today=date(2023, 7, 20))
    login(client, users, Role.REGISTER_OFFICER)
    listed = client.get("/staff/register/requests/").content.decode()
    assert basra.number not in listed
    assert client.get(f"/staff/register/requests/{basra.pk}/").status_code == 404
    mine = CampaignRequest.objects.get(governorate__code="IQ-KI")
    assert mine.number in listed
    assert mine.number not in client.get(
        "/staff/register/requests/?state=applied").content.decode()
    assert mine.number in client.get(
        "/staff/register/requests/?kind=replacement_card&centre=KI-R1").content.decode()


def test_the_bulk_removal_page_names_every_bad_row(client, users, election):
    voter("D1")
    login(client, users, Role.OFFICE_MANAGER)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("deaths.csv", b"voter_number,death_date,reference\n"
                                              b"D1,2023-01-01,M-1\nNOPE,2023-01-01,M-2\n")
    answer = client.post("/staff/register/requests/remove-deceased/",
                         {"election": election.pk, "confirm": "on", "file": upload})
    assert answer.status_code == 400
    assert "NOPE" in answer.content.decode()
    assert Voter.objects.get(voter_number="D1").status == "active"
    upload = SimpleUploadedFile("deaths.csv", b"voter_number,death_date,reference\n"
                                              b"D1,2023-01-01,M-1\n")
    answer = client.post("/staff/register/requests/remove-deceased/",
                         {"election": election.pk, "confirm": "on", "file": upload})
    assert answer.status_code == 302
    assert Voter.objects.get(voter_number="D1").status == "removed"


def test_the_demo_requests_fill_the_figures(client, election):
    from shafaf.register.campaign_demo import create_requests

    assert create_requests(election, 300) == 300
    assert CampaignRequest.objects.count() == 300
    assert len({r.number for r in CampaignRequest.objects.all()}) == 300
    lines = client.get("/register/campaign/figures.csv").content.decode().splitlines()[1:]
    assert sum(int(line.split(",")[3]) for line in lines) == 300
    assert {line.split(",")[2] for line in lines} == {
        "new_registration", "transfer", "correction", "replacement_card", "special_voting",
        "removal_of_deceased"}
    # Submitted within the campaign; applied up to a few days after it.
    days = {line.split(",")[0] for line in lines if line.split(",")[3] != "0"}
    assert min(days) >= "2023-07-09"
    assert max(days) <= "2023-08-07"
    assert client.get("/register/campaign/").status_code == 200


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_get_ten_tries_and_no_more():
    """Thirty guesses at once from one address: the row lock lets exactly ten fail
    and answers the other twenty 429, whatever their order."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from shafaf.register import campaign_status

    def guess(_: int) -> bool:
        try:
            return campaign_status.check(number=campaign.random_number(), birth_year=1990,
                                         address="192.0.2.7").throttled
        finally:
            connection.close()

    with ThreadPoolExecutor(8) as pool:
        throttled = list(pool.map(guess, range(30)))
    assert throttled.count(False) == 10
    assert throttled.count(True) == 20
