"""The demo's results: every demo station's counts, recorded and settled.

Every station gets an electronic transmission and a manual count of its general
seats. The numbers are **synthetic** (docs/demo.md), except that in Anbar the
adopted counts of its seven lists add up exactly to their official 2023 totals, so
the seats computed from the running totals are the official ones. A few stations
in each governorate are made to show what the staff pages are for (the station's
position in its governorate's list of stations, by code, counting from 1):

- the 3rd: the electronic count differs from the manual one by 5% or more, so the
  station waits at the audit centre (``difference``);
- the 5th: the manual count's ballots do not reconcile (``ballot_reconciliation``),
  so the form is quarantined and the station waits at the audit centre;
- the 7th: no transmission arrived within the window; its manual count is adopted
  and the station is listed as late.

Anbar has only the late one, so that all of its votes count. The rest of the
stations adopt their manual count (every fourth with a one-vote difference from the
electronic one, well under 5%).

Two paths record them, with one outcome: :func:`record_each` calls
:func:`~shafaf.results.forms.record_form` for each form and
:func:`~shafaf.results.settlement.settle` for each station, as every results action
does; :func:`record_in_bulk` asks the same core checks and the same core rule
(:mod:`shafaf.core.result_checks`, :mod:`shafaf.core.station_outcome`) for each
station but writes the rows in bulk, for the 35,560 stations of the 2023 demo.
``tests/results/test_demo.py`` records the same stations both ways and finds every
form, vote, station result and running total equal.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, models, transaction
from django.utils import timezone

from shafaf.audit.actions import record
from shafaf.core import laws, result_checks
from shafaf.core import station_outcome as rule
from shafaf.elections.models import Contest, Election, PollingStation
from shafaf.entities.models import NominationList
from shafaf.results.adoption import station_result
from shafaf.results.forms import VoteRow, list_votes, record_form
from shafaf.results.models import (
    ContestTotal,
    FormState,
    FormVote,
    ResultForm,
    Source,
    StationResult,
    VoteTotal,
)
from shafaf.results.settlement import settle, transmission_deadline

BAGHDAD = ZoneInfo("Asia/Baghdad")
ANBAR = "IQ-AN"
# Positions (from 1) of the stations shown at the audit centre, in quarantine, late.
DIFFERENCE, QUARANTINE, LATE = 3, 5, 7
SEED = 2023
BATCH = 2000


@dataclass(frozen=True, slots=True, kw_only=True)
class Form:
    source: Source
    numbers: dict[str, int]
    votes: tuple[VoteRow, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class StationCount:
    """One station's forms for its contest's general seats."""

    station: PollingStation
    contest: Contest
    forms: tuple[Form, ...]


@dataclass
class Summary:
    election: str
    stations: int = 0
    forms: int = 0
    shown: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    """Station codes of each kind shown: ``difference``, ``quarantine``, ``late``."""

    def __str__(self) -> str:
        shown = ", ".join(f"{len(codes)} {kind}" for kind, codes in sorted(self.shown.items()))
        return (f"Results of {self.election}: {self.stations:,} stations, {self.forms:,} forms "
                f"recorded and settled ({shown}; the rest adopted)")


# --- the two ways of recording: one form and one station at a time, or in bulk ---------

def record_each(counts: Sequence[StationCount], *, now: datetime) -> None:
    """Record every form with ``record_form`` and settle every station with ``settle``."""
    with transaction.atomic():
        for count in counts:
            for form in count.forms:
                record_form(station=count.station, contest=count.contest, source=form.source,
                            numbers=form.numbers, votes=form.votes)
            settle(result=station_result(station=count.station, contest=count.contest),
                   now=now)


_COUNT = {Source.ELECTRONIC: rule.Count.ELECTRONIC, Source.PAPER: rule.Count.PAPER,
          Source.MANUAL: rule.Count.MANUAL, Source.AUDIT: rule.Count.RECOUNT}


def record_in_bulk(counts: Sequence[StationCount], *, now: datetime) -> None:
    """What :func:`record_each` does, for stations with no forms and contests with no
    running totals yet, written in a few statements per thousand rows."""
    if not counts:
        return
    stations = [c.station.pk for c in counts]
    contests = {c.contest.pk for c in counts}
    with transaction.atomic():
        if (StationResult.objects.filter(station__in=stations).exists()
                or ResultForm.objects.filter(station__in=stations).exists()
                or VoteTotal.objects.filter(contest__in=contests).exists()
                or ContestTotal.objects.filter(contest__in=contests).exists()):
            raise ValueError("bulk recording is for stations and contests with no results yet")
        forms: list[ResultForm] = []
        rows: list[Rows] = []
        for count in counts:
            counting = laws.get(count.contest.election.law).counting
            tolerance = counting.box_over_voted_tolerance if counting else 5
            for form in count.forms:
                votes = [(v.nomination_id, v.candidate_id, v.votes) for v in form.votes]
                findings = result_checks.check(result_checks.FormNumbers(
                    **form.numbers, list_votes=list_votes(component="", rows=votes)),
                    box_over_voted_tolerance=tolerance)
                forms.append(ResultForm(
                    station=count.station, contest=count.contest, component="",
                    source=form.source,
                    state=FormState.QUARANTINED if findings.quarantined else FormState.ACCEPTED,
                    errors=[str(code) for code in findings.errors],
                    warnings=[str(code) for code in findings.warnings], **form.numbers))
                rows.append(votes)
        _insert(ResultForm, forms)
        pks = {(station, source): pk for pk, station, source in ResultForm.objects.filter(
            contest__in=contests).values_list("pk", "station_id", "source")}
        for made_form in forms:
            made_form.pk = pks[(made_form.station_id, made_form.source)]
        _insert_votes([(form.pk, n, c, v) for form, votes in zip(forms, rows, strict=True)
                       for n, c, v in votes])
        results: list[StationResult] = []
        totals: dict[tuple[int, int, int], int] = defaultdict(int)
        counted: dict[int, list[int]] = defaultdict(lambda: [0] * 6)
        made = iter(zip(forms, rows, strict=True))
        for count in counts:
            live = [next(made) for _ in count.forms]
            decision, adopted = _decide(count, live, now=now)
            results.append(StationResult(
                station=count.station, contest=count.contest, component="",
                outcome=decision.outcome.value, audit_reason=decision.audit_reason.value,
                adopted_form=adopted[0] if adopted else None))
            if adopted is None:
                continue
            chosen, votes = adopted
            for nomination, candidate, v in votes:
                totals[(count.contest.pk, nomination, candidate or 0)] += v
            sums = counted[count.contest.pk]
            for i, value in enumerate((1, chosen.registered, chosen.voted, chosen.ballots_in_box,
                                       chosen.invalid, chosen.valid)):
                sums[i] += value
        _insert(StationResult, results)
        VoteTotal.objects.bulk_create(
            (VoteTotal(contest_id=contest, component="", nomination_id=nomination,
                       candidate_key=candidate, votes=v)
             for (contest, nomination, candidate), v in sorted(totals.items()) if v),
            batch_size=BATCH)
        ContestTotal.objects.bulk_create(
            ContestTotal(contest_id=contest, component="", stations_counted=s[0],
                         registered=s[1], voted=s[2], ballots_in_box=s[3], invalid=s[4],
                         valid=s[5])
            for contest, s in sorted(counted.items()))


Rows = list[tuple[int, int | None, int]]


def _insert(model: type[ResultForm] | type[StationResult],
            objects: Sequence[ResultForm | StationResult]) -> None:
    """New rows of ``model`` in a few statements, without compiling a query per batch:
    its plain values as they are, dates and JSON as Django adapts them."""
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    adapted = {f.attname for f in fields if isinstance(f, models.JSONField | models.DateTimeField)}
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(model._meta.db_table)} "  # noqa: S608 - the model's own names
           f"({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    rows = []
    for obj in objects:
        row = []
        for f in fields:
            value = getattr(obj, f.attname)
            if isinstance(f, models.DateTimeField) and value is None:
                value = now
            row.append(f.get_db_prep_save(value, connection) if f.attname in adapted else value)
        rows.append(row)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 50_000):
            cursor.executemany(sql, rows[start:start + 50_000])


def _insert_votes(rows: list[tuple[int, int, int | None, int]]) -> None:
    """Form votes as plain rows: a million model objects would cost the demo a minute."""
    qn = connection.ops.quote_name
    columns = ", ".join(qn(c) for c in ("form_id", "nomination_id", "candidate_id", "votes"))
    # The table and column names are the model's; the values are parameters.
    sql = (f"INSERT INTO {qn(FormVote._meta.db_table)} ({columns}) "  # noqa: S608
           "VALUES (%s, %s, %s, %s)")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 50_000):
            cursor.executemany(sql, rows[start:start + 50_000])


def _decide(count: StationCount, live: list[tuple[ResultForm, Rows]], *, now: datetime
            ) -> tuple[rule.Decision, tuple[ResultForm, Rows] | None]:
    """The rule's decision for a station's new forms, as ``settle`` asks it, and the
    adopted form with its votes."""
    counting = laws.get(count.contest.election.law).counting
    if counting is None:
        raise ValueError("the law of this election sets no counting rules")
    by_count = {_COUNT[Source(form.source)]: (form, votes) for form, votes in live}
    has_device = any(Source(form.source) in (Source.ELECTRONIC, Source.PAPER)
                     for form, _ in live)
    late = not has_device and now > transmission_deadline(count.contest.election, count.station)
    decision = rule.decide(
        forms={key: rule.CountForm(list_votes=list_votes(component="", rows=votes),
                                   valid=form.valid, held=form.state == FormState.QUARANTINED)
               for key, (form, votes) in by_count.items()},
        threshold=counting.manual_difference_threshold, late=late)
    return decision, by_count[decision.adopt] if decision.adopt is not None else None


# --- the demo's synthetic counts ------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Ballot:
    """A contest's lists, each with its candidates' ids in list order."""

    lists: tuple[tuple[int, tuple[int, ...]], ...]


def _ballot(contest: Contest) -> _Ballot:
    nominations = (NominationList.objects.filter(contest=contest, component="")
                   .order_by("entity__code", "pk").prefetch_related("candidates"))
    return _Ballot(tuple((n.pk, tuple(c.pk for c in sorted(n.candidates.all(),
                                                            key=lambda c: c.position)))
                         for n in nominations))


def _split(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` shared in proportion to ``weights``, exactly (cumulative rounding down)."""
    whole = sum(weights)
    if whole == 0:
        return [0] * len(weights)
    shares, running, given = [], 0, 0
    for weight in weights:
        running += weight
        upto = total * running // whole
        shares.append(upto - given)
        given = upto
    return shares


