"""The update campaign's requests: every step an action with its audit event
(docs/register-campaign.md).

The rules are the core's (:mod:`shafaf.core.register_requests`): the submission's
(:func:`submission_refusal`, with the election's ``register_update`` phase as the
campaign window) and the steps' (:func:`refusal`). Here they meet the database:
the capability, the user's governorate, the final register, and what applying a
request changes in the register, with its history (``VoterChange``).

A refusal is a :class:`RegisterRefused` with the core's code (worded in
:mod:`shafaf.register.refusals`); a request or voter outside the user's governorate
is :class:`~shafaf.core.refusal.Hidden`, as if it did not exist. Audit events carry
the request's number, kind, step and centre, never a name or a birth date.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import IO, Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from shafaf import tabular
from shafaf.access.checks import can, governorate_scope, require
from shafaf.access.people import Account, Visitor
from shafaf.access.roles import Capability
from shafaf.audit.actions import record
from shafaf.core import register_requests as rules
from shafaf.core.refusal import Hidden
from shafaf.elections.models import (
    CalendarPhase,
    Election,
    Phase,
    PollingCentre,
    RegistrationCentre,
)
from shafaf.register.finality import RegisterRefused, refuse_if_final
from shafaf.register.models import (
    MOTHER_NAME_LENGTH,
    NAME_LENGTH,
    REQUEST_NOTE_LENGTH,
    CampaignRequest,
    CardKind,
    Category,
    RequestKind,
    RequestState,
    Status,
    Voter,
    VoterChange,
)
from shafaf.register.order import stored_sort_key

NAMES = ("first_name", "father_name", "grandfather_name", "family_name", "mother_name")
CORRECTABLE = (*NAMES, "sex", "birth_date")
# New voters' numbers: this prefix and the request's number (docs/register-campaign.md).
NEW_VOTER_PREFIX = "R"
BATCH = 2_000
BULK_ROWS_LIMIT = 1_000_000
BULK_COLUMNS = ("voter_number", "death_date", "reference")
REFERENCE_LENGTH = 200

STEP_CAPABILITY = {
    rules.RequestStep.VERIFY: Capability.HANDLE_REGISTER_REQUESTS,
    rules.RequestStep.APPROVE: Capability.DECIDE_REGISTER_REQUESTS,
    rules.RequestStep.REJECT: Capability.DECIDE_REGISTER_REQUESTS,
    rules.RequestStep.APPLY: Capability.DECIDE_REGISTER_REQUESTS,
}
ACTOR_CAPABILITY = {rules.Actor.CLERK: Capability.HANDLE_REGISTER_REQUESTS,
                    rules.Actor.MANAGER: Capability.DECIDE_REGISTER_REQUESTS}


def _(message: str) -> str:
    return str(gettext(message))


# --- request numbers ---------------------------------------------------------------

def _luhn_digit(digits: str) -> str:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def random_number() -> str:
    """Ten random digits (the first never 0) and a Luhn check digit: 9 × 10⁹
    numbers, so that guessing one that exists is hopeless, and a mistyped digit is
    caught before the database is asked."""
    body = str(secrets.randbelow(9 * 10**9) + 10**9)
    return body + _luhn_digit(body)


def well_formed_number(text: str) -> bool:
    return (len(text) == 11 and text.isascii() and text.isdigit() and text[0] != "0"
            and _luhn_digit(text[:10]) == text[10])


def _fresh_numbers(count: int) -> list[str]:
    numbers: set[str] = set()
    while len(numbers) < count:
        wanted = {random_number() for _ in range(count - len(numbers))} - numbers
        taken: set[str] = set()
        chunk = sorted(wanted)
        for start in range(0, len(chunk), BATCH):
            taken.update(CampaignRequest.objects.filter(
                number__in=chunk[start:start + BATCH]).values_list("number", flat=True))
        numbers |= wanted - taken
    return sorted(numbers)[:count]


# --- the campaign window -----------------------------------------------------------

def campaign_window(election: Election) -> rules.CampaignWindow | None:
    phase = CalendarPhase.objects.filter(election=election,
                                         phase=Phase.REGISTER_UPDATE).first()
    return None if phase is None else rules.CampaignWindow(phase.starts, phase.ends)


def actors_of(user: Visitor | None) -> frozenset[rules.Actor]:
    """In which of the core's capacities the user may take steps."""
    return frozenset(actor for actor, capability in ACTOR_CAPABILITY.items()
                     if can(user, capability))


