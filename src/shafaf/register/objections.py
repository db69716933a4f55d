"""Objections to the preliminary register: filed, decided, applied; each step one
audited action (docs/register-exhibition.md). The rules are
:mod:`shafaf.core.register_objections`'; the audit events carry no personal data (no
name, no voter number): the objection's number, its centre and its ground."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.forms.models import model_to_dict
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from shafaf.access.checks import can, governorate_scope, require
from shafaf.access.people import Account, Visitor
from shafaf.access.roles import Capability
from shafaf.audit.actions import record
from shafaf.core.refusal import Hidden
from shafaf.core.register_objections import (
    Filing,
    Ground,
    ObjectionRefused,
    ObjectionStep,
    filing_refusal,
    next_state,
    removes,
)
from shafaf.elections.models import Election, PollingCentre
from shafaf.register import exhibition
from shafaf.register.finality import RegisterRefused, refuse_if_final
from shafaf.register.models import (
    Objection,
    ObjectionState,
    ObjectionThrottle,
    Status,
    Voter,
    VoterChange,
)

# --- Evidence: a PDF, JPEG or PNG, read from its bytes ----------------------------------

MAX_EVIDENCE_BYTES = 2 * 1024 * 1024
MAX_EVIDENCE_PIXELS = 40_000_000


def evidence_type(content: bytes) -> str:
    """The evidence file's type, checked on its content, or ``RegisterRefused``: a PDF
    must start with its header and end with its end-of-file mark; a picture must
    decode in full."""
    if len(content) > MAX_EVIDENCE_BYTES:
        raise RegisterRefused("evidence_too_large", limit=MAX_EVIDENCE_BYTES // 1024)
    if content.startswith(b"%PDF-"):
        if b"%%EOF" not in content[-1024:]:
            raise RegisterRefused("evidence_unreadable")
        return "application/pdf"
    kinds = {b"\x89PNG\r\n\x1a\n": ("PNG", "image/png"), b"\xff\xd8\xff": ("JPEG", "image/jpeg")}
    found = next((kind for magic, kind in kinds.items() if content.startswith(magic)), None)
    if found is None:
        raise RegisterRefused("evidence_not_accepted")
    try:
        with Image.open(io.BytesIO(content), formats=[found[0]]) as image:
            width, height = image.size
            if width * height > MAX_EVIDENCE_PIXELS:
                raise RegisterRefused("evidence_unreadable")
            image.load()
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError,
            UnidentifiedImageError, Image.DecompressionBombError):
        raise RegisterRefused("evidence_unreadable") from None
    return found[1]


# --- The voter's public form: identification, throttled like a login --------------------

FAILURES_PER_MINUTE = 10
WINDOW = timedelta(minutes=1)


def throttled(address: str, now: datetime | None = None) -> timedelta | None:
    """How long until ``address`` may try again, or None: past
    :data:`FAILURES_PER_MINUTE` failed identifications in a minute, it waits."""
    now = now or timezone.now()
    row = ObjectionThrottle.objects.filter(address=address).first()
    if row is None or row.until <= now or row.failures < FAILURES_PER_MINUTE:
        return None
    return row.until - now


def count_failure(address: str, now: datetime | None = None) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        row, _ = ObjectionThrottle.objects.select_for_update().get_or_create(
            address=address, defaults={"until": now + WINDOW})
        if row.until <= now:
            row.failures, row.until = 0, now + WINDOW
        row.failures += 1
        row.save(update_fields=["failures", "until"])
    ObjectionThrottle.objects.filter(until__lt=now - WINDOW).delete()


# --- Filing ---------------------------------------------------------------------------


def _audit(objection: Objection) -> dict[str, Any]:
    return {"objection": objection.pk, "election": objection.election.code,
            "centre": objection.centre.code, "ground": objection.ground,
            "state": objection.state}


def file_objection(*, actor: Visitor | None, election: Election, entry: Voter,
                   ground: Ground | str, statement: str, evidence: str = "",
                   evidence_file: bytes | None = None, other_entry: Voter | None = None,
                   right_centre: PollingCentre | None = None, voter: Voter | None = None,
                   today: date | None = None) -> Objection:
    """File an objection against ``entry``: by a signed-in objector (OBJECT_TO_REGISTER),
    or by ``voter``, a voter of the register who identified with their own entry."""
    account: Account | None = None
    if voter is None:
        account = require(actor, Capability.OBJECT_TO_REGISTER)
    ground = Ground(ground)
    today = today or timezone.localdate()
    kind = evidence_type(evidence_file) if evidence_file else ""
    with transaction.atomic():
        election = Election.objects.select_for_update().get(pk=election.pk)
        refuse_if_final(election)
        entry = Voter.objects.select_related("centre").get(pk=entry.pk)
        if entry.centre.election_id != election.pk:
            raise Hidden("no_such_entry")
        active = exhibition.in_register(election)
        filing = Filing(
            ground=ground, statement=statement,
            against_active=entry.status == Status.ACTIVE,
            other_entry=(other_entry is not None and other_entry.pk != entry.pk
                         and active.filter(pk=other_entry.pk).exists()),
            right_centre=(right_centre is not None and right_centre.election_id == election.pk
                          and right_centre.pk != entry.centre_id))
        refused = filing_refusal(filing, window=exhibition.window(election), today=today,
                                 final=False)
        if refused is not None:
            raise RegisterRefused(refused.code, **refused.params)
        objection = Objection.objects.create(
            election=election, voter=entry, centre=entry.centre, ground=ground,
            statement=statement.strip(), evidence=evidence.strip(),
            evidence_file=evidence_file or None, evidence_type=kind,
            other_voter=other_entry if ground is Ground.DUPLICATE else None,
            right_centre=right_centre if ground is Ground.WRONG_CENTRE else None,
            filed_by=account, filed_by_voter=voter, filed=timezone.now())
        record(actor=account, action="register.objection_filed", target=objection,
               data={**_audit(objection), "by_voter": voter is not None,
                     "evidence_file": bool(kind)})
    return objection


# --- Deciding and applying --------------------------------------------------------------


def for_office(actor: Visitor | None) -> QuerySet[Objection]:
    """The objections the office ``actor`` decides: within its governorate."""
    account = require(actor, Capability.DECIDE_REGISTER_REQUESTS)
    scope = governorate_scope(account)
    objections = Objection.objects.select_related("centre", "election")
    if scope is not None:
        objections = objections.filter(centre__governorate_id=scope)
    return objections


def _locked(actor: Visitor | None, objection: Objection) -> tuple[Account, Objection]:
    account = require(actor, Capability.DECIDE_REGISTER_REQUESTS)
    found = for_office(account).select_for_update(of=("self",)).filter(pk=objection.pk).first()
    if found is None:
        raise Hidden("no_such_objection")
    return account, found


def decide(*, actor: Visitor | None, objection: Objection, upheld: bool,
           reason: str) -> Objection:
    """Uphold or dismiss ``objection``, with the reason that is published."""
    step = ObjectionStep.UPHOLD if upheld else ObjectionStep.DISMISS
    with transaction.atomic():
        account, objection = _locked(actor, objection)
        refuse_if_final(objection.election_id)
        try:
            state = next_state(objection.state, step, reason=reason)
        except ObjectionRefused as refused:
            raise RegisterRefused(refused.code, **refused.params) from None
        objection.state, objection.reason = state.value, reason.strip()
        objection.decided, objection.decided_by = timezone.now(), account
        objection.save(update_fields=["state", "reason", "decided", "decided_by"])
        record(actor=account, action=f"register.objection_{state.value}", target=objection,
               data=_audit(objection))
    return objection


CHANGED = ("centre", "governorate", "station", "status", "removal_reason")


def _fields(voter: Voter) -> dict[str, Any]:
    values = model_to_dict(voter, fields=CHANGED)
    return {name: values[name] for name in CHANGED}


def apply(*, actor: Visitor | None, objection: Objection) -> Objection:
    """Change the register as the upheld ``objection`` says, with the voter's history:
    removed (the ground as the reason), or moved to the right centre."""
    with transaction.atomic():
        account, objection = _locked(actor, objection)
        refuse_if_final(objection.election_id)
        try:
            state = next_state(objection.state, ObjectionStep.APPLY)
        except ObjectionRefused as refused:
            raise RegisterRefused(refused.code, **refused.params) from None
        voter = Voter.objects.select_for_update().get(pk=objection.voter_id)
        if voter.status != Status.ACTIVE:
            raise RegisterRefused("entry_not_in_register")
        before = _fields(voter)
        now = timezone.now()
        if removes(objection.ground):
            voter.status = Status.REMOVED
            voter.removal_reason = f"objection {objection.pk}: {objection.ground}"
        else:
            centre = objection.right_centre
            if centre is None:  # the filing requires it
                raise RegisterRefused("wrong_centre_needs_centre")
            voter.centre, voter.governorate_id, voter.station = (centre, centre.governorate_id,
                                                                 None)
        voter.updated = now
        voter.save(update_fields=[*(f for f in CHANGED), "updated"])
        VoterChange.objects.create(voter=voter, at=now, actor=account, before=before,
                                   after=_fields(voter),
                                   reason=f"objection {objection.pk} upheld: {objection.ground}")
        objection.state, objection.applied = state.value, now
        objection.save(update_fields=["state", "applied"])
        record(actor=account, action="register.objection_applied", target=objection,
               data={**_audit(objection), "removed": removes(objection.ground)})
    return objection


def published(election: Election) -> QuerySet[Objection]:
    """Every decided objection, for the public page (no names are read)."""
    return (Objection.objects.filter(election=election)
            .exclude(state=ObjectionState.FILED).select_related("centre")
            .order_by(F("decided").desc(nulls_last=True), "-pk"))


def undecided(election: Election) -> int:
    """Objections that keep the register from being final: filed, or upheld but not applied."""
    return Objection.objects.filter(
        election=election, state__in=(ObjectionState.FILED, ObjectionState.UPHELD)).count()


def may_see_evidence(actor: Visitor | None) -> bool:
    return can(actor, Capability.DECIDE_REGISTER_REQUESTS) and can(actor,
                                                                    Capability.VIEW_REGISTER)

