"""Recording a station's form: the one way a form enters the database, checked.

Transmissions, paper entry and the audit centre's recount all end here. A new form
of a source supersedes the station's live form of the same source (a correction, a
second recount). The caller then settles the station
(:func:`shafaf.results.settlement.settle`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from shafaf.access.people import Account
from shafaf.core import laws, result_checks
from shafaf.elections.models import Contest, PollingStation
from shafaf.results.models import FormState, FormVote, ResultForm, Source

NUMBER_FIELDS = ("registered", "voted", "ballots_received", "ballots_in_box",
                 "ballots_spoiled", "ballots_unused", "invalid", "valid")


@dataclass(frozen=True, slots=True, kw_only=True)
class VoteRow:
    nomination_id: int
    candidate_id: int | None
    """None: the votes for the list alone."""
    votes: int


def list_votes(*, component: str, rows: Iterable[tuple[int, int | None, int]]) -> dict[str, int]:
    """A form's votes as the checks and the settlement rule count them: per list (list
    alone + its candidates) on a general form; per candidate on a component form, where
    candidacy is individual."""
    totals: dict[str, int] = defaultdict(int)
    for nomination_id, candidate_id, votes in rows:
        key = f"c{candidate_id}" if component and candidate_id else f"l{nomination_id}"
        totals[key] += votes
    return dict(totals)


def numbers_of(form: ResultForm, rows: Iterable[tuple[int, int | None, int]]
               ) -> result_checks.FormNumbers:
    return result_checks.FormNumbers(
        **{name: getattr(form, name) for name in NUMBER_FIELDS},
        list_votes=list_votes(component=form.component, rows=rows))


def record_form(*, station: PollingStation, contest: Contest, component: str = "",
                source: Source, numbers: dict[str, int], votes: Iterable[VoteRow],
                actor: Account | None = None) -> ResultForm:
    """Create the form with its votes and its checks' findings, superseding the live
    form of the same source. Runs in the caller's transaction; writes no audit event
    (the caller's action does)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_form runs inside the caller's action")
    if set(numbers) != set(NUMBER_FIELDS):
        raise ValueError(f"a form has exactly the numbers {', '.join(NUMBER_FIELDS)}")
    rows = [(v.nomination_id, v.candidate_id, v.votes) for v in votes]
    rules = laws.get(contest.election.law).counting
    tolerance = rules.box_over_voted_tolerance if rules else 5
    findings = result_checks.check(
        result_checks.FormNumbers(**numbers, list_votes=list_votes(component=component,
                                                                   rows=rows)),
        box_over_voted_tolerance=tolerance)
    (ResultForm.objects.select_for_update()
     .filter(station=station, component=component, source=source)
     .exclude(state=FormState.SUPERSEDED).update(state=FormState.SUPERSEDED))
    form = ResultForm.objects.create(
        station=station, contest=contest, component=component, source=source,
        state=FormState.QUARANTINED if findings.quarantined else FormState.ACCEPTED,
        errors=[str(code) for code in findings.errors],
        warnings=[str(code) for code in findings.warnings],
        created_by=actor, **numbers)
    FormVote.objects.bulk_create(
        FormVote(form=form, nomination_id=n, candidate_id=c, votes=v) for n, c, v in rows)
    return form
