"""Objections and the final register, as actions: the exhibition window, every
refusal, the register's history, the audit events (without personal data), the
canonical hash and the guard on the final register. Run on SQLite and, with
DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from datetime import date
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from shafaf.access.roles import Role
from shafaf.audit.models import AuditEvent
from shafaf.cli.main import main
from shafaf.core.refusal import Hidden
from shafaf.elections.models import PollingCentre
from shafaf.register import finalising, objections
from shafaf.register.finality import RegisterRefused
from shafaf.register.models import Finalisation, Objection, Status, Voter, VoterChange
from tests.register.exhibition_world import (
    AFTER,
    BEFORE,
    DURING,
    MOTHERS,
    ROWS,
    load,
    make_election,
    make_users,
    voter,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def election(db):
    election = make_election()
    load(election)
    return election


@pytest.fixture
def users(election):
    return make_users()


def file(users, election, number="100000001", ground="deceased", role=Role.ENTITY_AGENT,
         today=DURING, **more):
    return objections.file_objection(actor=users[role], election=election,
                                     entry=voter(number), ground=ground,
                                     statement=more.pop("statement", "died in 2022"),
                                     today=today, **more)


def refused(code: str):
    class Check:
        def __enter__(self):
            self.raises = pytest.raises(RegisterRefused)
            self.info = self.raises.__enter__()
            return self

        def __exit__(self, *exc):
            result = self.raises.__exit__(*exc)
            assert self.info.value.code == code, self.info.value
            return result
    return Check()


def no_personal_data(event: AuditEvent) -> None:
    text = json.dumps(event.data, ensure_ascii=False)
    for value in (*MOTHERS, "أحمد", "زينب", "100000001", "1980"):
        assert value not in text, (value, text)


# --- Filing ----------------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.ENTITY_AGENT, Role.CSO_COORDINATOR, Role.OBSERVER])
def test_agents_coordinators_and_observers_file_during_the_exhibition(users, election, role):
    objection = file(users, election, role=role)
    assert (objection.state, objection.ground, objection.centre.code) == (
        "filed", "deceased", "KI0001")
    event = AuditEvent.objects.get(action="register.objection_filed")
    assert event.data["objection"] == objection.pk
    no_personal_data(event)


@pytest.mark.parametrize("role", [Role.OFFICE_MANAGER, Role.CLERK, Role.REGISTER_OFFICER,
                                  Role.ADMIN, Role.AUDITOR])
def test_others_may_not_file(users, election, role):
    with pytest.raises(PermissionDenied):
        file(users, election, role=role)
    assert not Objection.objects.exists()


@pytest.mark.parametrize(("today", "code"), [(BEFORE, "outside_exhibition"),
                                             (AFTER, "outside_exhibition")])
def test_filing_outside_the_exhibition_is_refused_naming_its_dates(users, election, today,
                                                                   code):
    with refused(code) as check:
        file(users, election, today=today)
    assert check.info.value.params == {"opens": date(2023, 10, 1), "closes": date(2023, 10, 31)}
    assert not Objection.objects.exists()


def test_filing_without_an_exhibition_in_the_calendar_is_refused(users, election):
    election.calendar.filter(phase="register_exhibition").delete()
    with refused("exhibition_not_scheduled"):
        file(users, election)


def test_a_duplicate_names_another_entry_in_the_register(users, election):
    with refused("duplicate_needs_other_entry"):
        file(users, election, ground="duplicate")
    with refused("duplicate_needs_other_entry"):
        file(users, election, ground="duplicate", other_entry=voter("100000001"))
    objection = file(users, election, ground="duplicate", other_entry=voter("100000003"))
    assert objection.other_voter == voter("100000003")


def test_a_wrong_centre_names_another_centre(users, election):
    with refused("wrong_centre_needs_centre"):
        file(users, election, ground="wrong_centre")
    with refused("wrong_centre_needs_centre"):
        file(users, election, ground="wrong_centre",
             right_centre=PollingCentre.objects.get(code="KI0001"))


def test_a_statement_is_required(users, election):
    with refused("statement_required"):
        file(users, election, statement="   ")


def test_evidence_is_checked_by_content(users, election):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    objection = file(users, election, evidence_file=pdf)
    assert objection.evidence_type == "application/pdf"
    with refused("evidence_not_accepted"):
        file(users, election, evidence_file=b"<html><script>alert(1)</script></html>")
    with refused("evidence_unreadable"):
        file(users, election, evidence_file=b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with refused("evidence_too_large"):
        file(users, election, evidence_file=b"%PDF-" + b"0" * (3 * 1024 * 1024))


# --- Deciding and applying --------------------------------------------------------------

def test_a_decision_needs_its_reason_and_is_taken_once(users, election):
    objection = file(users, election)
    manager = users[Role.OFFICE_MANAGER]
    with refused("objection_reason_required"):
        objections.decide(actor=manager, objection=objection, upheld=False, reason=" ")
    with refused("objection_not_upheld"):
        objections.apply(actor=manager, objection=objection)
    objections.decide(actor=manager, objection=objection, upheld=False,
                      reason="the voter came in person")
    with refused("objection_already_dismissed"):
        objections.decide(actor=manager, objection=objection, upheld=True, reason="x")
    with refused("objection_already_dismissed"):
        objections.apply(actor=manager, objection=objection)
    assert voter("100000001").status == Status.ACTIVE
    event = AuditEvent.objects.get(action="register.objection_dismissed")
    no_personal_data(event)


def test_an_upheld_objection_removes_the_voter_with_history(users, election):
    objection = file(users, election, ground="duplicate", other_entry=voter("100000003"))
    manager = users[Role.OFFICE_MANAGER]
    objections.decide(actor=manager, objection=objection, upheld=True, reason="same person")
    assert voter("100000001").status == Status.ACTIVE  # not yet applied
    objections.apply(actor=manager, objection=objection)
    removed = voter("100000001")
    assert removed.status == Status.REMOVED
    assert "duplicate" in removed.removal_reason
    change = VoterChange.objects.filter(voter=removed).last()
    assert (change.before["status"], change.after["status"]) == ("active", "removed")
    assert change.actor == manager
    assert voter("100000003").status == Status.ACTIVE  # the other entry stays
    for action in ("register.objection_upheld", "register.objection_applied"):
        no_personal_data(AuditEvent.objects.get(action=action))
    with refused("objection_already_applied"):
        objections.apply(actor=manager, objection=objection)


def test_a_wrong_centre_moves_the_voter(users, election):
    right = PollingCentre.objects.get(code="KI0003")
    objection = file(users, election, ground="wrong_centre", right_centre=right)
    manager = users[Role.OFFICE_MANAGER]
    objections.decide(actor=manager, objection=objection, upheld=True, reason="lives there")
    objections.apply(actor=manager, objection=objection)
    moved = voter("100000001")
    assert (moved.centre, moved.status) == (right, Status.ACTIVE)
    change = VoterChange.objects.filter(voter=moved).last()
    assert change.before["centre"] != change.after["centre"] == right.pk


def test_a_kirkuk_office_cannot_reach_basra_objections(users, election):
    objection = file(users, election, number="100000005")
    with pytest.raises(Hidden):
        objections.decide(actor=users[Role.OFFICE_MANAGER], objection=objection,
                          upheld=True, reason="x")
    with pytest.raises(PermissionDenied):
        objections.decide(actor=users[Role.REGISTER_OFFICER], objection=objection,
                          upheld=True, reason="x")
    objections.decide(actor=users[Role.ADMIN], objection=objection, upheld=True, reason="x")


# --- The final register -------------------------------------------------------------------

def independent_hash(rows: list[str]) -> tuple[str, int]:
    """The documented listing, computed here from the file's rows, not by the code."""
    governorate = {"KI": "IQ-KI", "BA": "IQ-BA"}
    lines = []
    for row in sorted(rows, key=lambda r: r.split(",")[0].encode()):
        number, first, father, grand, family, mother, sex, born, centre = row.split(",")
        lines.append("\t".join([number, first, father, grand, family, mother, sex, born,
                                governorate[centre[:2]], centre, "general"]) + "\n")
    listing = unicodedata.normalize("NFC", "".join(lines)).encode("utf-8")
    return hashlib.sha256(listing).hexdigest(), len(rows)