# --- submission ----------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class RequestData:
    """What the centre's form says besides the kind and the voter."""

    first_name: str = ""
    father_name: str = ""
    grandfather_name: str = ""
    family_name: str = ""
    mother_name: str = ""
    sex: str = ""
    birth_date: date | None = None
    target_centre: PollingCentre | None = None
    category: str = ""
    card_kind: str = ""
    proof_of_residence: bool = False
    note: str = ""
    death_evidence: str = ""
    death_date: date | None = None


def _refused(refused: rules.RequestRefused) -> RegisterRefused:
    return RegisterRefused(refused.code, **refused.params)


def _governorate_code(centre: PollingCentre | None) -> str:
    return "" if centre is None else str(centre.governorate.code)


def _check_fields(kind: RequestKind, data: RequestData, election: Election,
                  voter: Voter | None) -> None:
    """What the core's rules do not look at but the register needs."""
    for name in NAMES:
        limit = MOTHER_NAME_LENGTH if name == "mother_name" else NAME_LENGTH
        if len(getattr(data, name)) > limit:
            raise RegisterRefused("too_long")
    if max(len(data.note), len(data.death_evidence)) > REQUEST_NOTE_LENGTH:
        raise RegisterRefused("too_long")
    if data.target_centre is not None and data.target_centre.election_id != election.pk:
        raise RegisterRefused("no_centre")
    if kind == RequestKind.NEW_REGISTRATION:
        if not all(getattr(data, name) for name in NAMES if name != "family_name") \
                or data.sex not in ("F", "M"):
            raise RegisterRefused("person_incomplete")
        if data.target_centre is None:
            raise RegisterRefused("no_centre")
    elif kind == RequestKind.CORRECTION and voter is not None:
        if not any(getattr(data, name) not in ("", None)
                   and getattr(data, name) != getattr(voter, name) for name in CORRECTABLE):
            raise RegisterRefused("nothing_to_correct")
        if data.sex and data.sex not in ("F", "M"):
            raise RegisterRefused("person_incomplete")
    elif kind == RequestKind.REPLACEMENT_CARD:
        if data.card_kind not in CardKind.values:
            raise RegisterRefused("no_card_kind")
    elif kind == RequestKind.SPECIAL_VOTING and voter is not None \
            and voter.category == data.category:
        raise RegisterRefused("already_in_category")


def _voter_for(kind: RequestKind, number: str, scope: int | None) -> Voter | None:
    if kind == RequestKind.NEW_REGISTRATION:
        return None
    voter = Voter.objects.select_related("centre", "governorate").filter(
        voter_number=number.strip()).first()
    # A voter of another governorate reads as no voter at all, except for a transfer:
    # the person moves into the centre's governorate and asks there.
    if voter is None or (scope is not None and voter.governorate_id != scope
                         and kind != RequestKind.TRANSFER):
        raise RegisterRefused("unknown_voter")
    if voter.status == Status.REMOVED:
        raise RegisterRefused("voter_removed")
    return voter