def _votes(ballot: _Ballot, per_list: Sequence[int], turn: int) -> tuple[VoteRow, ...]:
    """Each list's votes for one of its candidates (a different one from station to
    station); at every fifth station a third of them for the list alone."""
    rows = []
    for index, ((nomination, candidates), votes) in enumerate(zip(ballot.lists, per_list,
                                                                  strict=True)):
        alone = votes if not candidates else votes // 3 if turn % 5 == 0 else 0
        if alone:
            rows.append(VoteRow(nomination_id=nomination, candidate_id=None, votes=alone))
        if votes - alone:
            rows.append(VoteRow(nomination_id=nomination,
                                candidate_id=candidates[(turn * 7 + index) % len(candidates)],
                                votes=votes - alone))
    return tuple(rows)


def _numbers(registered: int, valid: int, turn: int) -> dict[str, int]:
    invalid = max(1, valid * 3 // 100)
    in_box = valid + invalid
    spoiled = turn % 2
    return {"registered": registered, "voted": min(registered, in_box + turn % 3),
            "ballots_received": registered, "ballots_in_box": in_box,
            "ballots_spoiled": spoiled, "ballots_unused": registered - in_box - spoiled,
            "invalid": invalid, "valid": valid}


def _moved(per_list: Sequence[int], votes: int) -> list[int]:
    """``votes`` taken from the strongest list and given to the next."""
    moved = list(per_list)
    if len(moved) >= 2:
        top = max(range(len(moved)), key=lambda i: moved[i])
        votes = min(votes, moved[top])
        moved[top] -= votes
        moved[(top + 1) % len(moved)] += votes
    return moved


def contest_counts(contest: Contest, *, official: Sequence[int] | None = None,
                   summary: Summary | None = None) -> Iterator[StationCount]:
    """The synthetic counts of every station of ``contest``. With ``official`` (one
    total per list, in the lists' order), the adopted counts add up to them exactly."""
    ballot = _ballot(contest)
    if not ballot.lists:
        return
    stations = list(PollingStation.objects.filter(
        centre__election=contest.election_id, centre__governorate=contest.governorate_id)
        .select_related("centre").order_by("code"))
    rng = random.Random(f"{SEED}-{contest.election.code}-{contest.governorate.code}")  # noqa: S311
    weights = sorted((rng.randint(20, 1000) for _ in ballot.lists), reverse=True)
    shown = {DIFFERENCE: "difference", QUARANTINE: "quarantine", LATE: "late"}
    if official is not None:
        shown = {LATE: "late"}
        registered = [s.registered_voters for s in stations]
        columns = [_split(total, registered) for total in official]
    for turn, station in enumerate(stations):
        kind = shown.get(turn + 1)
        if summary is not None and kind is not None:
            summary.shown[kind].append(station.code)
        if official is not None:
            per_list = [column[turn] for column in columns]
        else:
            valid = station.registered_voters * rng.randint(35, 55) // 100
            per_list = _split(valid, [w * rng.randint(80, 120) for w in weights])
        manual = _numbers(station.registered_voters, sum(per_list), turn)
        votes = _votes(ballot, per_list, turn)
        electronic = per_list if turn % 4 else _moved(per_list, 1)
        if kind == "difference":
            electronic = _moved(per_list, max(1, sum(per_list) * 8 // 100))
        forms = [Form(source=Source.ELECTRONIC, numbers=manual,
                      votes=_votes(ballot, electronic, turn))]
        if kind == "late":
            forms = []
        if kind == "quarantine":
            manual = {**manual, "ballots_unused": manual["ballots_unused"] + 20}
        forms.append(Form(source=Source.MANUAL, numbers=manual, votes=votes))
        yield StationCount(station=station, contest=contest, forms=tuple(forms))


def settled_time(election: Election) -> datetime:
    """The demo's "now" for settling: noon the day after polling day, past every
    station's transmission window."""
    return datetime.combine(election.polling_day + timedelta(days=1), time(12),
                            tzinfo=BAGHDAD)


def load_results(election: Election, *, bulk: bool,
                 official: dict[str, Sequence[int]] | None = None) -> Summary | None:
    """Record and settle the demo's counts of every station of ``election`` (once: None
    if it already has results), with one audit event saying so (the system's, as for
    the demo's imports). ``official`` gives a governorate's list totals."""
    summary = Summary(election.code)
    if ResultForm.objects.filter(contest__election=election).exists():
        return None
    counts: list[StationCount] = []
    for contest in (Contest.objects.filter(election=election)
                    .select_related("election", "governorate").order_by("governorate__code")):
        counts += contest_counts(contest, summary=summary,
                                 official=(official or {}).get(contest.governorate.code))
    now = settled_time(election)
    summary.stations = len(counts)
    summary.forms = sum(len(c.forms) for c in counts)
    with transaction.atomic():
        (record_in_bulk if bulk else record_each)(counts, now=now)
        record(actor=None, action="results.load_demo", target=election, data={
            "election": election.code, "stations": summary.stations, "forms": summary.forms,
            "settled_at": now.isoformat(), "bulk": bulk,
            "shown": dict(sorted(summary.shown.items()))})
    return summary
