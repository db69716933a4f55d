"""Registration centres and the link of polling centres to them: all or nothing,
every problem with its row, the same file twice changes nothing, one audit event."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from shafaf.access.roles import Role
from shafaf.accounts.models import User
from shafaf.audit.models import AuditEvent
from shafaf.elections.models import Governorate, PollingCentre, RegistrationCentre
from shafaf.elections.registration_centres import (
    import_registration_centres,
    link_registration_centres,
)
from shafaf.tabular import ImportRejected
from tests.register.test_voter_import import election  # noqa: F401 (a fixture)

CENTRES = (
    "code,name_ar,name_ku,name_en,governorate_code,address\n"
    "R-KI-01,مركز تسجيل كركوك الأول,ناوەندی تۆمارکردنی کەرکووک,Kirkuk registration 1,IQ-KI,"
    "حي الواسطي\n"
    "R-BA-01,مركز تسجيل البصرة الأول,,Basra registration 1,IQ-BA,\n"
)
LINKS = "centre_code,registration_centre_code\nKI0001,R-KI-01\nBA0001,R-BA-01\n"


def load(text: str, name: str = "registration-centres.csv", actor=None):
    with translation.override("en"):
        return import_registration_centres(actor=actor, name=name, content=text.encode())


def link(election, text: str, actor=None):  # noqa: F811
    with translation.override("en"):
        return link_registration_centres(actor=actor, election=election, name="links.csv",
                                         content=text.encode())


def problems(call) -> list[tuple[int | None, str, str]]:
    with pytest.raises(ImportRejected) as rejected:
        call()
    return [(p.row, p.column, p.reason) for p in rejected.value.problems]


def test_registration_centres_are_imported_with_their_names_and_address(election):  # noqa: F811
    summary = load(CENTRES)
    assert (summary.created, summary.updated) == (2, 0)
    kirkuk = RegistrationCentre.objects.get(code="R-KI-01")
    assert (kirkuk.name_ar, kirkuk.name_ckb, kirkuk.name_en, kirkuk.address) == (
        "مركز تسجيل كركوك الأول", "ناوەندی تۆمارکردنی کەرکووک", "Kirkuk registration 1",
        "حي الواسطي")
    assert kirkuk.governorate.code == "IQ-KI"
    event = AuditEvent.objects.get(action="elections.import_registration_centres")
    assert event.data["sha256"] == hashlib.sha256(CENTRES.encode()).hexdigest()


def test_the_same_file_twice_changes_nothing_and_a_change_is_an_update(election):  # noqa: F811
    load(CENTRES)
    again = load(CENTRES)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    with translation.override("en"):
        assert again.text("registration centres").endswith("Nothing changed.")
    assert AuditEvent.objects.filter(action="elections.import_registration_centres").count() == 1
    moved = load(CENTRES.replace("حي الواسطي", "حي النصر"))
    assert (moved.created, moved.updated) == (0, 1)
    assert RegistrationCentre.objects.get(code="R-KI-01").address == "حي النصر"


def test_every_problem_is_listed_and_nothing_is_written(election):  # noqa: F811
    bad = CENTRES + (
        "R-XX-01,مركز,,,IQ-XX,\n"            # row 4: no such governorate
        ",مركز,,,IQ-KI,\n"                  # row 5: no code
        "R-KI-01,مركز آخر,,,IQ-KI,\n"        # row 6: twice
        "R-KI-02,مركز\u202e,,,IQ-KI,\n"      # row 7: a bidi control
        f"R-KI-03,{'م' * 201},,,IQ-KI,\n"    # row 8: too long
    )
    found = problems(lambda: load(bad))
    assert [(row, column) for row, column, _ in found] == [
        (4, "governorate_code"), (5, "code"), (6, "code"), (7, "name_ar"), (8, "name_ar")]
    assert "R-KI-01 is in the file already, at row 2" in found[2][2]
    assert not RegistrationCentre.objects.exists()
    assert not AuditEvent.objects.filter(action="elections.import_registration_centres").exists()


def test_polling_centres_are_linked_to_their_registration_centre(election):  # noqa: F811
    load(CENTRES)
    summary = link(election, LINKS)
    assert (summary.updated, summary.unchanged) == (2, 0)
    assert PollingCentre.objects.get(code="KI0001").registration_centre.code == "R-KI-01"
    again = link(election, LINKS)
    assert (again.updated, again.unchanged) == (0, 2)
    assert AuditEvent.objects.filter(action="elections.link_registration_centres").count() == 1


def test_a_link_names_real_centres_of_one_governorate(election):  # noqa: F811
    load(CENTRES)
    bad = ("centre_code,registration_centre_code\n"
           "KI0001,R-BA-01\n"     # row 2: another governorate
           "ZZ0001,R-KI-01\n"     # row 3: no such polling centre
           "BA0001,R-ZZ-09\n"     # row 4: no such registration centre
           "KI0001,R-KI-01\n")    # row 5: twice
    found = problems(lambda: link(election, bad))
    assert [(row, column) for row, column, _ in found] == [
        (2, "registration_centre_code"), (3, "centre_code"),
        (4, "registration_centre_code"), (5, "centre_code")]
    assert "same governorate" in found[0][2]
    assert not PollingCentre.objects.filter(registration_centre__isnull=False).exists()


def test_only_those_who_import_the_register_import_registration_centres(election):  # noqa: F811
    manager = User.objects.create_user(
        username="kirkuk.manager", password="not-used-here-1",  # noqa: S106
        role=Role.OFFICE_MANAGER, governorate=Governorate.objects.get(code="IQ-KI"))
    with pytest.raises(PermissionDenied):
        load(CENTRES, actor=manager)
    with pytest.raises(PermissionDenied):
        link(election, LINKS, actor=manager)
    admin = User.objects.create_user(username="admin", password="not-used-here-1",  # noqa: S106
                                     role=Role.ADMIN)
    assert load(CENTRES, actor=admin).created == 2


def test_the_commands_import_and_link(election, shafaf, write):  # noqa: F811
    run = shafaf("import", "registration-centres", write("centres.csv", CENTRES))
    assert run.status == 0, run.err
    assert "registration centres: 2 created, 0 updated, 0 unchanged." in run.out
    run = shafaf("import", "registration-links", write("links.csv", LINKS), "--election",
                 "gc-2023")
    assert run.status == 0, run.err
    assert "2 updated" in run.out
    run = shafaf("import", "registration-links", write("links.csv", LINKS + "ZZ,R-KI-01\n"),
                 "--election", "gc-2023")
    assert run.status != 0
    assert "row 4" in run.err