def submit_request(*, actor: Visitor | None, election: Election, centre: RegistrationCentre,
                   kind: RequestKind | str, voter_number: str = "",
                   data: RequestData | None = None, today: date | None = None
                   ) -> CampaignRequest:
    """Enter a request made at ``centre`` today: refused outside the campaign window
    (naming its dates), or when the core's submission rules refuse it."""
    user = require(actor, Capability.HANDLE_REGISTER_REQUESTS)
    scope = governorate_scope(user)
    if scope is not None and centre.governorate_id != scope:
        raise Hidden("not_found")
    kind = RequestKind(kind)
    data = data or RequestData()
    today = today or timezone.localdate()
    with transaction.atomic():
        election = Election.objects.get(pk=election.pk)
        refuse_if_final(election)
        window = campaign_window(election)
        if window is None:
            raise RegisterRefused("no_campaign")
        voter = _voter_for(kind, voter_number, scope)
        target = data.target_centre
        if target is not None:
            target = PollingCentre.objects.select_related("governorate").get(pk=target.pk)
            data = replace(data, target_centre=target)
        details = rules.RequestDetails(
            kind=rules.RequestKind(kind.value),
            birth_date=data.birth_date if voter is None else voter.birth_date,
            category=(rules.VoterCategory(data.category)
                      if data.category in rules.VoterCategory._value2member_map_
                      else rules.VoterCategory.GENERAL),
            from_centre="" if voter is None else voter.centre.code,
            to_centre="" if target is None else target.code,
            from_governorate="" if voter is None else voter.governorate.code,
            to_governorate=_governorate_code(target),
            proof_of_residence=data.proof_of_residence,
            evidence_of_death=bool(data.death_evidence.strip()), filed_by_staff=True)
        refused = rules.submission_refusal(details, campaign=window, today=today,
                                           polling_day=election.polling_day)
        if refused is not None:
            raise _refused(refused)
        _check_fields(kind, data, election, voter)
        born = details.birth_date
        if born is None:
            raise RegisterRefused("birth_date_missing")
        now = timezone.now()
        fields = {name: getattr(data, name) for name in CORRECTABLE} \
            if kind in (RequestKind.NEW_REGISTRATION, RequestKind.CORRECTION) else {}
        request = CampaignRequest.objects.create(
            number=_fresh_numbers(1)[0], election=election, kind=kind, voter=voter,
            registration_centre=centre, governorate_id=centre.governorate_id,
            birth_year=born.year, target_centre=target, **fields,
            category=data.category if kind == RequestKind.SPECIAL_VOTING else "",
            card_kind=data.card_kind if kind == RequestKind.REPLACEMENT_CARD else "",
            proof_of_residence=data.proof_of_residence, note=data.note.strip(),
            death_evidence=data.death_evidence.strip(), death_date=data.death_date,
            submitted_at=now, submitted_on=timezone.localdate(now), submitted_by=user)
        _record(user, request, "submit")
    return request


def _record(actor: Account, request: CampaignRequest, step: str, **extra: object) -> None:
    centre = request.registration_centre
    record(actor=actor, action=f"register.request_{step}", target=request,
           data={"number": request.number, "kind": request.kind, "step": step,
                 "centre": "" if centre is None else centre.code, **extra})


# --- the steps ---------------------------------------------------------------------

def visible_requests(user: Visitor | None) -> Any:
    """The requests the user may see: their governorate's, or all."""
    account = require(user, Capability.VIEW_REGISTER)
    scope = governorate_scope(account)
    requests = CampaignRequest.objects.all()
    return requests if scope is None else requests.filter(governorate_id=scope)


def _step(actor: Visitor | None, request: CampaignRequest, step: rules.RequestStep,
          reason: str = "") -> CampaignRequest:
    user = require(actor, STEP_CAPABILITY[step])
    scope = governorate_scope(user)
    if len(reason) > REQUEST_NOTE_LENGTH:
        raise RegisterRefused("too_long")
    with transaction.atomic():
        locked = CampaignRequest.objects.select_for_update().filter(pk=request.pk or 0).first()
        if locked is None or (scope is not None and locked.governorate_id != scope):
            raise Hidden("not_found")
        refuse_if_final(locked.election_id)
        facts = rules.StepFacts(reason=reason, verified_it=locked.verified_by_id == user.pk)
        try:
            state = rules.next_state(locked.state, step, facts)
        except rules.RequestRefused as refused:
            raise _refused(refused) from None
        now = timezone.now()
        if step is rules.RequestStep.VERIFY:
            locked.verified_at, locked.verified_by = now, user
        elif step is rules.RequestStep.APPLY:
            _apply(locked, user, now)
            locked.applied_at, locked.applied_by = now, user
            locked.applied_on = timezone.localdate(now)
        else:
            locked.decided_at, locked.decided_by = now, user
            if step is rules.RequestStep.REJECT:
                locked.rejection_reason = reason.strip()
        locked.state = RequestState(state.value)
        locked.save()
        _record(user, locked, step.value)
    return locked


