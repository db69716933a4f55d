"""Paper entry's pages, as a clerk, a coordinator and the audit centre use them:
scoped to the governorate, bounded against hostile input, every step through its page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.translation import override

from shafaf.access.roles import Role
from shafaf.accounts.models import User
from shafaf.elections.models import Governorate, PollingStation
from shafaf.entities.models import Candidate, NominationList
from shafaf.entities.synthetic import create_entities
from shafaf.results.models import EntryState, EntryTask, Outcome, ResultForm, StationResult
from tests.web.conftest import PASSWORD


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ballot(stations):
    create_entities(stations, lists={"IQ-KI": 2, "IQ-BA": 1}, candidates_per_list=3)
    return stations


def client_for(user: User) -> Client:
    client = Client()
    client.login(username=user.username, password=PASSWORD)
    return client


def second_clerk() -> User:
    return User.objects.create_user(username="clerk2", password=PASSWORD, role=Role.CLERK,
                                    governorate=Governorate.objects.get(code="IQ-KI"))


def filled(code: str = "KI0001-01", *, alone: int = 50) -> dict[str, object]:
    """A POST of the entry form whose numbers add up."""
    station = PollingStation.objects.get(code=code)
    data: dict[str, object] = {"station": code, "source": "manual", "component": ""}
    valid = 0
    for nomination in NominationList.objects.filter(
            contest__governorate=station.centre.governorate).order_by("entity__code"):
        data[f"l{nomination.pk}"] = alone
        valid += alone
        for candidate in Candidate.objects.filter(nomination=nomination):
            data[f"c{candidate.pk}"] = 3
            valid += 3
    box = valid + 10
    data.update(registered=400, voted=box, ballots_received=box + 50, ballots_in_box=box,
                ballots_spoiled=5, ballots_unused=45, invalid=10, valid=valid)
    return data


def test_two_clerks_make_a_form_definitive_and_the_station_page_shows_it(ballot, users):
    first = client_for(users[Role.CLERK])
    page = first.get("/staff/results/entry/", {"station": "KI0001-01", "source": "manual"})
    assert page.status_code == 200
    assert 'name="ballots_in_box"' in page.content.decode()
    assert first.post("/staff/results/entry/", filled()).status_code == 302
    # the second clerk's form is empty: the first entry is never shown
    second = client_for(second_clerk())
    page = second.get("/staff/results/entry/", {"station": "KI0001-01", "source": "manual"})
    assert 'value="50"' not in page.content.decode()
    # the first clerk cannot make the second entry
    again = first.post("/staff/results/entry/", filled())
    assert again.status_code == 409
    assert second.post("/staff/results/entry/", filled()).status_code == 302
    station = PollingStation.objects.get(code="KI0001-01")
    assert StationResult.objects.get(station=station).outcome == Outcome.ADOPTED
    page = first.get(f"/staff/results/stations/{station.pk}/")
    assert page.status_code == 200
    with override("ar"):
        adopted = str(Outcome.ADOPTED.label)
    assert f"<strong>{adopted}</strong>" in page.content.decode()


def test_the_coordinator_sees_the_difference_marked_and_keeps_the_second(ballot, users):
    client_for(users[Role.CLERK]).post("/staff/results/entry/", filled(alone=50))
    client_for(second_clerk()).post("/staff/results/entry/", filled(alone=51))
    task = EntryTask.objects.get()
    assert task.state == EntryState.DIFFERENT
    coordinator = client_for(users[Role.OFFICE_MANAGER])
    listing = coordinator.get("/staff/results/entry/differences/").content.decode()
    assert f"/staff/results/entry/{task.pk}/" in listing
    page = coordinator.get(f"/staff/results/entry/{task.pk}/").content.decode()
    assert "<mark>50</mark>" in page
    assert "<mark>51</mark>" in page
    answer = coordinator.post(f"/staff/results/entry/{task.pk}/", {"step": "keep_second"})
    assert answer.status_code == 302
    assert ResultForm.objects.get().invalid == 10
    task.refresh_from_db()
    assert task.state == EntryState.DEFINITIVE


@pytest.mark.parametrize("change", [
    {"valid": "-1"}, {"valid": "1" * 40}, {"valid": "abc"}, {"valid": ""},
    {"station": "K" * 5000}, {"source": "electronic"}, {"component": "x" * 500},
    {"component": "martians"}])
def test_hostile_entries_are_refused_with_a_message(ballot, users, change):
    answer = client_for(users[Role.CLERK]).post("/staff/results/entry/",
                                                {**filled(), **change})
    assert answer.status_code == 400
    assert not EntryTask.objects.exists()


def test_a_clerk_cannot_reach_another_governorate(ballot, users):
    clerk = client_for(users[Role.CLERK])
    answer = clerk.post("/staff/results/entry/", filled("BA0001-01"))
    assert answer.status_code == 400
    assert not EntryTask.objects.exists()
    basra = PollingStation.objects.get(code="BA0001-01")
    assert clerk.get(f"/staff/results/stations/{basra.pk}/").status_code == 404


def test_the_audit_centre_clears_a_quarantined_form(ballot, users):
    data = filled()
    data["ballots_received"] = int(data["ballots_received"]) + 3  # type: ignore[call-overload]
    client_for(users[Role.CLERK]).post("/staff/results/entry/", data)
    client_for(second_clerk()).post("/staff/results/entry/", data)
    result = StationResult.objects.get()
    assert result.outcome == Outcome.AUDIT
    admin = client_for(users[Role.ADMIN])
    page = admin.get("/staff/results/audit/").content.decode()
    assert "KI0001-01" in page
    form = ResultForm.objects.get()
    assert admin.post(f"/staff/results/audit/{result.pk}/",
                      {"step": "clear", "form": form.pk, "reason": ""}).status_code == 400
    assert admin.post(f"/staff/results/audit/{result.pk}/",
                      {"step": "clear", "form": form.pk, "reason": "seen"}).status_code == 302
    result.refresh_from_db()
    assert result.outcome == Outcome.ADOPTED


@pytest.mark.parametrize("done", ["²", "9" * 40, "-1", "1 OR 1=1", "٣"])
def test_a_hostile_done_parameter_is_ignored(ballot, users, done):
    answer = client_for(users[Role.CLERK]).get("/staff/results/entry/", {"done": done})
    assert answer.status_code == 200
