"""The update campaign's requests: each step an action that checks the core's table,
the capability, the governorate and the final register, writes the voter's history
and one audit event without personal data; the bulk removal of the deceased, all or
nothing. Run on SQLite and, with DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from shafaf.access.roles import SCOPED_ROLES, Role
from shafaf.accounts.models import User
from shafaf.audit.models import AuditEvent
from shafaf.core.refusal import Hidden
from shafaf.elections import actions as elections
from shafaf.elections.models import (
    District,
    Governorate,
    PollingCentre,
    PollingStation,
    RegistrationCentre,
    SubDistrict,
)
from shafaf.refusals import explain
from shafaf.register import campaign
from shafaf.register.campaign import RequestData
from shafaf.register.finality import RegisterRefused
from shafaf.register.models import (
    CampaignRequest,
    CardKind,
    Category,
    Finalisation,
    RequestState,
    Status,
    Voter,
    VoterChange,
)
from shafaf.register.order import stored_sort_key
from shafaf.tabular import ImportRejected

TODAY = date(2023, 7, 20)  # inside the 2023 campaign, 9 July – 7 August


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def election(db):
    elections.load_governorates(actor=None)
    election = elections.create_council_election_2023(actor=None)
    for code, prefix in (("IQ-KI", "KI"), ("IQ-BA", "BA")):
        governorate = Governorate.objects.get(code=code)
        district = District.objects.create(governorate=governorate, code=f"{code}-D",
                                           name_ar="قضاء")
        sub = SubDistrict.objects.create(district=district, code=f"{code}-S", name_ar="ناحية")
        for n in (1, 2):
            centre = PollingCentre.objects.create(
                election=election, code=f"{prefix}000{n}", sub_district=sub,
                governorate=governorate, name_ar=f"مدرسة {n}")
            PollingStation.objects.create(centre=centre, number=1, code=f"{centre.code}-01",
                                          registered_voters=400)
        RegistrationCentre.objects.create(code=f"{prefix}-R1", governorate=governorate,
                                          name_ar=f"مركز تسجيل {prefix}")
    return election


@pytest.fixture
def users(election):
    kirkuk = Governorate.objects.get(code="IQ-KI")
    return {role: User.objects.create_user(username=role.value, password="x-long-pass-9",  # noqa: S106
                                           role=role,
                                           governorate=kirkuk if role in SCOPED_ROLES else None)
            for role in (Role.ADMIN, Role.REGISTER_OFFICER, Role.OFFICE_MANAGER, Role.CLERK)}


def voter(number: str, centre: str = "KI0001", **fields) -> Voter:
    where = PollingCentre.objects.get(code=centre)
    now = timezone.now()
    values = {"first_name": "أحمد", "father_name": "علي", "grandfather_name": "حسين",
              "family_name": "الجبوري", "mother_name": "فاطمة كاظم", "sex": "M",
              "birth_date": date(1980, 5, 1), **fields}
    return Voter.objects.create(
        voter_number=number, governorate_id=where.governorate_id, centre=where,
        station=where.stations.first(), created=now, updated=now,
        sort_key=stored_sort_key(values["first_name"], values["father_name"],
                                 values["grandfather_name"], values["family_name"], number),
        **values)


def centre(code: str = "KI-R1") -> RegistrationCentre:
    return RegistrationCentre.objects.get(code=code)


def target(code: str) -> PollingCentre:
    return PollingCentre.objects.get(code=code)


def submit(users, election, kind, number="", today=TODAY, at="KI-R1", actor=None, **data):
    return campaign.submit_request(actor=actor or users[Role.REGISTER_OFFICER],
                                   election=election, centre=centre(at), kind=kind,
                                   voter_number=number, data=RequestData(**data), today=today)


def through(users, request, *, apply: bool = True) -> CampaignRequest:
    request = campaign.verify_request(actor=users[Role.REGISTER_OFFICER], request=request)
    request = campaign.approve_request(actor=users[Role.OFFICE_MANAGER], request=request)
    if apply:
        request = campaign.apply_request(actor=users[Role.OFFICE_MANAGER], request=request)
    return request


def refused(call) -> RegisterRefused:
    with pytest.raises(RegisterRefused) as caught:
        call()
    return caught.value


def message(error: RegisterRefused, language: str = "en") -> str:
    with translation.override(language):
        return explain(error).message


# --- the steps -------------------------------------------------------------------------

def test_a_transfer_goes_through_every_step_and_moves_the_voter(users, election):
    person = voter("100000001")
    request = submit(users, election, "transfer", "100000001", target_centre=target("KI0002"))
    assert request.state == RequestState.SUBMITTED
    assert campaign.well_formed_number(request.number)
    request = through(users, request)
    assert request.state == RequestState.APPLIED
    person.refresh_from_db()
    assert (person.centre.code, person.station, person.governorate.code) == (
        "KI0002", None, "IQ-KI")
    change = VoterChange.objects.get(voter=person)
    assert change.before["centre_id"] == target("KI0001").pk
    assert change.after == {"centre_id": target("KI0002").pk, "station_id": None}
    assert request.number in change.reason
    assert (request.verified_by, request.decided_by, request.applied_by) == (
        users[Role.REGISTER_OFFICER], users[Role.OFFICE_MANAGER], users[Role.OFFICE_MANAGER])
    events = AuditEvent.objects.filter(object_id=str(request.pk),
                                       action__startswith="register.").order_by("seq")
    assert [e.action for e in events] == [
        "register.request_submit", "register.request_verify", "register.request_approve",
        "register.request_apply"]
    for event in events:
        assert set(event.data) == {"number", "kind", "step", "centre"}
        text = json.dumps(event.data, ensure_ascii=False)
        assert "أحمد" not in text
        assert "1980" not in text
        assert "100000001" not in text


def test_a_new_registration_creates_a_voter_with_a_number_from_the_request(users, election):
    request = submit(users, election, "new_registration", first_name="زينب",
                     father_name="محمد", grandfather_name="جاسم", family_name="",
                     mother_name="مريم عباس", sex="F", birth_date=date(2005, 1, 2),
                     target_centre=target("KI0002"))
    request = through(users, request)
    created = Voter.objects.get(voter_number="R" + request.number)
    assert (created.first_name, created.birth_date, created.centre.code, created.status) == (
        "زينب", date(2005, 1, 2), "KI0002", Status.ACTIVE)
    assert created.sort_key == stored_sort_key("زينب", "محمد", "جاسم", "", created.voter_number)
    assert VoterChange.objects.get(voter=created).before is None
    assert request.voter == created


def test_a_correction_changes_the_named_fields_and_the_sort_key(users, election):
    person = voter("100000002")
    request = through(users, submit(users, election, "correction", "100000002",
                                    first_name="إبراهيم", birth_date=date(1981, 5, 1)))
    person.refresh_from_db()
    assert (person.first_name, person.father_name, person.birth_date) == (
        "إبراهيم", "علي", date(1981, 5, 1))
    assert person.sort_key == stored_sort_key("إبراهيم", "علي", "حسين", "الجبوري", "100000002")
    change = VoterChange.objects.get(voter=person)
    assert change.before == {"first_name": "أحمد", "birth_date": "1980-05-01"}
    assert request.state == RequestState.APPLIED


@pytest.mark.parametrize(("kind", "data", "field", "after"), [
    ("replacement_card", {"card_kind": CardKind.SHORT_TERM}, "card_kind", CardKind.SHORT_TERM),
    ("special_voting", {"category": Category.SECURITY_FORCES}, "category",
     Category.SECURITY_FORCES),
    ("removal_of_deceased", {"death_evidence": "شهادة وفاة 123",
                             "death_date": date(2023, 6, 1)}, "status", Status.REMOVED),
])
def test_each_kind_changes_its_field_with_history(users, election, kind, data, field, after):
    person = voter("100000003")
    through(users, submit(users, election, kind, "100000003", **data))
    person.refresh_from_db()
    assert getattr(person, field) == after
    assert VoterChange.objects.get(voter=person).after[field] == after
    if kind == "removal_of_deceased":
        assert "2023-06-01" in person.removal_reason


def test_a_rejection_needs_a_reason_and_is_final(users, election):
    voter("100000004")
    request = submit(users, election, "replacement_card", "100000004",
                     card_kind=CardKind.BIOMETRIC)
    manager = users[Role.OFFICE_MANAGER]
    error = refused(lambda: campaign.reject_request(actor=manager, request=request,
                                                    reason="  "))
    assert error.code == "reason_required"
    request = campaign.reject_request(actor=manager, request=request, reason="وثيقة مزورة")
    assert (request.state, request.rejection_reason) == (RequestState.REJECTED, "وثيقة مزورة")
    assert refused(lambda: campaign.verify_request(
        actor=users[Role.REGISTER_OFFICER], request=request)).code == "already_rejected"


def test_the_one_who_verified_may_not_approve(users, election):
    voter("100000005")
    admin = users[Role.ADMIN]
    request = submit(users, election, "replacement_card", "100000005", actor=admin,
                     card_kind=CardKind.BIOMETRIC)
    request = campaign.verify_request(actor=admin, request=request)
    error = refused(lambda: campaign.approve_request(actor=admin, request=request))
    assert error.code == "approver_verified"
    assert "another person" in message(error)
    assert CampaignRequest.objects.get(pk=request.pk).state == RequestState.VERIFIED
    campaign.approve_request(actor=users[Role.OFFICE_MANAGER], request=request)


def test_steps_out_of_order_and_after_the_end_are_refused(users, election):
    voter("100000006")
    request = submit(users, election, "replacement_card", "100000006",
                     card_kind=CardKind.BIOMETRIC)
    manager = users[Role.OFFICE_MANAGER]
    assert refused(lambda: campaign.approve_request(actor=manager, request=request)
                   ).code == "step_not_possible"
    assert refused(lambda: campaign.apply_request(actor=manager, request=request)
                   ).code == "step_not_possible"
    request = through(users, request)
    assert refused(lambda: campaign.apply_request(actor=manager, request=request)
                   ).code == "already_applied"


def test_each_step_needs_its_capability(users, election):
    voter("100000007")
    request = submit(users, election, "replacement_card", "100000007",
                     card_kind=CardKind.BIOMETRIC)
    with pytest.raises(PermissionDenied):
        campaign.verify_request(actor=users[Role.OFFICE_MANAGER], request=request)
    with pytest.raises(PermissionDenied):
        campaign.approve_request(actor=users[Role.REGISTER_OFFICER], request=request)
    with pytest.raises(PermissionDenied):
        submit(users, election, "replacement_card", "100000007", actor=users[Role.CLERK],
               card_kind=CardKind.BIOMETRIC)


def test_another_governorates_request_and_voter_are_hidden(users, election):
    voter("200000001", centre="BA0001")
    admin = users[Role.ADMIN]
    request = submit(users, election, "replacement_card", "200000001", at="BA-R1",
                     actor=admin, card_kind=CardKind.BIOMETRIC)
    with pytest.raises(Hidden):
        campaign.verify_request(actor=users[Role.REGISTER_OFFICER], request=request)
    with pytest.raises(Hidden):
        submit(users, election, "replacement_card", "200000001", at="BA-R1",
               card_kind=CardKind.BIOMETRIC)
    # At a Kirkuk centre the Basra voter is no voter at all, except to move to Kirkuk.
    assert refused(lambda: submit(users, election, "replacement_card", "200000001",
                                  card_kind=CardKind.BIOMETRIC)).code == "unknown_voter"
    moved = submit(users, election, "transfer", "200000001", target_centre=target("KI0001"),
                   proof_of_residence=True)
    assert moved.governorate.code == "IQ-KI"


def test_a_final_register_refuses_every_step(users, election):
    voter("100000008")
    request = submit(users, election, "replacement_card", "100000008",
                     card_kind=CardKind.BIOMETRIC)
    Finalisation.objects.create(election=election, at=timezone.now(), voters=1, sha256="0" * 64)
    assert refused(lambda: campaign.verify_request(actor=users[Role.REGISTER_OFFICER],
                                                   request=request)).code == "register_final"
    assert refused(lambda: submit(users, election, "replacement_card", "100000008",
                                  card_kind=CardKind.BIOMETRIC)).code == "register_final"
    assert refused(lambda: campaign.remove_deceased(
        actor=users[Role.OFFICE_MANAGER], election=election, name="d.csv",
        content=b"voter_number,death_date,reference\n100000008,2023-01-01,M-1\n",
        today=TODAY)).code == "register_final"


# --- what is submitted -------------------------------------------------------------------

def test_a_request_outside_the_campaign_is_refused_naming_its_dates(users, election):
    voter("100000009")
    error = refused(lambda: submit(users, election, "replacement_card", "100000009",
                                   today=date(2023, 8, 8), card_kind=CardKind.BIOMETRIC))
    assert error.code == "outside_campaign"
    assert "2023-07-09" in message(error)
    assert "2023-08-07" in message(error)
    assert "2023-07-09" in message(error, "ar")
    # Both days are open.
    for day in (date(2023, 7, 9), date(2023, 8, 7)):
        submit(users, election, "replacement_card", "100000009", today=day,
               card_kind=CardKind.BIOMETRIC)


def test_an_election_without_the_phase_has_no_campaign(users, election):
    election.calendar.filter(phase="register_update").delete()
    voter("100000010")
    assert refused(lambda: submit(users, election, "replacement_card", "100000010",
                                  card_kind=CardKind.BIOMETRIC)).code == "no_campaign"


PERSON = {"first_name": "زينب", "father_name": "محمد", "grandfather_name": "جاسم",
          "mother_name": "مريم", "sex": "F"}


@pytest.mark.parametrize(("kind", "number", "data", "code"), [
    ("new_registration", "", {**PERSON, "target_centre": "KI0001"}, "birth_date_missing"),
    ("new_registration", "", {**PERSON, "birth_date": date(2005, 12, 19),
                              "target_centre": "KI0001"}, "under_age"),
    ("new_registration", "", {**PERSON, "birth_date": date(2000, 1, 1)}, "no_centre"),
    ("new_registration", "", {"first_name": "زينب", "birth_date": date(2000, 1, 1),
                              "target_centre": "KI0001"}, "person_incomplete"),
    ("transfer", "V1", {}, "no_centre"),
    ("transfer", "V1", {"target_centre": "KI0001"}, "same_centre"),
    ("transfer", "V1", {"target_centre": "BA0001"}, "no_proof_of_residence"),
    ("special_voting", "V1", {"category": ""}, "not_special_category"),
    ("special_voting", "V1", {"category": Category.GENERAL}, "not_special_category"),
    ("removal_of_deceased", "V1", {"death_evidence": "  "}, "no_evidence_of_death"),
    ("correction", "V1", {"first_name": "أحمد"}, "nothing_to_correct"),
    ("replacement_card", "V1", {}, "no_card_kind"),
    ("replacement_card", "V9", {"card_kind": "biometric"}, "unknown_voter"),
    ("replacement_card", "GONE", {"card_kind": "biometric"}, "voter_removed"),
])
def test_submission_refusals(users, election, kind, number, data, code):
    voter("V1")
    voter("GONE", status=Status.REMOVED)
    if "target_centre" in data:
        data = {**data, "target_centre": target(data["target_centre"])}
    error = refused(lambda: submit(users, election, kind, number, **data))
    assert error.code == code
    assert message(error) != code  # worded
    assert message(error, "ar") != message(error)
    assert not CampaignRequest.objects.exists()


def test_a_transfer_to_another_governorate_with_proof_is_accepted(users, election):
    voter("V2")
    request = submit(users, election, "transfer", "V2", target_centre=target("BA0001"),
                     proof_of_residence=True)
    through(users, request)
    assert Voter.objects.get(voter_number="V2").governorate.code == "IQ-BA"


def test_the_age_counts_on_polling_day(users, election):
    # Polling day 18 December 2023: born 18 December 2005 is 18 that day.
    request = submit(users, election, "new_registration", **PERSON,
                     birth_date=date(2005, 12, 18), target_centre=target("KI0001"))
    assert request.birth_year == 2005


def test_request_numbers_are_checked_by_their_digit():
    number = campaign.random_number()
    assert campaign.well_formed_number(number)
    wrong = number[:3] + str((int(number[3]) + 1) % 10) + number[4:]
    assert not campaign.well_formed_number(wrong)
    assert not campaign.well_formed_number("0" + number[1:])


# --- bulk removal of the deceased ---------------------------------------------------------

HEADER = "voter_number,death_date,reference\n"


def remove(users, election, text: str, role: Role = Role.OFFICE_MANAGER):
    return campaign.remove_deceased(actor=users[role], election=election, name="deaths.csv",
                                    content=text.encode(), today=TODAY)


def test_bulk_removal_removes_every_voter_in_the_file(users, election):
    for n in range(1, 4):
        voter(f"D{n}")
    text = HEADER + "D1,2023-01-05,MOH-1\nD2,2023-02-05,MOH-2\nD3,2023-03-05,MOH-3\n"
    summary = remove(users, election, text)
    assert summary.removed == 3
    assert set(Voter.objects.values_list("status", flat=True)) == {Status.REMOVED}
    assert "MOH-2" in Voter.objects.get(voter_number="D2").removal_reason
    assert VoterChange.objects.count() == 3
    change = VoterChange.objects.get(voter__voter_number="D2")
    assert change.before == {"status": "active", "removal_reason": ""}
    assert change.after["status"] == "removed"
    assert change.actor == users[Role.OFFICE_MANAGER]
    request = CampaignRequest.objects.get(voter__voter_number="D2")
    assert (request.death_date, request.death_evidence, request.birth_year) == (
        date(2023, 2, 5), "MOH-2", 1980)
    assert campaign.well_formed_number(request.number)
    assert CampaignRequest.objects.filter(state=RequestState.APPLIED,
                                          kind="removal_of_deceased").count() == 3
    event = AuditEvent.objects.get(action="register.remove_deceased")
    assert event.data["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert event.data["removed"] == 3
    assert "D1" not in json.dumps(event.data)


def test_bulk_removal_is_all_or_nothing_with_every_bad_row_named(users, election):
    voter("D1")
    voter("D2")
    voter("D3", status=Status.REMOVED)
    voter("D4")
    voter("B1", centre="BA0001")
    text = HEADER + ("D1,2023-01-05,MOH-1\n"    # row 2: fine
                     "NOPE,2023-01-05,MOH-2\n"  # row 3: unknown
                     "D3,2023-01-05,MOH-3\n"    # row 4: already removed
                     "D2,05/01/2023,MOH-4\n"    # row 5: bad date
                     "D1,2023-01-06,MOH-5\n"    # row 6: duplicate of row 2
                     "B1,2023-01-05,MOH-6\n"    # row 7: another governorate (Kirkuk manager)
                     "D4,2099-01-01,MOH-7\n")   # row 8: in the future
    with pytest.raises(ImportRejected) as caught, translation.override("en"):
        remove(users, election, text)
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {(3, "voter_number"), (4, "voter_number"), (5, "death_date"),
                     (6, "voter_number"), (7, "voter_number"), (8, "death_date")}
    reasons = " ".join(p.reason for p in caught.value.problems)
    assert "already removed" in reasons
    assert "first at row 2" in reasons
    assert Voter.objects.filter(status=Status.REMOVED).count() == 1  # D3, before
    assert not CampaignRequest.objects.exists()
    assert not AuditEvent.objects.filter(action="register.remove_deceased").exists()


def test_bulk_removal_is_not_bound_to_the_campaign_window(users, election):
    voter("D1")
    summary = campaign.remove_deceased(
        actor=users[Role.OFFICE_MANAGER], election=election, name="d.csv",
        content=(HEADER + "D1,2023-09-01,MOH-1\n").encode(), today=date(2023, 10, 1))
    assert summary.removed == 1


def test_bulk_removal_needs_the_deciding_capability(users, election):
    voter("D1")
    with pytest.raises(PermissionDenied):
        remove(users, election, HEADER + "D1,2023-01-05,MOH-1\n", Role.REGISTER_OFFICER)


def test_bulk_removal_refuses_a_file_without_its_columns(users, election):
    with pytest.raises(ImportRejected):
        remove(users, election, "voter_number,reference\nD1,x\n")


def test_a_voter_already_in_the_category_and_a_taken_new_number_are_refused(users, election):
    voter("V3", category=Category.SECURITY_FORCES)
    assert refused(lambda: submit(users, election, "special_voting", "V3",
                                  category=Category.SECURITY_FORCES)
                   ).code == "already_in_category"
    request = submit(users, election, "new_registration", **PERSON,
                     birth_date=date(1990, 1, 1), target_centre=target("KI0001"))
    voter("R" + request.number)  # the number the scheme would give, taken by an import
    error = refused(lambda: through(users, request))
    assert error.code == "voter_number_taken"
    assert CampaignRequest.objects.get(pk=request.pk).state == RequestState.APPROVED


def test_a_value_too_long_is_refused(users, election):
    voter("V4")
    assert refused(lambda: submit(users, election, "correction", "V4", first_name="ا" * 101)
                   ).code == "too_long"