def verify_request(*, actor: Visitor | None, request: CampaignRequest) -> CampaignRequest:
    return _step(actor, request, rules.RequestStep.VERIFY)


def approve_request(*, actor: Visitor | None, request: CampaignRequest) -> CampaignRequest:
    return _step(actor, request, rules.RequestStep.APPROVE)


def reject_request(*, actor: Visitor | None, request: CampaignRequest,
                   reason: str) -> CampaignRequest:
    return _step(actor, request, rules.RequestStep.REJECT, reason)


def apply_request(*, actor: Visitor | None, request: CampaignRequest) -> CampaignRequest:
    return _step(actor, request, rules.RequestStep.APPLY)


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _apply(request: CampaignRequest, actor: Account, now: datetime) -> None:
    """Change the register as ``request`` asks, with the voter's history."""
    why = f"request {request.number} ({request.kind})"
    if request.kind == RequestKind.NEW_REGISTRATION:
        target = request.target_centre
        if target is None:
            raise RegisterRefused("no_centre")
        number = NEW_VOTER_PREFIX + request.number
        if Voter.objects.filter(voter_number=number).exists():
            raise RegisterRefused("voter_number_taken", number=number)
        voter = Voter.objects.create(
            voter_number=number, **{name: getattr(request, name) for name in CORRECTABLE},
            governorate_id=target.governorate_id, centre=target,
            sort_key=stored_sort_key(request.first_name, request.father_name,
                                     request.grandfather_name, request.family_name, number),
            created=now, updated=now)
        request.voter = voter
        VoterChange.objects.create(
            voter=voter, at=now, actor=actor, before=None, reason=why,
            after={"voter_number": number, "centre_id": target.pk,
                   "governorate_id": target.governorate_id,
                   **{name: _plain(getattr(voter, name)) for name in CORRECTABLE}})
        return
    found = Voter.objects.select_for_update().filter(pk=request.voter_id or 0).first()
    if found is None:
        raise RegisterRefused("unknown_voter")
    voter = found
    if voter.status == Status.REMOVED:
        raise RegisterRefused("voter_removed")
    changes: dict[str, object] = {}
    if request.kind == RequestKind.TRANSFER:
        target = request.target_centre
        if target is None:
            raise RegisterRefused("no_centre")
        changes = {"centre_id": target.pk, "governorate_id": target.governorate_id,
                   "station_id": None}
    elif request.kind == RequestKind.CORRECTION:
        changes = {name: getattr(request, name) for name in CORRECTABLE
                   if getattr(request, name) not in ("", None)}
    elif request.kind == RequestKind.REPLACEMENT_CARD:
        changes = {"card_kind": request.card_kind}
    elif request.kind == RequestKind.SPECIAL_VOTING:
        changes = {"category": request.category}
    elif request.kind == RequestKind.REMOVAL_OF_DECEASED:
        changes = {"status": Status.REMOVED.value,
                   "removal_reason": _removal_reason(request.death_date,
                                                     request.death_evidence)}
    changes = {name: value for name, value in changes.items()
               if getattr(voter, name) != value}
    before = {name: _plain(getattr(voter, name)) for name in changes}
    for name, value in changes.items():
        setattr(voter, name, value)
    if any(name in NAMES for name in changes):
        voter.sort_key = stored_sort_key(voter.first_name, voter.father_name,
                                         voter.grandfather_name, voter.family_name,
                                         voter.voter_number)
    voter.updated = now
    voter.save()
    VoterChange.objects.create(voter=voter, at=now, actor=actor, before=before, reason=why,
                               after={name: _plain(value) for name, value in changes.items()})


