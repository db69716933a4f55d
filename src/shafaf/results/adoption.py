"""Adopting a station's form: the one place that changes which form counts, and that
keeps the running totals equal to the sum of the adopted forms.

Callers are actions (electronic and manual counts, the audit centre, the Board's
decisions); they hold a transaction and write the audit event. Adoption locks the
station's result row, then adds the new form's numbers and subtracts the old form's in
one upsert per table, rows in a fixed order so that two offices adopting at once never
deadlock. Tabulation then reads the totals (a few thousand rows for the country)
instead of summing every station's rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction

from shafaf.elections.models import Contest, PollingStation
from shafaf.results.models import (
    ContestTotal,
    FormVote,
    Outcome,
    ResultForm,
    StationResult,
    VoteTotal,
)

# Rows per upsert statement: five parameters each stays far below SQLite's limit.
_BATCH = 1000
_FORM_FIELDS = ("registered", "voted", "ballots_in_box", "invalid", "valid")


def station_result(*, station: PollingStation, contest: Contest, component: str = "",
                   lock: bool = True) -> StationResult:
    """The station's result row for a contest part, created awaiting; locked for the
    caller's transaction when ``lock``."""
    result, _created = StationResult.objects.get_or_create(
        station=station, component=component, defaults={"contest": contest})
    if lock:
        result = StationResult.objects.select_for_update().get(pk=result.pk)
    return result


def adopt(*, result: StationResult, form: ResultForm | None, outcome: Outcome,
          audit_reason: str = "", note: str = "") -> StationResult:
    """Make ``form`` the counted form of ``result`` (None: nothing counts, as for a
    station at the audit centre or cancelled), moving the running totals with it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("adopt runs inside the caller's transaction")
    if form is not None and (form.station_id != result.station_id
                             or form.component != result.component):
        raise ValueError("the form is another station's or another contest part's")
    old = result.adopted_form
    if (old.pk if old else None) != (form.pk if form else None):
        _move_totals(result, old=old, new=form)
    result.adopted_form = form
    result.outcome = outcome
    result.audit_reason = audit_reason
    result.note = note
    result.save(update_fields=["adopted_form", "outcome", "audit_reason", "note",
                               "updated_at"])
    return result


def _move_totals(result: StationResult, *, old: ResultForm | None,
                 new: ResultForm | None) -> None:
    deltas: dict[tuple[int, int], int] = defaultdict(int)
    for sign, form in ((-1, old), (1, new)):
        if form is None:
            continue
        for nomination_id, candidate_id, votes in _votes(form):
            deltas[(nomination_id, candidate_id or 0)] += sign * votes
    rows = [(result.contest_id, result.component, nomination, candidate, delta)
            for (nomination, candidate), delta in sorted(deltas.items()) if delta]
    table = VoteTotal._meta.db_table
    for start in range(0, len(rows), _BATCH):
        _upsert(table, ("contest_id", "component", "nomination_id", "candidate_key", "votes"),
                ("contest_id", "component", "nomination_id", "candidate_key"),
                ("votes",), rows[start:start + _BATCH])
    counted = (new is not None) - (old is not None)
    sums = [sum(sign * getattr(f, name) for sign, f in ((-1, old), (1, new)) if f is not None)
            for name in _FORM_FIELDS]
    _upsert(ContestTotal._meta.db_table,
            ("contest_id", "component", "stations_counted", *_FORM_FIELDS),
            ("contest_id", "component"), ("stations_counted", *_FORM_FIELDS),
            [(result.contest_id, result.component, counted, *sums)])


def _votes(form: ResultForm) -> Iterable[tuple[int, int | None, int]]:
    return FormVote.objects.filter(form=form).values_list("nomination_id", "candidate_id",
                                                          "votes")


def _upsert(table: str, columns: tuple[str, ...], key: tuple[str, ...],
            added: tuple[str, ...], rows: Sequence[tuple[object, ...]]) -> None:
    """INSERT … ON CONFLICT DO UPDATE adding to the existing counts (PostgreSQL and
    SQLite 3.24+ read it the same way)."""
    if not rows:
        return
    qn = connection.ops.quote_name
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    # Table and column names are this module's constants; the values are parameters.
    additions = ", ".join(f"{qn(c)} = {qn(table)}.{qn(c)} + excluded.{qn(c)}" for c in added)
    sql = (f"INSERT INTO {qn(table)} ({', '.join(map(qn, columns))}) "  # noqa: S608
           f"VALUES {', '.join([one] * len(rows))} "
           f"ON CONFLICT ({', '.join(map(qn, key))}) DO UPDATE SET {additions}")
    params: list[Any] = [value for row in rows for value in row]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
