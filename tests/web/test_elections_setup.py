"""Elections set up by an administrator: ``create_election`` makes the law profile's
contests, with their seats, women's quota and component seats, and its calendar;
the pages list elections and set one up; wrong input is refused and writes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from shafaf.access.roles import Role
from shafaf.audit.models import AuditEvent
from shafaf.elections import actions
from shafaf.elections.models import CalendarPhase, Contest, Election, Governorate
from shafaf.elections.refusals import ElectionsRefused
from tests.web.conftest import PASSWORD


def _krg(actor, **changes):
    values = {"code": "krg-2024", "kind": "kurdistan_parliament",
              "polling_day": date(2024, 10, 20), "law": "krg-2024",
              "name_ar": "انتخابات برلمان إقليم كوردستان 2024",
              "calendar": {"general_voting": (date(2024, 10, 20), date(2024, 10, 20))}}
    return actions.create_election(actor=actor, **{**values, **changes})


def test_an_election_gets_the_law_profiles_contests_seats_and_calendar(users):
    election = _krg(users[Role.ADMIN])
    contests = {c.governorate.code: c for c in Contest.objects.filter(election=election)
                .select_related("governorate").prefetch_related("component_seats")}
    assert {code: (c.general_seats, c.women_quota) for code, c in contests.items()} == {
        "IQ-AR": (32, 10), "IQ-SU": (36, 11), "IQ-DA": (24, 8), "IQ-HA": (3, 1)}
    assert {code: {s.component: s.seats for s in c.component_seats.all()}
            for code, c in contests.items()} == {
        "IQ-AR": {"christian": 1, "turkmen": 1}, "IQ-SU": {"christian": 1, "turkmen": 1},
        "IQ-DA": {"armenian": 1}, "IQ-HA": {}}
    assert list(CalendarPhase.objects.filter(election=election).values_list(
        "phase", "starts")) == [("general_voting", date(2024, 10, 20))]
    event = AuditEvent.objects.get(action="elections.create_election",
                                   data__code="krg-2024")
    assert event.data["contests"] == 4


@pytest.mark.parametrize(("changes", "code"), [
    ({"code": "gc-2023"}, "election_code_taken"),
    ({"code": "KRG 2024!"}, "election_code_invalid"),
    ({"code": "complaints"}, "election_code_reserved"),
    ({"law": "atlantis-2030"}, "election_law_unknown"),
    ({"kind": "referendum"}, "election_kind_unknown"),
    ({"name_ar": "  "}, "election_name_missing"),
    ({"calendar": {"campaign": (date(2024, 10, 1), date(2024, 9, 1))}},
     "election_phase_ends_before_it_starts"),
    ({"calendar": {"coronation": (date(2024, 10, 1), date(2024, 10, 1))}},
     "election_phase_unknown"),
])
def test_wrong_input_is_refused_with_its_code_and_writes_nothing(users, changes, code):
    before = (Election.objects.count(), Contest.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ElectionsRefused) as refused:
        _krg(users[Role.ADMIN], **changes)
    assert refused.value.code == code
    assert (Election.objects.count(), Contest.objects.count(),
            AuditEvent.objects.count()) == before


def test_a_law_whose_governorates_are_not_loaded_is_refused(users):
    Governorate.objects.filter(code="IQ-HA").delete()
    with pytest.raises(ElectionsRefused) as refused:
        _krg(users[Role.ADMIN])
    assert refused.value.code == "election_governorates_missing"
    assert refused.value.params["codes"] == "IQ-HA"


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_only_the_administrator_sets_up_an_election(users, role):
    with pytest.raises(PermissionDenied):
        _krg(users[role])
    assert not Election.objects.filter(code="krg-2024").exists()


def _client(users, role: Role) -> Client:
    client = Client()
    assert client.login(username=users[role].username, password=PASSWORD)
    return client


def test_the_page_sets_up_an_election_and_lists_it(users):
    client = _client(users, Role.ADMIN)
    response = client.post("/staff/elections/new/", {
        "code": "krg-2024", "name_ar": "برلمان كوردستان", "kind": "kurdistan_parliament",
        "law": "krg-2024", "polling_day": "2024-10-20",
        "special_voting_starts": "2024-10-18", "special_voting_ends": "2024-10-18"})
    assert response.status_code == 302
    election = Election.objects.get(code="krg-2024")
    assert election.contests.count() == 4
    assert list(election.calendar.values_list("phase", flat=True)) == ["special_voting"]
    listing = client.get("/staff/elections/").content.decode()
    for shown in ("krg-2024", "برلمان كوردستان", "gc-2023"):
        assert shown in listing


@pytest.mark.parametrize(("data", "problem"), [
    ({"code": "gc-2023"}, "gc-2023"),  # taken: the refusal names it
    ({"polling_day": "not a day"}, ""),
    ({"law": "x" * 10_000}, ""),
    ({"name_ar": "ا" * 5_000}, ""),
    ({"campaign_starts": "2024-09-01"}, ""),  # one day of a phase without the other
])
def test_the_page_refuses_bad_input_with_a_message_and_writes_nothing(users, data, problem):
    client = _client(users, Role.ADMIN)
    before = Election.objects.count()
    response = client.post("/staff/elections/new/", {
        "code": "krg-2024", "name_ar": "برلمان", "kind": "kurdistan_parliament",
        "law": "krg-2024", "polling_day": "2024-10-20", **data})
    assert response.status_code in (200, 400)
    assert "errors" in response.content.decode()
    assert problem in response.content.decode()
    assert Election.objects.count() == before


def test_every_word_beside_an_elections_code_in_an_address_is_reserved():
    """Where an address takes an election's code, no fixed word of another address may
    stand in the same place, or that election's page could never be reached."""
    from django.urls import URLResolver, get_resolver

    from shafaf.elections.actions import RESERVED_CODES

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    routes = [route.split("/") for route in walk(get_resolver().url_patterns)]
    beside = set()
    for parts in routes:
        for at, part in enumerate(parts):
            if "election>" not in part:
                continue
            beside |= {other[at] for other in routes
                       if len(other) > at and other[:at] == parts[:at] and other[at]
                       and "<" not in other[at]}
    assert beside
    assert beside <= RESERVED_CODES