def test_finalising_is_refused_before_the_exhibition_ends(users, election):
    with refused("exhibition_not_over") as check:
        finalising.finalise(actor=users[Role.ADMIN], election=election, today=date(2023, 10, 31))
    assert check.info.value.params["closes"] == date(2023, 10, 31)
    with pytest.raises(PermissionDenied):
        finalising.finalise(actor=users[Role.OFFICE_MANAGER], election=election, today=AFTER)
    assert not Finalisation.objects.exists()


def test_finalising_is_refused_while_objections_wait(users, election):
    first = file(users, election)
    file(users, election, number="100000002")
    with refused("objections_undecided") as check:
        finalising.finalise(actor=users[Role.ADMIN], election=election, today=AFTER)
    assert check.info.value.params == {"count": 2}
    objections.decide(actor=users[Role.ADMIN], objection=first, upheld=True, reason="x")
    with refused("objections_undecided") as check:  # upheld, not yet applied
        finalising.finalise(actor=users[Role.ADMIN], election=election, today=AFTER)
    assert check.info.value.params == {"count": 2}


def test_the_final_register_hash_matches_an_independent_computation(users, election):
    objection = file(users, election, number="100000002")
    objections.decide(actor=users[Role.ADMIN], objection=objection, upheld=True,
                      reason="deceased 2022")
    objections.apply(actor=users[Role.ADMIN], objection=objection)
    final = finalising.finalise(actor=users[Role.ADMIN], election=election, today=AFTER)
    expected = independent_hash([r for r in ROWS if not r.startswith("100000002")])
    assert (final.sha256, final.voters) == expected
    event = AuditEvent.objects.get(action="register.finalised")
    assert (event.data["sha256"], event.data["voters"]) == expected
    no_personal_data(event)


