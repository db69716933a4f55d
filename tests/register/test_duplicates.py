"""Duplicate detection over the register: the job's run stores the model's clusters
as suspected duplicates, a re-run leaves decided groups decided, and the review
queue's decisions change the register with history, within the reviewer's
governorate. Runs on SQLite and, with DATABASE_URL, on PostgreSQL (COPY out)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.http import Http404
from django.utils import timezone

from shafaf.access.roles import SCOPED_ROLES, Role
from shafaf.accounts.models import User
from shafaf.audit.models import AuditEvent
from shafaf.elections import actions as elections
from shafaf.elections.models import District, Governorate, PollingCentre, SubDistrict
from shafaf.register import actions
from shafaf.register import duplicates as dedup
from shafaf.register.finality import RegisterRefused
from shafaf.register.models import (
    DuplicateGroup,
    DuplicateState,
    Finalisation,
    Status,
    Voter,
    VoterChange,
)

HEADER = ("voter_number,first_name,father_name,grandfather_name,family_name,mother_name,"
          "sex,birth_date,centre_code\n")
REGISTER = HEADER + (
    "800000001,عبد الله,حسين,علي,الجبوري,فاطمة حسن,M,1980-03-02,KI0001\n"
    "800000002,عبدالله,حسين,على,جبوري,فاطمه حسن,M,1980-02-03,KI0001\n"  # one person
    "800000003,عمر,حسين,علي,الجبوري,فاطمة حسن,M,1980-03-02,KI0001\n"  # his twin
    "800000004,مريم,حسين,علي,الجبوري,فاطمة حسن,F,1983-07-11,KI0001\n"  # his sister
    "800000005,أحمد,كاظم,جاسم,الدليمي,زينب عباس,M,1975-10-20,BA0001\n"
    "800000006,احمد,كاظم,جاسم,الدليمي,زينب عباس,M,1976-10-20,BA0001\n"  # a mistyped year
    "800000007,سارة,ناصر,فلاح,التميمي,هدى سالم,F,1992-01-09,BA0001\n"
)
NAMES = ("عبد", "حسين", "الجبوري", "فاطمة", "أحمد", "كاظم", "زينب")


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
    actions.import_voters(actor=None, election=election, name="register.csv",
                          content=REGISTER.encode(), today=date(2023, 8, 1))
    return election


@pytest.fixture
def people(election) -> dict[Role, User]:
    kirkuk = Governorate.objects.get(code="IQ-KI")
    return {role: User.objects.create_user(username=role.value, password="x" * 20, role=role,
                                           governorate=kirkuk if role in SCOPED_ROLES
                                           else None)
            for role in (Role.ADMIN, Role.REGISTER_OFFICER, Role.CLERK)}


def numbers(group: DuplicateGroup) -> list[str]:
    return sorted(Voter.objects.filter(pk__in=group.members.values("voter_id"))
                  .values_list("voter_number", flat=True))


def by_numbers(election) -> dict[tuple[str, ...], DuplicateGroup]:
    return {tuple(numbers(g)): g for g in DuplicateGroup.objects.filter(election=election)}


def test_a_national_run_stores_each_cluster_in_its_governorate(election):
    summary = dedup.detect(election=election)
    assert (summary.records, summary.found, summary.opened) == (7, 2, 2)
    groups = by_numbers(election)
    assert set(groups) == {("800000001", "800000002"), ("800000005", "800000006")}
    kirkuk = groups["800000001", "800000002"]
    assert kirkuk.governorate.code == "IQ-KI"
    assert groups["800000005", "800000006"].governorate.code == "IQ-BA"
    assert kirkuk.state == DuplicateState.OPEN
    assert kirkuk.probability >= 0.99
    event = AuditEvent.objects.get(action="register.duplicates_detected")
    assert (event.data["found"], event.data["opened"]) == (2, 2)
    assert not any(name in json.dumps(event.data, ensure_ascii=False) for name in NAMES)


def test_a_governorate_run_sees_only_that_governorate(election):
    kirkuk = Governorate.objects.get(code="IQ-KI")
    summary = dedup.detect(election=election, governorate=kirkuk.pk)
    assert summary.records == 4
    assert set(by_numbers(election)) == {("800000001", "800000002")}


def test_a_rerun_opens_nothing_new(election):
    dedup.detect(election=election)
    again = dedup.detect(election=election)
    assert (again.opened, again.still_open) == (0, 2)
    assert DuplicateGroup.objects.count() == 2


def test_confirming_keeps_one_record_and_removes_the_other_with_history(election, people):
    dedup.detect(election=election)
    group = by_numbers(election)["800000001", "800000002"]
    kept = Voter.objects.get(voter_number="800000001")
    dedup.confirm(actor=people[Role.REGISTER_OFFICER], group=group.pk, keep=kept.pk)
    kept.refresh_from_db()
    other = Voter.objects.get(voter_number="800000002")
    assert kept.status == Status.ACTIVE
    assert (other.status, other.removal_reason) == (Status.REMOVED,
                                                    "duplicate of 800000001")
    change = VoterChange.objects.filter(voter=other).last()
    assert change.after == {"status": "removed", "removal_reason": "duplicate of 800000001"}
    assert change.before["status"] == "active"
    assert change.actor == people[Role.REGISTER_OFFICER]
    group.refresh_from_db()
    assert (group.state, group.kept, group.decided_by) == (
        DuplicateState.CONFIRMED, kept, people[Role.REGISTER_OFFICER])
    event = AuditEvent.objects.get(action="register.duplicate_confirmed")
    assert event.data["removed"] == 1
    assert not any(name in json.dumps(event.data, ensure_ascii=False) for name in NAMES)
    # Decided once: a second decision is refused, and a re-run opens nothing.
    with pytest.raises(RegisterRefused) as refused:
        dedup.confirm(actor=people[Role.ADMIN], group=group.pk, keep=kept.pk)
    assert refused.value.code == "duplicate_decided"
    assert dedup.detect(election=election).opened == 0
    assert DuplicateGroup.objects.filter(state=DuplicateState.OPEN).count() == 1


def test_different_people_stays_decided_on_a_rerun(election, people):
    dedup.detect(election=election)
    group = by_numbers(election)["800000005", "800000006"]
    dedup.different_people(actor=people[Role.ADMIN], group=group.pk,
                           reason="Two brothers: birth certificates seen")
    again = dedup.detect(election=election)
    assert (again.opened, again.already_decided) == (0, 1)
    group.refresh_from_db()
    assert group.state == DuplicateState.DIFFERENT
    assert group.reason == "Two brothers: birth certificates seen"
    assert Voter.objects.filter(voter_number__in=("800000005", "800000006"),
                                status=Status.ACTIVE).count() == 2


def test_different_people_needs_a_reason(election, people):
    dedup.detect(election=election)
    group = by_numbers(election)["800000005", "800000006"]
    for reason, code in (("  ", "duplicate_reason_missing"),
                         ("x" * 501, "duplicate_reason_long")):
        with pytest.raises(RegisterRefused) as refused:
            dedup.different_people(actor=people[Role.ADMIN], group=group.pk, reason=reason)
        assert refused.value.code == code


def test_a_kirkuk_officer_never_reaches_a_basra_group(election, people):
    dedup.detect(election=election)
    basra = by_numbers(election)["800000005", "800000006"]
    officer = people[Role.REGISTER_OFFICER]
    assert list(dedup.groups_for(officer, election)) == [
        by_numbers(election)["800000001", "800000002"]]
    with pytest.raises(Http404):
        dedup.group_for(officer, basra.pk)
    with pytest.raises(Http404):
        dedup.confirm(actor=officer, group=basra.pk,
                      keep=Voter.objects.get(voter_number="800000005").pk)
    assert Voter.objects.filter(status=Status.REMOVED).count() == 0


def test_the_kept_record_must_be_in_the_group(election, people):
    dedup.detect(election=election)
    group = by_numbers(election)["800000001", "800000002"]
    stranger = Voter.objects.get(voter_number="800000004")
    with pytest.raises(RegisterRefused) as refused:
        dedup.confirm(actor=people[Role.ADMIN], group=group.pk, keep=stranger.pk)
    assert refused.value.code == "duplicate_keep_unknown"


def test_a_final_register_refuses_every_decision(election, people):
    dedup.detect(election=election)
    group = by_numbers(election)["800000001", "800000002"]
    Finalisation.objects.create(election=election, at=timezone.now(), voters=7, sha256="0" * 64)
    with pytest.raises(RegisterRefused) as refused:
        dedup.confirm(actor=people[Role.ADMIN], group=group.pk,
                      keep=Voter.objects.get(voter_number="800000001").pk)
    assert refused.value.code == "register_final"
    with pytest.raises(RegisterRefused):
        dedup.detect(election=election)
    assert Voter.objects.filter(status=Status.REMOVED).count() == 0


def test_a_clerk_may_not_review(election, people):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        dedup.groups_for(people[Role.CLERK], election)


def test_the_job_runs_detection_and_the_queue_holds_its_groups(election, people):
    from shafaf.jobs import worker
    from shafaf.jobs.models import Job

    admin = people[Role.ADMIN]
    job = dedup.start_detection(actor=admin, election=election, governorate=None)
    assert worker.run_pending() == 1
    job = Job.objects.get(pk=job.pk)
    assert job.state == "done", job.lines
    assert "7" in job.lines[0]
    assert job.link == "/staff/register/duplicates/"
    assert DuplicateGroup.objects.filter(state=DuplicateState.OPEN).count() == 2
    assert AuditEvent.objects.get(action="register.duplicates_detected").actor_id == admin.pk


def test_a_scoped_run_is_its_governorate_whatever_is_asked(election, people):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):  # only who imports the register starts a run
        dedup.start_detection(actor=people[Role.REGISTER_OFFICER], election=election,
                              governorate=None)


def test_planted_demo_duplicates_fill_the_queue(election):
    from shafaf.register.demo_duplicates import PAIRS, PLANTED_FROM, plant_duplicates

    summary = plant_duplicates(election)
    planted = {tuple(numbers(g)) for g in DuplicateGroup.objects.filter(
        election=election, state=DuplicateState.OPEN)
        if numbers(g)[0].startswith("9000000") and int(numbers(g)[0]) >= PLANTED_FROM}
    pairs = {(str(PLANTED_FROM + 2 * i), str(PLANTED_FROM + 2 * i + 1))
             for i in range(len(PAIRS))}
    # Every planted pair, the twins (رعد and سعد, one letter apart) included: the queue
    # shows a reviewer one group to mark as different people.
    assert planted == pairs
    assert summary is not None
    # In Kirkuk, where the demonstration's register staff work, and detected there.
    kirkuk = Voter.objects.filter(governorate__code="IQ-KI")
    assert kirkuk.filter(voter_number__in={n for pair in pairs for n in pair}).count() == (
        2 * len(PAIRS))
    assert summary.records == kirkuk.count()
    # Twice changes nothing.
    plant_duplicates(election)
    assert Voter.objects.count() == 7 + 2 * len(PAIRS)


def test_the_group_page_refuses_bad_input_with_a_message(election, people, client):
    dedup.detect(election=election)
    group = by_numbers(election)["800000001", "800000002"]
    client.force_login(people[Role.REGISTER_OFFICER])
    url = f"/staff/register/duplicates/{group.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "عبدالله" in page.content.decode()
    for posted in ({"step": "confirm", "keep": "abc", "sure": "on"},
                   {"step": "confirm", "keep": str(group.members.first().voter_id)},
                   {"step": "different", "reason": "x" * 5000},
                   {"step": "nonsense"}):
        response = client.post(url, posted)
        assert response.status_code == 400, posted
        assert b'class="errors"' in response.content
    assert Voter.objects.filter(status=Status.REMOVED).count() == 0
    group.refresh_from_db()
    assert group.state == DuplicateState.OPEN
    client.post(url, {"step": "different", "reason": "Two brothers"})
    assert client.get("/staff/register/duplicates/").content.decode().count(
        "/staff/register/duplicates/") >= 1
    group.refresh_from_db()
    assert group.state == DuplicateState.DIFFERENT