def _removal_reason(death_date: date | None, evidence: str) -> str:
    day = f" {death_date.isoformat()}" if death_date else ""
    return f"deceased{day}: {evidence}".strip()


# --- bulk removal of the deceased ----------------------------------------------------

@dataclass(frozen=True)
class BulkRemoval:
    file: str
    sha256: str
    removed: int

    def text(self) -> str:
        return _("%(file)s: %(removed)s voters removed as deceased.") % {
            "file": self.file, "removed": f"{self.removed:,}"}


@dataclass(frozen=True, slots=True)
class _Death:
    row: int
    number: str
    day: date
    reference: str


def _read_deaths(table: tabular.Table, today: date) -> Iterator[_Death]:
    problems = table.problems
    first: dict[str, int] = {}
    for row in table.rows:
        number, text, reference = row["voter_number"], row["death_date"], row["reference"]
        fine = True
        for column in BULK_COLUMNS:
            if not row[column]:
                problems.add(row.number, column, _("required, but empty"))
                fine = False
        if len(number) > 20 or len(reference) > REFERENCE_LENGTH:
            problems.add(row.number, "reference" if len(reference) > REFERENCE_LENGTH
                         else "voter_number", _("longer than %(limit)d characters"),
                         {"limit": REFERENCE_LENGTH if len(reference) > REFERENCE_LENGTH
                          else 20})
            fine = False
        day = None
        if text:
            try:
                day = date.fromisoformat(text) if len(text) == 10 else None
            except ValueError:
                day = None
            if day is None:
                problems.add(row.number, "death_date",
                             _("%(value)s is not a date written YYYY-MM-DD"), {"value": text})
            elif day > today:
                problems.add(row.number, "death_date", _("%(value)s is in the future"),
                             {"value": text})
                day = None
        if number in first:
            problems.add(row.number, "voter_number", _(
                "duplicate voter number %(number)s (first at row %(row)d)"),
                {"number": number, "row": first[number]})
            continue
        if number:
            first[number] = row.number
        if fine and day is not None:
            yield _Death(row.number, number, day, reference)


