"""Importing the voter register: all or nothing, every problem with its row, the same
file twice changes nothing, changes kept in each voter's history, one audit event
with the file's SHA-256. Run on SQLite and, with DATABASE_URL, on PostgreSQL (COPY)."""

from __future__ import annotations

import gzip
import hashlib
from datetime import date

import pytest
from django.utils import translation

from shafaf.audit.models import AuditEvent
from shafaf.elections import actions as elections
from shafaf.elections.models import District, Governorate, PollingCentre, SubDistrict
from shafaf.register import actions
from shafaf.register.models import Category, Voter, VoterChange
from shafaf.register.selectors import voters_in_list_order
from shafaf.tabular import ImportRejected

HEADER = ("voter_number,first_name,father_name,grandfather_name,family_name,mother_name,"
          "sex,birth_date,centre_code,category\n")
GOOD = HEADER + (
    "100000001,أحمد,علي,حسين,الجبوري,فاطمة كاظم,M,1980-05-01,KI0001,\n"
    "100000002,زينب,محمد,جاسم,,مريم عباس,F,1990-12-31,KI0001,general\n"
    "100000003,إبراهيم,خليل,عبد الله,التميمي,سعاد حسن,M,1975-01-15,BA0001,security_forces\n"
)
TODAY = date(2023, 8, 1)


@pytest.fixture
def election(db):
    elections.load_governorates(actor=None)
    election = elections.create_council_election_2023(actor=None)
    for code, centre in (("IQ-KI", "KI0001"), ("IQ-BA", "BA0001")):
        governorate = Governorate.objects.get(code=code)
        district = District.objects.create(governorate=governorate, code=f"{code}-D",
                                           name_ar="قضاء")
        sub = SubDistrict.objects.create(district=district, code=f"{code}-S", name_ar="ناحية")
        PollingCentre.objects.create(election=election, code=centre, sub_district=sub,
                                     governorate=governorate, name_ar="مدرسة")
    return election


def load(election, text: str, name: str = "register.csv"):
    return actions.import_voters(actor=None, election=election, name=name,
                                 content=text.encode(), today=TODAY)


def test_a_register_is_imported_with_its_centres_and_governorates(election):
    summary = load(election, GOOD)
    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    ahmad = Voter.objects.get(voter_number="100000001")
    assert (ahmad.first_name, ahmad.family_name, ahmad.birth_date, ahmad.category) == (
        "أحمد", "الجبوري", date(1980, 5, 1), Category.GENERAL)
    assert (ahmad.centre.code, ahmad.governorate.code) == ("KI0001", "IQ-KI")
    assert Voter.objects.get(voter_number="100000002").family_name == ""
    assert Voter.objects.get(voter_number="100000003").category == Category.SECURITY_FORCES


def test_one_audit_event_with_the_files_sha256(election):
    before = AuditEvent.objects.count()
    load(election, GOOD)
    events = AuditEvent.objects.filter(action="register.import_voters")
    assert AuditEvent.objects.count() == before + 1
    data = events.get().data
    assert data["sha256"] == hashlib.sha256(GOOD.encode()).hexdigest()
    assert (data["created"], data["rows"]) == (3, 3)


def test_the_same_file_twice_changes_nothing(election):
    load(election, GOOD)
    events, voters = AuditEvent.objects.count(), list(Voter.objects.values().order_by("pk"))
    summary = load(election, GOOD)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    with translation.override("en"):
        assert summary.text().endswith("3 unchanged. Nothing changed.")
    assert AuditEvent.objects.count() == events
    assert list(Voter.objects.values().order_by("pk")) == voters
    assert not VoterChange.objects.exists()


def test_a_changed_row_is_updated_and_kept_in_the_voters_history(election):
    load(election, GOOD)
    moved = GOOD.replace("زينب,محمد,جاسم,,مريم عباس,F,1990-12-31,KI0001",
                         "زينب,محمد,جاسم,العبيدي,مريم عباس,F,1990-12-31,BA0001")
    summary = load(election, moved)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 2)
    zainab = Voter.objects.get(voter_number="100000002")
    assert (zainab.family_name, zainab.centre.code, zainab.governorate.code) == (
        "العبيدي", "BA0001", "IQ-BA")
    change = VoterChange.objects.get()
    assert change.voter == zainab
    # Only what changed: the family name, the centre and with it the governorate.
    centres = dict(PollingCentre.objects.values_list("code", "pk"))
    governorates = dict(Governorate.objects.values_list("code", "pk"))
    assert change.before == {"family_name": "", "centre_id": centres["KI0001"],
                             "governorate_id": governorates["IQ-KI"]}
    assert change.after == {"family_name": "العبيدي", "centre_id": centres["BA0001"],
                            "governorate_id": governorates["IQ-BA"]}


