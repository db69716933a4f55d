"""Complaints on the count flow into the results: the Board's recount sends the station to
the audit centre until its recount is adopted; a cancellation takes the station out of the
totals; a ruling that overturns it puts it back; the Panel's disqualification is recorded."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from shafaf.access.roles import SCOPED_ROLES, Role
from shafaf.accounts.models import User
from shafaf.audit.models import AuditEvent
from shafaf.core.refusal import Hidden
from shafaf.elections.models import Contest, PollingCentre, PollingStation
from shafaf.entities.models import Candidate, EntityAgent, NominationList
from shafaf.register.finality import RegisterRefused
from shafaf.results import complaints
from shafaf.results.adoption import station_result
from shafaf.results.forms import VoteRow, record_form
from shafaf.results.models import (
    BoardOrder,
    ContestTotal,
    Disqualification,
    Outcome,
    ResultComplaint,
    Source,
    StationResult,
)
from shafaf.results.refusals import ResultsRefused
from shafaf.results.settlement import settle

pytestmark = pytest.mark.django_db
IN_TIME = date(2023, 12, 19)  # polling day 18 December 2023, 2 days to complain


@pytest.fixture
def people(kirkuk: Contest) -> dict[Role, User]:
    found = {role: User.objects.create_user(
        username=role.value, password="a-long-passphrase-9", role=role,  # noqa: S106
        governorate=kirkuk.governorate if role in SCOPED_ROLES else None) for role in Role}
    entity = NominationList.objects.filter(contest=kirkuk).order_by("entity__code")[0].entity
    EntityAgent.objects.create(user=found[Role.ENTITY_AGENT], entity=entity)
    return found


def _numbers(valid: int, invalid: int = 10) -> dict[str, int]:
    box = valid + invalid
    return {"registered": 2000, "voted": box, "ballots_received": box + 100,
            "ballots_in_box": box, "ballots_spoiled": 0, "ballots_unused": 100,
            "invalid": invalid, "valid": valid}


def _count(contest: Contest, station: PollingStation, source: Source, a: int, b: int) -> None:
    lists = list(NominationList.objects.filter(contest=contest).order_by("entity__code"))
    with transaction.atomic():
        record_form(station=station, contest=contest, source=source, numbers=_numbers(a + b),
                    votes=[VoteRow(nomination_id=lists[0].pk, candidate_id=None, votes=a),
                           VoteRow(nomination_id=lists[1].pk, candidate_id=None, votes=b)])
        settle(result=station_result(station=station, contest=contest))


def _counted(contest: Contest) -> tuple[int, int]:
    total = ContestTotal.objects.filter(contest=contest).first()
    return (total.stations_counted, total.valid) if total else (0, 0)


def _result(station: PollingStation) -> StationResult:
    return StationResult.objects.get(station=station, component="")


def _stations(contest: Contest) -> list[PollingStation]:
    return list(PollingStation.objects.filter(centre__governorate=contest.governorate)
                .order_by("code"))


def _file(people, station=None, centre=None, who=Role.ENTITY_AGENT, **extra):
    station_centre = centre or station.centre
    return complaints.file_complaint(
        actor=people[who], election=station_centre.election, centre=station_centre,
        station=station, ground="count_error", statement="The tally sheet was changed.",
        today=IN_TIME, **extra)


def test_a_recount_sends_the_station_to_audit_until_its_recount_is_adopted(kirkuk, people):
    station = _stations(kirkuk)[0]
    _count(kirkuk, station, Source.ELECTRONIC, 600, 400)
    _count(kirkuk, station, Source.MANUAL, 600, 400)
    assert _counted(kirkuk) == (1, 1000)
    complaint = _file(people, station)
    board = people[Role.COMMISSIONER]
    complaints.decide(actor=board, complaint=complaint, step="class_red", reason="May matter.")
    assert _result(station).outcome == Outcome.ADOPTED  # classing alone changes nothing
    complaints.decide(actor=board, complaint=complaint, step="recount", reason="Recount it.")
    result = _result(station)
    assert (result.outcome, result.audit_reason, result.board_order) == (
        Outcome.AUDIT, "complaint", BoardOrder.RECOUNT)
    assert _counted(kirkuk) == (0, 0)
    _count(kirkuk, station, Source.AUDIT, 550, 400)
    result = _result(station)
    assert (result.outcome, result.adopted_form.source) == (Outcome.ADOPTED, Source.AUDIT)
    assert _counted(kirkuk) == (1, 950)
    complaint.refresh_from_db()
    assert (complaint.state, complaint.decision, complaint.decided_by) == (
        "recount", "recount", board)
    actions = list(AuditEvent.objects.filter(action__startswith="results.")
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["results.complaint_filed", "results.complaint_class_red",
                       "results.complaint_recount", "results.board_order"]


def test_cancelling_a_centre_drops_its_stations_and_overturning_restores_them(kirkuk, people):
    stations = _stations(kirkuk)
    for n, station in enumerate(stations[:5]):
        _count(kirkuk, station, Source.MANUAL, 100 + n, 50)
    assert _counted(kirkuk) == (5, 760)
    centre = stations[0].centre
    complaint = _file(people, centre=centre, who=Role.OBSERVER)
    board = people[Role.COMMISSIONER]
    complaints.decide(actor=board, complaint=complaint, step="class_red", reason="Serious.")
    complaints.decide(actor=board, complaint=complaint, step="cancel",
                      reason="The box was stuffed.")
    in_centre = [s for s in stations if s.centre_id == centre.pk]
    assert len(in_centre) == 4
    for station in in_centre:
        result = _result(station)
        assert (result.outcome, result.board_order, result.note) == (
            Outcome.CANCELLED, BoardOrder.CANCEL, "The box was stuffed.")
    assert _counted(kirkuk) == (1, 154)  # the fifth station, in another centre
    complaints.appeal(actor=people[Role.OBSERVER], complaint=complaint,
                      grounds="No evidence of stuffing.")
    complaints.rule(actor=people[Role.ADMIN], complaint=complaint, overturned=True,
                    ruling="Panel 12/2024, 5 January 2024")
    assert _counted(kirkuk) == (5, 760)
    for station in in_centre:
        result = _result(station)
        assert (result.board_order, result.note) == ("", "")
    assert _result(in_centre[0]).outcome == Outcome.ADOPTED
    complaint.refresh_from_db()
    assert (complaint.state, complaint.decision) == ("overturned", "cancelled")


def test_an_upheld_cancellation_stays_and_the_strongest_order_stands(kirkuk, people):
    station = _stations(kirkuk)[0]
    _count(kirkuk, station, Source.MANUAL, 300, 200)
    board, panel = people[Role.COMMISSIONER], people[Role.ADMIN]
    cancel = _file(people, station)
    recount = _file(people, centre=station.centre, who=Role.CSO_COORDINATOR)
    for complaint, step in ((cancel, "cancel"), (recount, "recount")):
        complaints.decide(actor=board, complaint=complaint, step="class_red", reason="Red.")
        complaints.decide(actor=board, complaint=complaint, step=step, reason=step)
    assert _result(station).outcome == Outcome.CANCELLED
    assert _result(_stations(kirkuk)[1]).outcome == Outcome.AUDIT
    complaints.appeal(actor=people[Role.ENTITY_AGENT], complaint=cancel, grounds="Wrong.")
    complaints.rule(actor=panel, complaint=cancel, overturned=True, ruling="Panel 1/2024")
    result = _result(station)  # the recount of the whole centre still stands
    assert (result.outcome, result.board_order) == (Outcome.AUDIT, BoardOrder.RECOUNT)
    complaints.appeal(actor=people[Role.CSO_COORDINATOR], complaint=recount, grounds="Wrong.")
    complaints.rule(actor=panel, complaint=recount, overturned=False, ruling="Panel 2/2024")
    assert _result(station).board_order == BoardOrder.RECOUNT


def test_an_overturned_dismissal_carries_the_panels_order_and_a_disqualification(
        kirkuk, people):
    station = _stations(kirkuk)[0]
    _count(kirkuk, station, Source.MANUAL, 300, 200)
    complaint = _file(people, station)
    board = people[Role.COMMISSIONER]
    complaints.decide(actor=board, complaint=complaint, step="class_yellow",
                      reason="Unsigned form.")
    complaints.appeal(actor=people[Role.ENTITY_AGENT], complaint=complaint,
                      grounds="It was signed.")
    candidate = Candidate.objects.filter(nomination__contest=kirkuk).order_by("pk").first()
    with pytest.raises(ResultsRefused, match="panel_order_only_on_dismissal"):
        complaints.rule(actor=people[Role.ADMIN], complaint=complaint, overturned=False,
                        ruling="Panel 3/2024", panel_order="cancel")
    complaints.rule(actor=people[Role.ADMIN], complaint=complaint, overturned=True,
                    ruling="Panel 3/2024, 10 January 2024", text="Votes bought.",
                    panel_order="cancel", disqualify=candidate)
    result = _result(station)
    assert (result.outcome, result.note) == (Outcome.CANCELLED, "Votes bought.")
    found = Disqualification.objects.get()
    assert (found.candidate, found.contest, found.ruling) == (
        candidate, kirkuk, "Panel 3/2024, 10 January 2024")
    assert ResultComplaint.objects.get().disqualification == found
    assert AuditEvent.objects.filter(action="results.candidate_disqualified").count() == 1


def test_a_candidate_of_another_contest_or_twice_is_refused(kirkuk, people):
    complaint = _file(people, _stations(kirkuk)[0])
    board = people[Role.COMMISSIONER]
    complaints.decide(actor=board, complaint=complaint, step="class_green", reason="Noted.")
    complaints.appeal(actor=people[Role.ENTITY_AGENT], complaint=complaint, grounds="x")
    candidate = Candidate.objects.filter(nomination__contest=kirkuk).first()
    Disqualification.objects.create(contest=kirkuk, candidate=candidate, ruling="earlier",
                                    recorded_by=people[Role.ADMIN])
    with pytest.raises(ResultsRefused, match="candidate_already_disqualified"):
        complaints.rule(actor=people[Role.ADMIN], complaint=complaint, overturned=False,
                        ruling="Panel 4/2024", disqualify=candidate)
    complaint.refresh_from_db()
    assert complaint.state == "appealed"


@pytest.mark.parametrize(("today", "code"), [
    (date(2023, 12, 17), "complaint_before_polling"),
    (date(2023, 12, 21), "complaint_period_over")])
def test_filing_outside_the_period_is_refused_naming_the_dates(kirkuk, people, today, code):
    station = _stations(kirkuk)[0]
    with pytest.raises(ResultsRefused) as refused:
        complaints.file_complaint(actor=people[Role.OBSERVER], election=kirkuk.election,
                                  centre=station.centre, station=station, ground="other",
                                  statement="x", today=today)
    assert refused.value.code == code
    assert refused.value.params["opens"] == date(2023, 12, 18)
    assert not ResultComplaint.objects.exists()


def test_an_appeal_after_the_deadline_is_refused(kirkuk, people):
    complaint = _file(people, _stations(kirkuk)[0])
    complaints.decide(actor=people[Role.COMMISSIONER], complaint=complaint,
                      step="class_yellow", reason="No witness.")
    today = timezone.localdate()
    with pytest.raises(ResultsRefused, match="appeal_period_over"):
        complaints.appeal(actor=people[Role.ENTITY_AGENT], complaint=complaint, grounds="x",
                          today=today + timedelta(days=4))
    complaints.appeal(actor=people[Role.ENTITY_AGENT], complaint=complaint, grounds="x",
                      today=today + timedelta(days=3))


def test_who_may_take_each_step(kirkuk, people):
    complaint = _file(people, _stations(kirkuk)[0])
    with pytest.raises(ResultsRefused, match="complaint_step_not_allowed"):
        complaints.decide(actor=people[Role.COMMISSIONER], complaint=complaint,
                          step="recount", reason="not red yet")
    with pytest.raises(Hidden):  # not the filer, nor an agent of the filer's entity
        complaints.appeal(actor=people[Role.OBSERVER], complaint=complaint, grounds="x")
    complaints.decide(actor=people[Role.COMMISSIONER], complaint=complaint,
                      step="class_yellow", reason="Formal.")
    with pytest.raises(Hidden):
        complaints.appeal(actor=people[Role.OBSERVER], complaint=complaint, grounds="x")
    complaint.refresh_from_db()
    assert complaints.steps_for(people[Role.ENTITY_AGENT], complaint) == ("appeal",)
    assert complaints.steps_for(people[Role.COMMISSIONER], complaint) == ()
    assert complaints.steps_for(people[Role.AUDITOR], complaint) == ()
    # The Panel's registry records an appeal lodged with it directly, and rules on it.
    complaints.appeal(actor=people[Role.ADMIN], complaint=complaint, grounds="On paper.")
    complaint.refresh_from_db()
    assert complaints.steps_for(people[Role.ADMIN], complaint) == ("uphold", "overturn")


def test_who_sees_which_complaint(kirkuk, people):
    station = _stations(kirkuk)[0]
    mine = _file(people, station)
    theirs = _file(people, station, who=Role.OBSERVER)
    seen = {role: set(complaints.complaints_for(people[role])) for role in (
        Role.ENTITY_AGENT, Role.OBSERVER, Role.CSO_COORDINATOR, Role.COMMISSIONER,
        Role.CLERK, Role.AUDITOR)}
    assert seen[Role.ENTITY_AGENT] == {mine}
    assert seen[Role.OBSERVER] == {theirs}
    assert seen[Role.CSO_COORDINATOR] == set()
    assert seen[Role.COMMISSIONER] == seen[Role.CLERK] == seen[Role.AUDITOR] == {mine, theirs}
    basra_clerk = User.objects.create_user(username="basra", role=Role.CLERK,
                                           governorate_id=kirkuk.governorate_id + 1)
    assert not complaints.complaints_for(basra_clerk).exists()


def test_a_station_and_centre_that_do_not_match_are_hidden(kirkuk, people):
    one, other = PollingCentre.objects.filter(governorate=kirkuk.governorate)[:2]
    with pytest.raises(Hidden):
        complaints.file_complaint(actor=people[Role.OBSERVER], election=kirkuk.election,
                                  centre=other, station=one.stations.first(), ground="other",
                                  statement="x", today=IN_TIME)


@pytest.mark.parametrize(("content", "code"), [
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "evidence_unreadable"),
    (b"MZ\x90\0 an executable", "evidence_not_accepted"),
    (b"%PDF-1.4 truncated", "evidence_unreadable"),
    (b"%PDF-1.4" + b"\0" * (2 * 1024 * 1024) + b"%%EOF", "evidence_too_large"),
])
def test_hostile_evidence_is_refused(kirkuk, people, content, code):
    with pytest.raises(RegisterRefused) as refused:
        _file(people, _stations(kirkuk)[0], evidence_file=content)
    assert refused.value.code == code
    assert not ResultComplaint.objects.exists()


def test_evidence_that_is_a_real_pdf_is_kept(kirkuk, people):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    complaint = _file(people, _stations(kirkuk)[0], evidence_file=pdf)
    complaint.refresh_from_db()
    assert (bytes(complaint.evidence_file), complaint.evidence_type) == (pdf, "application/pdf")