def test_the_hash_does_not_depend_on_the_load_order(db):
    election = make_election()
    load(election, list(reversed(ROWS)))
    one = finalising.canonical_hash(election)
    Voter.objects.all().delete()
    load(election, ROWS[3:] + ROWS[:3])
    assert finalising.canonical_hash(election) == one == independent_hash(ROWS)


def test_after_finalisation_every_change_is_refused(users, election):
    objection = file(users, election)
    objections.decide(actor=users[Role.ADMIN], objection=objection, upheld=False, reason="x")
    finalising.finalise(actor=users[Role.ADMIN], election=election, today=AFTER)
    with refused("register_final"):
        file(users, election, number="100000002", today=AFTER)
    with refused("register_final"):
        finalising.finalise(actor=users[Role.ADMIN], election=election, today=AFTER)
    with refused("register_final"):
        load(election, [*ROWS[:1], "100000777,هدى,كاظم,سجاد,,آمنة,F,2001-07-20,KI0001"])
    assert not Voter.objects.filter(voter_number="100000777").exists()


def test_decisions_are_refused_once_final(users, election):
    objection = file(users, election)
    # A register cannot be finalised with a filed objection: the row is written as an
    # older version of the code might have left it.
    Finalisation.objects.create(election=election, at=AuditEvent.objects.last().at,
                                voters=1, sha256="0" * 64)
    with refused("register_final"):
        objections.decide(actor=users[Role.ADMIN], objection=objection, upheld=True, reason="x")


@pytest.mark.postgresql
def test_postgresql_itself_refuses_changes_to_a_final_register(users, election):
    finalising.finalise(actor=users[Role.ADMIN], election=election, today=AFTER)
    with pytest.raises(IntegrityError, match="register_final"), transaction.atomic():
        Voter.objects.filter(voter_number="100000001").update(first_name="محمود")
    with pytest.raises(IntegrityError, match="register_final"), transaction.atomic():
        Voter.objects.filter(voter_number="100000001").delete()
    copy = voter("100000002")
    copy.pk, copy.voter_number = None, "100000999"
    with pytest.raises(IntegrityError, match="register_final"), transaction.atomic():
        copy.save()
    # The station a voter is assigned to is not part of the final listing.
    station = PollingCentre.objects.get(code="KI0001").stations.first()
    assert Voter.objects.filter(voter_number="100000001").update(station=station) == 1


def test_the_command_line_prints_the_hash_and_compares_it(users, election, capsys):
    expected, _ = independent_hash(ROWS)
    with mock.patch("shafaf.cli.web.setup_django"):
        assert main(["register", "hash", "--election", election.code]) == 0
    out = capsys.readouterr().out
    assert expected in out
    assert "not final" in out
    finalising.finalise(actor=users[Role.ADMIN], election=election, today=AFTER)
    with mock.patch("shafaf.cli.web.setup_django"):
        assert main(["register", "hash", "--election", election.code]) == 0
    assert "Matches" in capsys.readouterr().out
    Finalisation.objects.update(sha256="f" * 64)
    with mock.patch("shafaf.cli.web.setup_django"):
        assert main(["register", "hash", "--election", election.code]) == 1
    assert "NOT match" in capsys.readouterr().out
    with mock.patch("shafaf.cli.web.setup_django"):
        assert main(["register", "hash", "--election", "nope"]) == 2