def _chunks(items: list[Any], size: int = BATCH) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (field values by attribute name; a field left out takes its
    default). PostgreSQL's COPY takes them as they are: a ministries' file of 100,000
    deaths is as many requests and changes, and building a model instance for each,
    as ``bulk_create`` needs, would take most of the time."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**row) for row in rows], batch_size=BATCH)
        return
    from psycopg.types.json import Jsonb

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    json = {f.attname for f in fields if isinstance(f, models.JSONField)}
    names = [f.attname for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            values = [row.get(name, defaults[name]) for name in names]
            copy.write_row([Jsonb(value) if name in json and value is not None else value
                            for name, value in zip(names, values, strict=True)])


def remove_deceased(*, actor: Visitor | None, election: Election, name: str,
                    content: bytes | IO[bytes], today: date | None = None) -> BulkRemoval:
    """Remove the deceased named in the ministries' file (columns voter_number,
    death_date, reference): every one of them, or nobody and
    :class:`~shafaf.tabular.ImportRejected` naming every bad row (an unknown voter, one
    already removed, a bad date, a row twice). Each removal is an applied request of
    its own, with the voter's history; one audit event holds the file's SHA-256.

    The campaign window does not bind it (docs/register-campaign.md); the final
    register does."""
    user = require(actor, Capability.DECIDE_REGISTER_REQUESTS)
    scope = governorate_scope(user)
    today = today or timezone.localdate()
    table = tabular.read_table(name=name, content=content, required=BULK_COLUMNS,
                               limit=BULK_ROWS_LIMIT, translate=_)
    problems = table.problems
    deaths = list(_read_deaths(table, today))
    refuse_if_final(election)
    found: dict[str, tuple[int, str, int, date]] = {}
    for chunk in _chunks([death.number for death in deaths]):
        wanted = Voter.objects.filter(voter_number__in=chunk)
        if scope is not None:
            wanted = wanted.filter(governorate_id=scope)
        for pk, number, status, governorate, born in wanted.values_list(
                "pk", "voter_number", "status", "governorate_id", "birth_date"):
            found[number] = (pk, status, governorate, born)
    for death in deaths:
        known = found.get(death.number)
        if known is None:
            problems.add(death.row, "voter_number", _("no voter %(number)s in the register"),
                         {"number": death.number})
        elif known[1] == Status.REMOVED:
            problems.add(death.row, "voter_number", _("voter %(number)s is already removed"),
                         {"number": death.number})
    if not deaths and not problems:
        problems.add(None, "", _("the file has no rows"))
    problems.raise_if_any()
    with transaction.atomic():
        election = Election.objects.select_for_update().get(pk=election.pk)
        refuse_if_final(election)
        now = timezone.now()
        day = timezone.localdate(now)
        numbers = _fresh_numbers(len(deaths))
        pks = [found[death.number][0] for death in deaths]
        before: dict[int, tuple[str, str]] = {}
        for chunk in _chunks(pks):
            before.update((pk, (status, reason)) for pk, status, reason in
                          Voter.objects.select_for_update().filter(pk__in=chunk).values_list(
                              "pk", "status", "removal_reason"))
        if any(status == Status.REMOVED for status, _reason in before.values()):
            raise RegisterRefused("voter_removed")  # removed since the file was checked
        requests: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        updates = []
        common = {"election_id": election.pk, "kind": RequestKind.REMOVAL_OF_DECEASED.value,
                  "state": RequestState.APPLIED.value,
                  "note": f"{name} ({table.sha256[:12]})"[:REQUEST_NOTE_LENGTH],
                  "submitted_at": now, "submitted_on": day, "submitted_by_id": user.pk,
                  "decided_at": now, "decided_by_id": user.pk, "applied_at": now,
                  "applied_on": day, "applied_by_id": user.pk}
        stamp = connection.ops.adapt_datetimefield_value(now)
        for death, number in zip(deaths, numbers, strict=True):
            pk, _status, governorate, born = found[death.number]
            reason = _removal_reason(death.day, death.reference)
            updates.append((Status.REMOVED.value, reason, stamp, pk))
            requests.append({
                **common, "number": number, "voter_id": pk, "governorate_id": governorate,
                "birth_year": born.year, "death_evidence": death.reference,
                "death_date": death.day})
            changes.append({
                "voter_id": pk, "at": now, "actor_id": user.pk,
                "reason": f"request {number} (deceased)",
                "before": {"status": before[pk][0], "removal_reason": before[pk][1]},
                "after": {"status": Status.REMOVED.value, "removal_reason": reason}})
        _insert(CampaignRequest, requests)
        _insert(VoterChange, changes)
        with connection.cursor() as cursor:
            # One statement, many parameter sets (psycopg pipelines them): Django's
            # bulk_update writes a CASE per row and is many times slower.
            cursor.executemany(
                f"UPDATE {Voter._meta.db_table} SET status = %s, removal_reason = %s, "  # noqa: S608
                "updated = %s WHERE id = %s", updates)
        record(actor=user, action="register.remove_deceased", target=election,
               data={"election": election.code, "file": name, "sha256": table.sha256,
                     "removed": len(deaths)})
    return BulkRemoval(name, table.sha256, len(deaths))


__all__ = ["BulkRemoval", "Category", "RequestData", "apply_request", "approve_request",
           "campaign_window", "reject_request", "remove_deceased", "submit_request",
           "verify_request", "well_formed_number"]
