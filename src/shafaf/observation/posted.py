"""Observers' copies of the posted result forms (docs/observation-posted-forms.md):
which lists stand at a station (the ``list_votes`` question's keys), the counting
reports an organisation compares with the published results, and the coordinator's
decisions on each difference (verify, dismiss, publish), audited.

The published results belong to the results app, which this app does not import: the
page that compares (``shafaf.portal.posted_views``) reads them and passes the core's
:class:`~shafaf.core.posted_forms.Difference` to the actions here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from shafaf.access.people import Account
from shafaf.audit import actions as audit
from shafaf.core import posted_forms
from shafaf.core.posted_forms import Difference, Step
from shafaf.elections.models import PollingStation
from shafaf.entities.models import NominationList
from shafaf.observation.dash_refusals import DashRefused
from shafaf.observation.models import Organisation, Submission, Verification
from shafaf.observation.posted_models import FindingState, PostedFinding

COUNTING_FORM = "counting"
REASON_LIMIT = 2000


@dataclass(frozen=True, slots=True)
class StandingList:
    """A list on the station's ballot: ``list_id`` its ballot number (its entity's code
    where none is drawn), as in the open data."""

    list_id: str
    name_ar: str
    name_ckb: str
    name_en: str


def standing_lists(*, election_id: int, governorate_id: int) -> list[StandingList]:
    """The certified general lists of a governorate's contest, in ballot order."""
    rows = (NominationList.objects.filter(contest__election_id=election_id,
                                          contest__governorate_id=governorate_id,
                                          component="", status="certified")
            .order_by("entity__ballot_number", "entity__code")
            .values_list("entity__ballot_number", "entity__code", "entity__name_ar",
                         "entity__name_ckb", "entity__name_en"))
    return [StandingList(str(number) if number is not None else code, ar, ckb, en)
            for number, code, ar, ckb, en in rows]


def station_lists(station: PollingStation) -> list[StandingList]:
    centre = station.centre
    return standing_lists(election_id=centre.election_id, governorate_id=centre.governorate_id)


def counting_reports(organisation: Organisation) -> QuerySet[Submission]:
    """The organisation's observers' counting reports that a coordinator has not
    rejected, with what the comparison page shows."""
    return (Submission.objects.filter(observer__organisation=organisation,
                                      form__code=COUNTING_FORM)
            .exclude(status=Verification.REJECTED)
            .select_related("observer", "form", "station__centre__governorate")
            .order_by("station__code", "received", "pk"))


def state_of(finding: PostedFinding | None) -> posted_forms.FindingState:
    return posted_forms.FindingState(finding.state) if finding else posted_forms.FindingState.OPEN


@transaction.atomic
def decide(*, actor: Account, organisation: Organisation, submission: Submission,
           difference: Difference, manifest_sha256: str, step: Step, reason: str = "",
           now: datetime | None = None) -> PostedFinding:
    """Verify a difference (the copy was checked against the photo) or dismiss it (a
    misreading: ``reason`` required). The caller computed ``difference`` against the
    publication whose manifest is ``manifest_sha256``."""
    if submission.observer.organisation_id != organisation.pk:
        raise DashRefused("finding_not_found")
    if step not in (Step.VERIFY, Step.DISMISS):
        raise DashRefused("finding_step_not_allowed")
    reason = reason.strip()[:REASON_LIMIT]
    if step is Step.DISMISS and not reason:
        raise DashRefused("finding_reason_required")
    found = (PostedFinding.objects.select_for_update()
             .filter(submission=submission, item=difference.key,
                     manifest_sha256=manifest_sha256).first())
    if step not in posted_forms.steps_from(state_of(found)):
        raise DashRefused("finding_step_not_allowed")
    state = posted_forms.after(step)
    when = now or timezone.now()
    if found is None:
        found = PostedFinding(organisation=organisation, submission=submission,
                              station_id=submission.station_id, item=difference.key,
                              transcribed=difference.transcribed,
                              published=difference.published,
                              manifest_sha256=manifest_sha256)
    found.state, found.reason = state.value, reason if step is Step.DISMISS else ""
    found.decided_by, found.decided_at = actor, when
    found.save()
    audit.record(actor=actor, action=f"observation.finding_{state.value}", target=found,
                 data={"organisation": organisation.code, "station": submission.station.code,
                       "report": str(submission.pk), "item": difference.key,
                       "transcribed": difference.transcribed,
                       "published": difference.published,
                       "manifest_sha256": manifest_sha256, "reason": found.reason})
    return found


@transaction.atomic
def publish(*, actor: Account, organisation: Organisation,
            now: datetime | None = None) -> int:
    """Publish every verified finding of the organisation; how many."""
    verified = list(PostedFinding.objects.select_for_update()
                    .filter(organisation=organisation, state=FindingState.VERIFIED)
                    .select_related("station").order_by("pk"))
    if not verified:
        raise DashRefused("no_verified_findings")
    when = now or timezone.now()
    PostedFinding.objects.filter(pk__in=[f.pk for f in verified]).update(
        state=FindingState.PUBLISHED, published_at=when)
    audit.record(actor=actor, action="observation.findings_published", target=organisation,
                 data={"organisation": organisation.code, "findings": [
                     {"station": f.station.code, "item": f.item, "transcribed": f.transcribed,
                      "published": f.published, "manifest_sha256": f.manifest_sha256}
                     for f in verified]})
    return len(verified)


def published_findings(organisation: Organisation) -> QuerySet[PostedFinding]:
    return (PostedFinding.objects.filter(organisation=organisation,
                                         state=FindingState.PUBLISHED)
            .select_related("station__centre__governorate")
            .order_by("station__code", "item", "pk"))