def test_every_problem_is_reported_with_its_row_and_nothing_is_written(election):
    bad = GOOD + (
        "100000004,,علي,حسين,,فاطمة,M,1980-05-01,KI0001,\n"          # row 5: no first name
        "100000005,علي,علي,حسين,,فاطمة,X,1980-05-01,KI0001,\n"        # row 6: sex
        "100000006,علي,علي,حسين,,فاطمة,M,1980-02-30,KI0001,\n"        # row 7: no such day
        "100000007,علي,علي,حسين,,فاطمة,M,2010-01-01,KI0001,\n"        # row 8: under 18
        "100000008,علي,علي,حسين,,فاطمة,M,1980-01-01,ZZ9999,\n"        # row 9: no centre
        "100000001,علي,علي,حسين,,فاطمة,M,1980-01-01,KI0001,\n"        # row 10: duplicate
        "100000009,علي,علي,حسين,,فاطمة,M,1980-01-01,KI0001,pilots\n"  # row 11: category
        "100000010,علي,علي,حسين,,فاطمة,M,01/02/1980,KI0001,\n"        # row 12: not ISO
        "100000012,علي,علي\u202eحسين,حسين,,فاطمة,M,1980-01-01,KI0001,\n"  # row 13: RLO
        "100000013\x01,علي,علي,حسين,,فاطمة,M,1980-01-01,KI0001,\n"    # row 14: control
    )
    with pytest.raises(ImportRejected) as rejected, translation.override("en"):
        load(election, bad)
    found = {(p.row, p.column) for p in rejected.value.problems}
    assert found == {(5, "first_name"), (6, "sex"), (7, "birth_date"), (8, "birth_date"),
                     (9, "centre_code"), (10, "voter_number"), (11, "category"),
                     (12, "birth_date"), (13, "father_name"), (14, "voter_number")}
    duplicate = next(p for p in rejected.value.problems if p.row == 10)
    assert "first at row 2" in duplicate.reason
    assert not Voter.objects.exists()
    assert not AuditEvent.objects.filter(action="register.import_voters").exists()


def test_a_rejected_file_leaves_an_earlier_register_as_it_was(election):
    load(election, GOOD)
    voters = list(Voter.objects.values().order_by("pk"))
    changed = GOOD.replace("الجبوري", "الدليمي") + "100000009,,,,,,,,,\n"
    with pytest.raises(ImportRejected):
        load(election, changed)
    assert list(Voter.objects.values().order_by("pk")) == voters
    assert not VoterChange.objects.exists()


def test_a_gzip_file_is_read(election):
    summary = actions.import_voters(actor=None, election=election, name="register.csv.gz",
                                    content=gzip.compress(GOOD.encode()), today=TODAY)
    assert summary.created == 3


def test_the_order_of_names_is_stored_for_the_centre_lists(election):
    load(election, GOOD + "100000011,احمد,علي,حسين,,فاطمة,M,1980-05-01,KI0001,\n")
    centre = PollingCentre.objects.get(code="KI0001")
    listed = list(voters_in_list_order(centre).values_list("voter_number", flat=True))
    # أحمد and احمد sort together, before زينب; the name as written breaks the tie.
    assert listed == ["100000011", "100000001", "100000002"]


def test_only_those_who_import_the_register_import_voters(election):
    from django.core.exceptions import PermissionDenied

    from shafaf.access.roles import Role
    from shafaf.accounts.models import User

    for role in (Role.OFFICE_MANAGER, Role.REGISTER_OFFICER, Role.OBSERVER):
        user = User.objects.create_user(
            username=f"{role}.user", password="not-used-here-1",  # noqa: S106
            role=role, governorate=Governorate.objects.get(code="IQ-KI")
            if role != Role.OBSERVER else None)
        with pytest.raises(PermissionDenied):
            actions.import_voters(actor=user, election=election, name="register.csv",
                                  content=GOOD.encode(), today=TODAY)
    assert not Voter.objects.exists()
    admin = User.objects.create_user(username="admin", password="not-used-here-1",  # noqa: S106
                                     role=Role.ADMIN)
    assert actions.import_voters(actor=admin, election=election, name="register.csv",
                                 content=GOOD.encode(), today=TODAY).created == 3
    actions.import_voters(actor=admin, election=election, name="register.csv",
                          content=GOOD.replace("الجبوري", "الدليمي").encode(), today=TODAY)
    assert VoterChange.objects.get().actor == admin


def test_a_backslash_in_a_name_is_stored_as_written(election):
    load(election, HEADER + "100000021,علي\\حسن,علي,حسين,,فاطمة,M,1980-05-01,KI0001,\n")
    assert Voter.objects.get().first_name == "علي\\حسن"


def test_the_list_order_is_the_alphabets_not_the_databases(election):
    # Kurdish ڕ comes after ر and before ز in the lists; Persian yeh sorts as ي.
    load(election, HEADER + "".join(
        f"10000010{i},{name},علي,حسين,,فاطمة,M,1980-05-01,KI0001,\n"
        for i, name in enumerate(["زانا", "ڕێباز", "رامي", "یاسین", "وليد", "ئازاد"])))
    centre = PollingCentre.objects.get(code="KI0001")
    assert [v.first_name for v in voters_in_list_order(centre)] == [
        "ئازاد", "رامي", "ڕێباز", "زانا", "وليد", "یاسین"]


def test_a_final_register_refuses_every_import(election):
    from django.utils import timezone

    from shafaf.refusals.wording import explain
    from shafaf.register.finality import RegisterRefused
    from shafaf.register.models import Finalisation

    load(election, GOOD)
    Finalisation.objects.create(election=election, at=timezone.now(), voters=3, sha256="0" * 64)
    voters = list(Voter.objects.values().order_by("pk"))
    changed = GOOD.replace("أحمد", "محمود")
    with pytest.raises(RegisterRefused) as refused:
        load(election, changed)
    assert refused.value.code == "register_final"
    with translation.override("en"):
        assert "finalised on" in explain(refused.value).message
    assert list(Voter.objects.values().order_by("pk")) == voters
