"""Paper entry, twice, the coordinator's resolution and the audit centre: the actions
(docs/results-entry.md).

Every step is one atomic action that takes the acting user, moves the entry task only
through the core's table (:mod:`shafaf.core.result_entry`) and writes its audit event
in the same transaction. A task that becomes definitive records its form with
:func:`shafaf.results.forms.record_form` and settles the station in that transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from shafaf.access.people import Account
from shafaf.audit.actions import record
from shafaf.core import result_entry as table
from shafaf.elections.models import Contest, PollingStation
from shafaf.results.adoption import station_result
from shafaf.results.forms import NUMBER_FIELDS, VoteRow, record_form
from shafaf.results.models import (
    Entry,
    EntryKind,
    EntryState,
    EntryTask,
    FormState,
    Outcome,
    ResultForm,
    Source,
    StationResult,
)
from shafaf.results.refusals import ResultsRefused
from shafaf.results.settlement import settle

ENTERED_SOURCES = (Source.MANUAL, Source.PAPER, Source.AUDIT)
"""Sources typed in from paper; ``electronic`` arrives signed, never typed."""
MAX_COUNT = 100_000
"""No station has this many voters: a larger number is a typing error."""
REASON_LENGTH = 2000

VoteKey = tuple[int, int | None]


def _values(numbers: Mapping[str, int], votes: Sequence[VoteRow]) -> dict[str, Any]:
    return {**{name: int(numbers[name]) for name in NUMBER_FIELDS},
            "votes": sorted(([v.nomination_id, v.candidate_id, v.votes] for v in votes),
                            key=_vote_key)}


def _vote_key(row: Sequence[Any]) -> tuple[int, int]:
    return (row[0], row[1] or 0)


def _rows(entry: Entry) -> list[VoteRow]:
    return [VoteRow(nomination_id=n, candidate_id=c, votes=v) for n, c, v in entry.votes]


def _numbers(entry: Entry) -> dict[str, int]:
    return {name: getattr(entry, name) for name in NUMBER_FIELDS}


def same(a: Entry, b: Entry) -> bool:
    """Whether two entries agree on every number and every vote."""
    return _numbers(a) == _numbers(b) and sorted(map(tuple, a.votes), key=_vote_key) == sorted(
        map(tuple, b.votes), key=_vote_key)


def _check(numbers: Mapping[str, int], votes: Sequence[VoteRow]) -> None:
    if set(numbers) != set(NUMBER_FIELDS):
        raise ResultsRefused("entry_bad_numbers")
    counts = [*numbers.values(), *(v.votes for v in votes)]
    if any(not isinstance(n, int) or n < 0 or n > MAX_COUNT for n in counts):
        raise ResultsRefused("entry_bad_numbers")
    keys = [(v.nomination_id, v.candidate_id) for v in votes]
    if len(keys) != len(set(keys)):
        raise ResultsRefused("entry_bad_numbers")


def contest_of(station: PollingStation) -> Contest:
    return Contest.objects.select_related("election").get(
        election_id=station.centre.election_id, governorate_id=station.centre.governorate_id)


def _live(task: EntryTask) -> dict[str, Entry]:
    return {e.kind: e for e in task.entries.filter(discarded=False)}


def _made_first(task: EntryTask, actor: Account, live: Mapping[str, Entry]) -> bool:
    first = live.get(EntryKind.FIRST)
    return first is not None and first.entered_by_id == actor.pk


def _locked_task(*, station: PollingStation, contest: Contest, component: str,
                 source: Source, create: bool) -> EntryTask:
    task = EntryTask.objects.filter(station=station, component=component, source=source).first()
    if task is None:
        if not create:
            raise ResultsRefused("entry_audit_not_ordered")
        try:
            with transaction.atomic():
                task = EntryTask.objects.create(station=station, contest=contest,
                                                component=component, source=source)
        except IntegrityError:  # another clerk opened it at the same moment
            pass
    return EntryTask.objects.select_for_update().get(station=station, component=component,
                                                     source=source)


def _finalise(task: EntryTask, *, numbers: Mapping[str, int], votes: Sequence[VoteRow],
              actor: Account) -> ResultForm:
    """Record the definitive form and settle the station, in the caller's transaction."""
    result = station_result(station=task.station, contest=task.contest,
                            component=task.component)
    form = record_form(station=task.station, contest=task.contest, component=task.component,
                       source=Source(task.source), numbers=dict(numbers), votes=votes,
                       actor=actor)
    task.state = EntryState.DEFINITIVE
    task.form = form
    task.save(update_fields=["state", "form", "updated_at"])
    settle(result=result)
    return form


def _move(task: EntryTask, step: table.EntryStep, actor: table.Actor, *, made_first: bool,
          identical: bool = False) -> EntryState:
    try:
        return EntryState(table.next_state(table.EntryState(task.state), step, actor,
                                           made_first=made_first, identical=identical))
    except table.EntryRefused as refused:
        raise ResultsRefused(refused.code) from None


