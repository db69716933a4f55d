"""Quality (docs/observation-reports.md): a coordinator verifies or rejects their
organisation's reports, one at a time or a selection; incidents are reports of the
``incident`` form and are verified the same way. Only verified reports feed public
figures. Each verdict is audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from shafaf.access.checks import can
from shafaf.access.people import Account, Visitor
from shafaf.access.roles import Capability
from shafaf.audit import actions as audit
from shafaf.observation.forms_models import Review
from shafaf.observation.models import Coordinator, Organisation, Submission, Verification

REASON_LIMIT = 2000
SELECTION_LIMIT = 500


def organisation_of(user: Visitor | None) -> Organisation | None:
    """The organisation a coordinator acts for (None: they act for none)."""
    if user is None or not user.is_authenticated:
        return None
    held = Coordinator.objects.filter(user_id=user.pk).select_related("organisation").first()
    return held.organisation if held is not None else None


def visible_submissions(user: Account) -> QuerySet[Submission] | None:
    """The reports this user may read: their organisation's, or every organisation's
    for the commission's accreditation staff (read-only); None: none at all."""
    reports = Submission.objects.select_related(
        "form", "station", "station__centre__governorate",
        "observer", "observer__organisation")
    organisation = organisation_of(user) if can(user, Capability.MANAGE_OBSERVERS) else None
    if organisation is not None:
        return reports.filter(observer__organisation=organisation)
    if can(user, Capability.ACCREDIT_OBSERVERS):
        return reports
    return None


def decide(*, actor: Account, organisation: Organisation, ids: Iterable[object],
           status: str, reason: str = "") -> int:
    """Verify or reject reports of ``organisation`` (others' ids are left alone); how
    many were decided. A rejection needs a reason (the view asks for it)."""
    if status not in (Verification.VERIFIED, Verification.REJECTED):
        raise ValueError(status)
    reason = reason.strip()[:REASON_LIMIT]
    now = timezone.now()
    with transaction.atomic():
        reports = list(Submission.objects.select_for_update().filter(
            pk__in=list(ids)[:SELECTION_LIMIT], observer__organisation=organisation))
        for report in reports:
            report.status, report.verified_by, report.verified = status, actor, now
        Submission.objects.bulk_update(reports, ["status", "verified_by", "verified"])
        Review.objects.bulk_create([Review(submission=r, status=status, reason=reason,
                                           by=actor) for r in reports])
        if reports:
            audit.record(actor=actor, action=f"observation.report_{status}",
                         target=organisation,
                         data={"reports": sorted(str(r.pk) for r in reports),
                               "reason": reason})
    return len(reports)
