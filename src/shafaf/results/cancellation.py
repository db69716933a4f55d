"""The Board cancels a station held at the audit centre (issue 11, item 4: a
quarantined form is cleared, corrected by recount, or the station cancelled by the
Board with a reason). One audited action; the station is then settled, so nothing of
it counts. A cancellation on a complaint is the complaints' (shafaf.results.complaints),
which reads these too, so that deciding a complaint never lifts this one."""

from __future__ import annotations

from django.db import transaction

from shafaf.access.checks import require
from shafaf.access.people import Account
from shafaf.access.roles import Capability
from shafaf.audit.actions import record
from shafaf.results.models import BoardOrder, Outcome, StationCancellation, StationResult
from shafaf.results.refusals import ResultsRefused
from shafaf.results.settlement import settle

REASON_LENGTH = 2000


@transaction.atomic
def cancel_station(*, actor: Account, result: StationResult, reason: str) -> StationResult:
    """Cancel the station's count for this contest part: only while it is held at the
    audit centre, with the reason the public will read."""
    actor = require(actor, Capability.DECIDE_RESULT_COMPLAINTS)
    reason = reason.strip()
    if not reason or len(reason) > REASON_LENGTH:
        raise ResultsRefused("cancel_reason_needed", limit=REASON_LENGTH)
    locked = (StationResult.objects.select_for_update(of=("self",))
              .select_related("station", "contest__election").get(pk=result.pk))
    if locked.outcome == Outcome.CANCELLED:
        raise ResultsRefused("station_already_cancelled")
    if locked.outcome != Outcome.AUDIT:
        raise ResultsRefused("cancel_not_at_audit")
    StationCancellation.objects.create(result=locked, reason=reason, cancelled_by=actor)
    locked.board_order = BoardOrder.CANCEL
    locked.note = reason
    locked.save(update_fields=["board_order", "note", "updated_at"])
    decision = settle(result=locked)
    record(actor=actor, action="results.station_cancel", target=locked, data={
        "station": locked.station.code, "component": locked.component,
        "held_for": locked.audit_reason, "reason": reason, "outcome": decision.outcome.value})
    return locked