@transaction.atomic
def enter(*, actor: Account, station: PollingStation, component: str = "", source: Source,
          numbers: Mapping[str, int], votes: Sequence[VoteRow]) -> EntryTask:
    """A clerk's entry of a paper form: the first, or the second by another clerk. Two
    identical entries make the form definitive; two that differ wait for the coordinator.
    An audit-centre recount is entered only once the audit centre has asked for it."""
    if source not in ENTERED_SOURCES:
        raise ResultsRefused("entry_bad_source")
    _check(numbers, votes)
    contest = contest_of(station)
    task = _locked_task(station=station, contest=contest, component=component,
                        source=source, create=source != Source.AUDIT)
    task.station, task.contest = station, contest  # already read: no lazy reads
    live = _live(task)
    made_first = _made_first(task, actor, live)
    state = table.EntryState(task.state)
    step = (table.EntryStep.ENTER_FIRST if state == table.EntryState.FIRST_ENTRY
            else table.EntryStep.ENTER_SECOND)
    # Checked before the entry is written, so a refused entry leaves nothing behind.
    _move(task, step, table.Actor.CLERK, made_first=made_first)
    values = _values(numbers, votes)
    entry = Entry.objects.create(
        task=task, entered_by=actor,
        kind=EntryKind.FIRST if step == table.EntryStep.ENTER_FIRST else EntryKind.SECOND,
        **values)
    identical = step == table.EntryStep.ENTER_SECOND and same(live[EntryKind.FIRST], entry)
    task.state = _move(task, step, table.Actor.CLERK, made_first=made_first,
                       identical=identical)
    form = None
    if task.state == EntryState.DEFINITIVE:  # saved with its form
        form = _finalise(task, numbers=numbers, votes=votes, actor=actor)
    else:
        task.save(update_fields=["state", "updated_at"])
    record(actor=actor, action=f"results.entry.{step.value}", target=task, data={
        "station": station.code, "component": component, "source": source.value,
        "entry": entry.pk, "state": task.state, "form": form.pk if form else None})
    return task


@transaction.atomic
def resolve(*, actor: Account, task: int, step: table.EntryStep,
            numbers: Mapping[str, int] | None = None, votes: Sequence[VoteRow] = (),
            reason: str = "") -> EntryTask:
    """The coordinator settles two entries that differ: keep the first, keep the second,
    correct (``numbers`` and ``votes`` are the corrected form) or discard both."""
    found = EntryTask.objects.select_for_update().select_related(
        "station", "contest__election").filter(pk=task).first()
    if found is None:
        raise ResultsRefused("entry_no_task")
    if len(reason) > REASON_LENGTH:
        raise ResultsRefused("entry_reason_too_long")
    live = _live(found)
    new_state = _move(found, step, table.Actor.COORDINATOR, made_first=False)
    chosen: Entry | None = None
    form = None
    if step in (table.EntryStep.KEEP_FIRST, table.EntryStep.KEEP_SECOND):
        chosen = live[EntryKind.FIRST if step == table.EntryStep.KEEP_FIRST
                      else EntryKind.SECOND]
        form = _finalise(found, numbers=_numbers(chosen), votes=_rows(chosen), actor=actor)
    elif step == table.EntryStep.CORRECT:
        if numbers is None:
            raise ResultsRefused("entry_bad_numbers")
        _check(numbers, votes)
        chosen = Entry.objects.create(task=found, entered_by=actor, kind=EntryKind.CORRECTION,
                                      **_values(numbers, votes))
        form = _finalise(found, numbers=numbers, votes=votes, actor=actor)
    else:  # discard: both entries set aside, the form is entered twice again
        found.entries.filter(discarded=False).update(discarded=True)
        found.state = new_state
        found.save(update_fields=["state", "updated_at"])
    record(actor=actor, action=f"results.entry.{step.value}", target=found, data={
        "station": found.station.code, "component": found.component, "source": found.source,
        "entry": chosen.pk if chosen else None, "state": found.state,
        "form": form.pk if form else None, "reason": reason})
    return found


def _locked_result(result: int) -> StationResult:
    found = (StationResult.objects.select_for_update()
             .select_related("station__centre", "contest__election").filter(pk=result).first())
    if found is None:
        raise ResultsRefused("audit_no_station")
    return found


@transaction.atomic
def clear_form(*, actor: Account, form: int, reason: str) -> StationResult:
    """The audit centre clears a quarantined form as it stands, with a reason; the
    station is settled again (the cleared form may now be adopted)."""
    reason = reason.strip()
    if not reason or len(reason) > REASON_LENGTH:
        raise ResultsRefused("audit_reason_needed")
    found = ResultForm.objects.select_related("station", "contest").filter(pk=form).first()
    if found is None:
        raise ResultsRefused("audit_no_station")
    result = station_result(station=found.station, contest=found.contest,
                            component=found.component)
    found = ResultForm.objects.select_for_update().get(pk=found.pk)
    if found.state != FormState.QUARANTINED:
        raise ResultsRefused("audit_not_quarantined")
    found.state = FormState.CLEARED
    found.save(update_fields=["state"])
    result.note = reason
    result.save(update_fields=["note", "updated_at"])
    decision = settle(result=result)
    record(actor=actor, action="results.audit.clear", target=found, data={
        "station": found.station.code, "component": found.component, "source": found.source,
        "errors": found.errors, "reason": reason, "outcome": decision.outcome.value})
    return result


@transaction.atomic
def order_recount(*, actor: Account, result: int) -> EntryTask:
    """The audit centre has the station recounted: its recount will be entered twice
    (source ``audit``). Asking again sets aside a previous recount's entries."""
    found = _locked_result(result)
    if found.outcome != Outcome.AUDIT and not found.audit_reason:
        raise ResultsRefused("audit_not_at_centre")
    task, _created = EntryTask.objects.get_or_create(
        station=found.station, component=found.component, source=Source.AUDIT,
        defaults={"contest": found.contest})
    task = EntryTask.objects.select_for_update().get(pk=task.pk)
    if task.state != EntryState.FIRST_ENTRY:
        task.entries.filter(discarded=False).update(discarded=True)
        task.state = EntryState.FIRST_ENTRY
        task.form = None
        task.save(update_fields=["state", "form", "updated_at"])
    record(actor=actor, action="results.audit.recount", target=task, data={
        "station": found.station.code, "component": found.component,
        "reason": found.audit_reason, "at": timezone.now().isoformat()})
    return task
