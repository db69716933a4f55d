"""The channel's writes (docs/observation-channel.md): each one audited, in the
transaction that makes it. Who may reach what is decided here too: an office
manager's notices and meetings are their governorate's; a coordinator sees the
notices that target their organisation and files for it alone."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from shafaf.access.checks import governorate_scope, require
from shafaf.access.people import Account
from shafaf.access.roles import Capability
from shafaf.audit.actions import record
from shafaf.elections.models import Election, Governorate
from shafaf.observation.channel_models import (
    AwarenessActivity,
    Meeting,
    MeetingDocument,
    Notice,
    NoticeRead,
    Recommendation,
    RecommendationStatus,
)
from shafaf.observation.models import Coordinator, Organisation, OrganisationStatus

PDF_LIMIT = 5 * 1024 * 1024
"""An attachment or a meeting's document: a PDF of at most 5 MB."""


def organisation_of(user: Account) -> Organisation | None:
    """The organisation a coordinator acts for, if any."""
    held = Coordinator.objects.filter(user=user).select_related("organisation").first()
    return held.organisation if held is not None else None


def targeted(notice: Notice) -> QuerySet[Organisation]:
    """The approved organisations of the notice's election that it targets."""
    found = Organisation.objects.filter(election=notice.election,
                                        status=OrganisationStatus.APPROVED)
    places = list(notice.governorates.values_list("pk", flat=True))
    if places:
        found = found.filter(governorates__in=places)
    if notice.kinds:
        found = found.filter(kind__in=notice.kinds)
    return found.distinct()


def inbox(organisation: Organisation) -> list[Notice]:
    """The notices that target an organisation (its coordinators' list), newest first.
    Kinds are a short JSON list: compared here, the same on both databases."""
    places = organisation.governorates.values_list("pk", flat=True)
    found = (Notice.objects.filter(election=organisation.election)
             .filter(Q(governorates__isnull=True) | Q(governorates__in=places))
             .distinct().order_by("-sent"))
    return [notice for notice in found if not notice.kinds or organisation.kind in notice.kinds]


def sent_notices(user: Account) -> QuerySet[Notice]:
    """The notices the sender's side sees: every one nationally, their office's in a
    governorate."""
    require(user, Capability.ENGAGE_CIVIL_SOCIETY)
    scope = governorate_scope(user)
    found = Notice.objects.all()
    return found.filter(office_id=scope) if scope is not None else found


def meetings_for(user: Account) -> QuerySet[Meeting]:
    require(user, Capability.ENGAGE_CIVIL_SOCIETY)
    scope = governorate_scope(user)
    return Meeting.objects.filter(office_id=scope) if scope is not None else Meeting.objects.all()


@transaction.atomic
def send_notice(*, actor: Account, election: Election, titles: Mapping[str, str],
                bodies: Mapping[str, str], governorates: Sequence[Governorate],
                kinds: Sequence[str], attachment: bytes | None = None,
                attachment_name: str = "") -> Notice:
    actor = require(actor, Capability.ENGAGE_CIVIL_SOCIETY)
    scope = governorate_scope(actor)
    office = None
    if scope is not None:  # an office's notice goes to its own governorate only
        office = Governorate.objects.get(pk=scope)
        governorates = [office]
    notice = Notice.objects.create(
        election=election, office=office, sent_by=actor, kinds=sorted(set(kinds)),
        attachment=attachment, attachment_name=attachment_name if attachment else "",
        **{f"title_{code}": text for code, text in titles.items()},
        **{f"body_{code}": text for code, text in bodies.items()})
    notice.governorates.set(governorates)
    record(actor=actor, action="observation.notice_send", target=notice, data={
        "title": notice.title_ar, "governorates": sorted(g.code for g in governorates),
        "kinds": notice.kinds, "attachment": len(attachment or b""),
        "organisations": targeted(notice).count()})
    return notice


def mark_read(*, user: Account, notice: Notice, organisation: Organisation) -> bool:
    """Record the read receipt, once: True the first time."""
    if NoticeRead.objects.filter(notice=notice, user=user).exists():
        return False
    try:
        with transaction.atomic():
            receipt = NoticeRead.objects.create(notice=notice, user=user,
                                                organisation=organisation)
            record(actor=user, action="observation.notice_read", target=notice,
                   data={"organisation": organisation.pk, "at": receipt.read.isoformat()})
    except IntegrityError:  # read before, perhaps in another tab at the same moment
        return False
    return True


