"""Imports are all or nothing while they write, not only before: a database failure in
the middle of writing a file (a crash, a lost connection, a constraint) leaves nothing
of the file behind.

The failure is injected at the database's door (``connection.execute_wrapper``): the
first INSERT (or UPDATE) on a given table raises ``OperationalError`` before it reaches
the database, after the writes before it have really been executed. The tests go
through the public actions, so they hold whatever way the actions write their rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection

from shafaf.access.roles import Role
from shafaf.audit.models import AuditEvent
from shafaf.elections import actions
from shafaf.elections.models import Contest, PollingCentre, PollingStation
from shafaf.entities.actions import nominations
from shafaf.entities.models import Candidate, EntityAgent
from shafaf.entities.synthetic import create_entities

GEOGRAPHY = """\
governorate_code,district_code,district_name_ar,sub_district_code,sub_district_name_ar
IQ-KI,KI-D1,قضاء كركوك,KI-D1-S1,مركز كركوك
IQ-KI,KI-D1,قضاء كركوك,KI-D1-S2,ناحية تازة
"""

STATIONS = """\
centre_code,centre_name_ar,sub_district_code,station_number,registered_voters
KI0001,مدرسة الأمل,KI-D1-S1,1,450
KI0001,مدرسة الأمل,KI-D1-S1,2,430
KI0002,مدرسة النور,KI-D1-S2,1,500
"""

# Against STATIONS: a renamed centre, a new centre, changed counts, new stations.
CHANGED = """\
centre_code,centre_name_ar,sub_district_code,station_number,registered_voters
KI0001,مدرسة الأمل الجديدة,KI-D1-S1,1,470
KI0001,مدرسة الأمل الجديدة,KI-D1-S1,2,430
KI0002,مدرسة النور,KI-D1-S2,1,520
KI0002,مدرسة النور,KI-D1-S2,2,300
KI0003,مدرسة الفرات,KI-D1-S2,1,410
KI0003,مدرسة الفرات,KI-D1-S2,2,420
"""


WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)


@contextmanager
def failing(table: str, verb: str) -> Iterator[list[tuple[str, str]]]:
    """Make the first ``verb`` (INSERT, UPDATE, DELETE) statement on ``table`` fail;
    yields the writes, as (verb, table), that were executed before it."""
    written: list[tuple[str, str]] = []

    def wrapper(execute, sql, params, many, context):
        write = WRITE.match(sql)
        if write:
            done = (write.group(1).split()[0].upper(), write.group(2))
            if done == (verb, table):
                raise OperationalError(f"injected failure on {verb} {table}")
            written.append(done)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield written


def stations_state() -> list[tuple]:
    return [*PollingCentre.objects.order_by("code").values_list("code", "name_ar",
                                                                "sub_district__code"),
            *PollingStation.objects.order_by("code").values_list("code", "registered_voters")]


@pytest.fixture
def imported(election):
    """The Kirkuk geography and a first stations file, imported."""
    actions.import_geography(actor=None, name="geography.csv", content=GEOGRAPHY.encode())
    actions.import_stations(actor=None, election=election, name="stations.csv",
                            content=STATIONS.encode())
    return election


STATIONS_TABLE = PollingStation._meta.db_table
CENTRES_TABLE = PollingCentre._meta.db_table


@pytest.mark.parametrize(("verb", "written_before"), [
    ("INSERT", {("INSERT", CENTRES_TABLE), ("UPDATE", CENTRES_TABLE)}),
    ("UPDATE", {("INSERT", CENTRES_TABLE), ("UPDATE", CENTRES_TABLE),
                ("INSERT", STATIONS_TABLE)}),
])
def test_a_station_import_that_fails_while_writing_leaves_nothing_of_the_file(
        imported, verb, written_before):
    before = (stations_state(), AuditEvent.objects.count())
    with failing(STATIONS_TABLE, verb) as written, pytest.raises(OperationalError):
        actions.import_stations(actor=None, election=imported, name="changed.csv",
                                content=CHANGED.encode())
    assert written_before <= set(written)  # the failure came in the middle of writing
    assert (stations_state(), AuditEvent.objects.count()) == before
    assert not PollingCentre.objects.filter(code="KI0003").exists()
    assert PollingCentre.objects.get(code="KI0001").name_ar == "مدرسة الأمل"


HEADER = "position,name_ar,surname_ar,mother_name_ar,sex,date_of_birth,education\n"


def candidates_file(count: int, *, first_name: str) -> bytes:
    return (HEADER + "".join(
        f"{n},{first_name} {n},الجبوري,فاطمة محمد,{'F' if n % 4 in (1, 2) else 'M'},"
        f"1975-01-{n:02d},bachelor\n" for n in range(1, count + 1))).encode()


@pytest.fixture
def draft(election, users):
    """A draft list in Basra with four candidates, and its entity's agent."""
    entity = create_entities(election, lists={"IQ-KI": 1}, candidates_per_list=4)[0]
    agent = users[Role.ENTITY_AGENT]
    EntityAgent.objects.create(user=agent, entity=entity)
    nomination = nominations.create_list(
        actor=agent, entity=entity,
        contest=Contest.objects.get(election=election, governorate__code="IQ-BA"))
    nominations.import_candidates(actor=agent, nomination=nomination, name="first.csv",
                                  content=candidates_file(4, first_name="أحمد"))
    return nomination, agent


def test_a_list_upload_that_fails_while_writing_keeps_the_list_as_it_was(draft):
    nomination, agent = draft
    names = list(nomination.candidates.order_by("position").values_list("name_ar", flat=True))
    assert len(names) == 4
    events = AuditEvent.objects.count()
    # Replacing the list deletes the old candidates first; the insert of the new fails.
    with failing(Candidate._meta.db_table, "INSERT") as written, \
            pytest.raises(OperationalError):
        nominations.import_candidates(actor=agent, nomination=nomination, name="second.csv",
                                      content=candidates_file(8, first_name="علي"))
    assert ("DELETE", Candidate._meta.db_table) in written
    assert list(nomination.candidates.order_by("position")
                .values_list("name_ar", flat=True)) == names
    assert AuditEvent.objects.count() == events


def test_a_list_upload_that_fails_at_its_audit_event_keeps_the_list_as_it_was(draft):
    nomination, agent = draft
    names = list(nomination.candidates.order_by("position").values_list("name_ar", flat=True))
    with failing(AuditEvent._meta.db_table, "INSERT"), pytest.raises(OperationalError):
        nominations.import_candidates(actor=agent, nomination=nomination, name="second.csv",
                                      content=candidates_file(8, first_name="علي"))
    assert list(nomination.candidates.order_by("position")
                .values_list("name_ar", flat=True)) == names