MEETING_FIELDS = ("title_ar", "title_ckb", "title_en", "held", "place", "other_participants",
                  "topics", "minutes", "published")


def _meeting_data(meeting: Meeting) -> dict[str, Any]:
    data = {name: getattr(meeting, name) for name in MEETING_FIELDS}
    data["organisations"] = sorted(meeting.organisations.values_list("pk", flat=True))
    data["office"] = meeting.office.code if meeting.office else ""
    return data


@transaction.atomic
def record_meeting(*, actor: Account, election: Election, office: Governorate | None,
                   fields: Mapping[str, Any], organisations: Iterable[Organisation]) -> Meeting:
    actor = require(actor, Capability.ENGAGE_CIVIL_SOCIETY)
    scope = governorate_scope(actor)
    if scope is not None:
        office = Governorate.objects.get(pk=scope)
    meeting = Meeting.objects.create(election=election, office=office, recorded_by=actor,
                                     **{name: fields[name] for name in MEETING_FIELDS})
    meeting.organisations.set(list(organisations))
    record(actor=actor, action="observation.meeting_record", target=meeting,
           data=_meeting_data(meeting))
    return meeting


@transaction.atomic
def correct_meeting(*, actor: Account, meeting: Meeting, fields: Mapping[str, Any],
                    organisations: Iterable[Organisation]) -> Meeting:
    """A correction keeps what was there before in the audit trail."""
    actor = require(actor, Capability.ENGAGE_CIVIL_SOCIETY)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    before = _meeting_data(locked)
    for name in MEETING_FIELDS:
        setattr(locked, name, fields[name])
    locked.save()
    locked.organisations.set(list(organisations))
    after = _meeting_data(locked)
    changed = {name: {"before": before[name], "after": after[name]}
               for name in after if before[name] != after[name]}
    if changed:
        record(actor=actor, action="observation.meeting_correct", target=locked,
               data={"changed": changed})
    return locked


@transaction.atomic
def add_meeting_document(*, actor: Account, meeting: Meeting, name: str,
                         content: bytes) -> MeetingDocument:
    actor = require(actor, Capability.ENGAGE_CIVIL_SOCIETY)
    document = MeetingDocument.objects.create(meeting=meeting, name=name, content=content,
                                              size=len(content))
    record(actor=actor, action="observation.meeting_document", target=meeting,
           data={"document": document.pk, "name": name, "size": len(content)})
    return document


@transaction.atomic
def file_recommendation(*, actor: Account, organisation: Organisation, title: str, text: str,
                        topic: str) -> Recommendation:
    actor = require(actor, Capability.MANAGE_OBSERVERS)
    made = Recommendation.objects.create(organisation=organisation, title=title, text=text,
                                         topic=topic, filed_by=actor)
    record(actor=actor, action="observation.recommendation_file", target=made,
           data={"organisation": organisation.pk, "title": title, "topic": topic})
    return made


@transaction.atomic
def answer_recommendation(*, actor: Account, recommendation: Recommendation, status: str,
                          answer: str) -> Recommendation:
    """The commission's public answer; it may be revised, each time audited."""
    actor = require(actor, Capability.ENGAGE_CIVIL_SOCIETY)
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    before = {"status": locked.status, "answer": locked.answer}
    locked.status, locked.answer = status, answer
    locked.answered_by, locked.answered = actor, timezone.now()
    locked.save()
    record(actor=actor, action="observation.recommendation_answer", target=locked,
           data={"before": before, "status": status, "answer": answer})
    return locked


ANSWER_STATUSES = (RecommendationStatus.ANSWERED, RecommendationStatus.ADOPTED,
                   RecommendationStatus.DECLINED)


@transaction.atomic
def file_activity(*, actor: Account, organisation: Organisation,
                  fields: Mapping[str, Any]) -> AwarenessActivity:
    actor = require(actor, Capability.MANAGE_OBSERVERS)
    made = AwarenessActivity.objects.create(organisation=organisation, filed_by=actor,
                                            **fields)
    record(actor=actor, action="observation.awareness_file", target=made, data={
        "organisation": organisation.pk, "held": made.held, "governorate":
        made.governorate.code, "kind": made.kind, "audience": made.audience,
        "reach": made.reach})
    return made
