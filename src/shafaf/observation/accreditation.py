"""Accreditation (docs/observation-accreditation.md): an organisation applies and the
commission approves it; its coordinator submits observers one by one or as a file;
the accreditation staff run the automatic checks (shafaf.core.accreditation_checks),
accredit (a badge) or refuse; a badge is revoked with a reason. Every write is one
audited action."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from shafaf.access.checks import can, require
from shafaf.access.people import Account, Visitor
from shafaf.access.roles import Capability, Role
from shafaf.accounts.models import User
from shafaf.audit.actions import record
from shafaf.core import accreditation_checks as checks
from shafaf.core.refusal import Hidden
from shafaf.elections.models import Election, Governorate
from shafaf.entities.models import Candidate, EntityAgent
from shafaf.observation import codes
from shafaf.observation.accreditation_refusals import AccreditationRefused
from shafaf.observation.models import (
    ApplicationThrottle,
    Badge,
    Coordinator,
    Observer,
    ObserverStatus,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
)
from shafaf.register.models import Status, Voter
from shafaf.tabular import Problems, day, key, read_table
from shafaf.tabular.problems import Translate, untranslated

REASON_LENGTH = 2000
NAME_LENGTH = 300
FILE_ROWS = 5000
FILE_BYTES = 5 * 1024 * 1024
PREFIX = {OrganisationKind.LOCAL: "CSO", OrganisationKind.INTERNATIONAL: "INT",
          OrganisationKind.AGENTS: "AGT"}
COLUMNS = ("full_name", "voter_number", "birth_date", "sex", "phone", "governorate",
           "nationality", "passport_number")
STAFF_ROLES = (Role.ADMIN, Role.OFFICE_MANAGER, Role.CLERK, Role.AUDITOR, Role.COMMISSIONER,
               Role.REGISTER_OFFICER)
_PHONE = re.compile(r"\+?[0-9]{7,15}")
_NUMBER = re.compile(r"[0-9A-Za-z-]{1,32}")
_SEX = {"m": "M", "male": "M", "ذكر": "M", "نێر": "M", "f": "F", "female": "F",
        "انثى": "F", "أنثى": "F", "مێ": "F"}


def _(message: str) -> str:
    """Marks a file problem's message for the catalogues (worded by the collector)."""
    return message


# Who may see what ---------------------------------------------------------------

def organisation_of(user: Visitor) -> Organisation | None:
    """The organisation a coordinator acts for."""
    if not can(user, Capability.MANAGE_OBSERVERS):
        return None
    held = Coordinator.objects.filter(user=user).select_related("organisation").first()
    return held.organisation if held is not None else None


def observers_for(user: Visitor) -> QuerySet[Observer]:
    """The observers whose personal data ``user`` may see: every one for the
    accreditation staff, their own organisation's for a coordinator, none otherwise."""
    found = Observer.objects.select_related("organisation", "governorate")
    if can(user, Capability.ACCREDIT_OBSERVERS):
        return found
    organisation = organisation_of(user)
    if organisation is None:
        return found.none()
    return found.filter(organisation=organisation)


def observer_for(user: Visitor, pk: int) -> Observer:
    """One observer ``user`` may see; anyone else's is absent (Hidden: a 404)."""
    found = observers_for(user).filter(pk=pk).first()
    if found is None:
        raise Hidden("observer_not_found")
    return found


# Organisations ------------------------------------------------------------------

@dataclass(frozen=True)
class Application:
    election: Election
    kind: str
    name_ar: str
    name_ckb: str
    name_en: str
    registration_number: str
    governorates: tuple[Governorate, ...]
    contact_name: str
    contact_email: str
    contact_phone: str


APPLICATIONS_PER_HOUR = 5
"""From one client address: an office may send a few (a network and its members);
more within the hour is a flood of the commission's queue."""


def _hour(now: datetime | None) -> int:
    return int((now or timezone.now()).timestamp()) // 3600


def applications_refused(address: str | None, now: datetime | None = None) -> int | None:
    """Seconds until ``address`` may apply again, or None: after
    :data:`APPLICATIONS_PER_HOUR` applications in the current hour, it waits for the
    next. An unknown address is never held back (nothing to count it by)."""
    if address is None:
        return None
    hour = _hour(now)
    row = ApplicationThrottle.objects.filter(address=address, hour=hour).first()
    if row is None or row.applications < APPLICATIONS_PER_HOUR:
        return None
    return (hour + 1) * 3600 - int((now or timezone.now()).timestamp())


@transaction.atomic
def apply(application: Application, *, actor: Visitor | None = None,
          entity_id: int | None = None, address: str | None = None,
          now: datetime | None = None) -> Organisation:
    """An organisation's application (a public page: no account yet), counted against
    its client ``address`` (see :func:`applications_refused`)."""
    if address is not None:
        hour = _hour(now)
        row, _ = ApplicationThrottle.objects.select_for_update().get_or_create(
            address=address, hour=hour)
        row.applications += 1
        row.save(update_fields=["applications"])
        ApplicationThrottle.objects.filter(hour__lt=hour).delete()
    made = Organisation.objects.create(
        election=application.election, kind=application.kind, entity_id=entity_id,
        name_ar=application.name_ar, name_ckb=application.name_ckb,
        name_en=application.name_en, registration_number=application.registration_number,
        contact_name=application.contact_name, contact_email=application.contact_email,
        contact_phone=application.contact_phone)
    made.governorates.set(application.governorates)
    record(actor=actor if actor is not None and actor.is_authenticated else None,
           action="observation.organisation_applied", target=made,
           data={"election": made.election.code, "kind": made.kind, "name": made.name_ar,
                 "governorates": sorted(g.code for g in application.governorates)})
    return made


@transaction.atomic
def register_agents(*, actor: Account, application: Application) -> Organisation:
    """An entity's agent registers its party agents' organisation and becomes its
    coordinator; the commission approves it like any other."""
    require(actor, Capability.MANAGE_OBSERVERS)
    if Coordinator.objects.filter(user=actor).exists():
        raise AccreditationRefused("already_coordinator")
    held = EntityAgent.objects.filter(user=actor, entity__election=application.election
                                      ).select_related("entity").first()
    if held is None:
        raise AccreditationRefused("no_entity")
    if Organisation.objects.filter(election=application.election, entity=held.entity,
                                   kind=OrganisationKind.AGENTS).exists():
        raise AccreditationRefused("agents_already_registered")
    made = apply(Application(**{**application.__dict__, "kind": OrganisationKind.AGENTS}),
                 actor=actor, entity_id=held.entity_id)
    Coordinator.objects.create(user=actor, organisation=made)
    return made


@dataclass(frozen=True)
class Approved:
    organisation: Organisation
    username: str = ""
    password: str = ""  # shown once, never stored in clear


def _next_code(organisation: Organisation) -> str:
    prefix = PREFIX[OrganisationKind(organisation.kind)]
    numbers = [int(code.rpartition("-")[2]) for code in Organisation.objects.filter(
        election=organisation.election, code__startswith=prefix + "-"
    ).values_list("code", flat=True) if code.rpartition("-")[2].isdigit()]
    return f"{prefix}-{max(numbers, default=0) + 1:04d}"


def one_time_password() -> str:
    return secrets.token_urlsafe(12)


def _unique_username(base: str) -> str:
    name, n = base, 1
    while User.objects.filter(username=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


@transaction.atomic
def approve(*, actor: Account, organisation: Organisation) -> Approved:
    """Approve: the organisation's code, and its coordinator's account (with a
    one-time password shown once) unless it has a coordinator already (an agent)."""
    require(actor, Capability.ACCREDIT_OBSERVERS)
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if locked.status != OrganisationStatus.APPLIED:
        raise AccreditationRefused("organisation_not_applied")
    # One approval at a time in an election: the next code is read, then taken.
    Election.objects.select_for_update().get(pk=locked.election_id)
    locked.code = _next_code(locked)
    locked.status = OrganisationStatus.APPROVED
    locked.decided = timezone.now()
    locked.save(update_fields=["code", "status", "decided"])
    username = password = ""
    if not locked.coordinators.exists():
        username = _unique_username(locked.code.lower())
        password = one_time_password()
        user = User(username=username, role=Role.CSO_COORDINATOR, email=locked.contact_email,
                    first_name=locked.contact_name[:150], must_change_password=True)
        user.set_password(password)
        user.save()
        Coordinator.objects.create(user=user, organisation=locked)
    record(actor=actor, action="observation.organisation_approved", target=locked,
           data={"code": locked.code, "coordinator": username})
    return Approved(locked, username, password)


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason or len(reason) > REASON_LENGTH:
        raise AccreditationRefused("reason_needed", limit=REASON_LENGTH)
    return reason


@transaction.atomic
def reject(*, actor: Account, organisation: Organisation, reason: str) -> Organisation:
    require(actor, Capability.ACCREDIT_OBSERVERS)
    reason = _reason(reason)
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if locked.status != OrganisationStatus.APPLIED:
        raise AccreditationRefused("organisation_not_applied")
    locked.status = OrganisationStatus.REJECTED
    locked.decided = timezone.now()
    locked.decision_reason = reason
    locked.save(update_fields=["status", "decided", "decision_reason"])
    record(actor=actor, action="observation.organisation_rejected", target=locked,
           data={"reason": reason})
    return locked


# Observers ----------------------------------------------------------------------

def _governorates(organisation: Organisation) -> dict[str, Governorate]:
    """The organisation's governorates by code and by name, as a file may write them."""
    found: dict[str, Governorate] = {}
    for governorate in organisation.governorates.all():
        for spelling in (governorate.code, governorate.name_ar, governorate.name_ckb,
                         governorate.name_en):
            if spelling:
                found[key(spelling)] = governorate
    return found


def clean_observer(organisation: Organisation, values: Mapping[str, str],
                   governorates: Mapping[str, Governorate]
                   ) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """One observer's fields from what a form or a file row gives, or the problems
    ((column, message) pairs, the message still to be translated)."""
    got = {name: str(values.get(name, "") or "").strip() for name in COLUMNS}
    problems: list[tuple[str, str]] = []
    international = organisation.kind == OrganisationKind.INTERNATIONAL
    if not got["full_name"] or len(got["full_name"]) > NAME_LENGTH:
        problems.append(("full_name", _("a full name is needed (at most 300 characters)")))
    birth = day(got["birth_date"][:40])
    if birth is None or not date(1900, 1, 1) <= birth <= timezone.localdate():
        problems.append(("birth_date", _("not a birth date (e.g. 1990-04-12)")))
    sex = _SEX.get(got["sex"].casefold()[:10])
    if sex is None:
        problems.append(("sex", _("M or F")))
    if got["phone"] and not _PHONE.fullmatch(got["phone"].replace(" ", "")):
        problems.append(("phone", _("not a telephone number (e.g. +9647701234567)")))
    governorate = governorates.get(key(got["governorate"][:100]))
    if governorate is None:
        problems.append(("governorate", _("not one of the organisation's governorates")))
    if international:
        if not _NUMBER.fullmatch(got["passport_number"]):
            problems.append(("passport_number", _("a passport number is needed")))
        if not got["nationality"] or len(got["nationality"]) > 64:
            problems.append(("nationality", _("a nationality is needed")))
    elif not got["voter_number"].isdigit() or len(got["voter_number"]) > 32:
        problems.append(("voter_number", _("a voter number (digits) is needed")))
    fields: dict[str, object] = {
        "full_name": got["full_name"], "birth_date": birth, "sex": sex,
        "phone": got["phone"].replace(" ", ""), "governorate": governorate,
        "voter_number": "" if international else got["voter_number"],
        "nationality": got["nationality"] if international else "",
        "passport_number": got["passport_number"] if international else ""}
    return fields, problems


def _mine(actor: Account, organisation: Organisation) -> None:
    require(actor, Capability.MANAGE_OBSERVERS)
    if organisation_of(actor) != organisation:
        raise Hidden("organisation_not_found")
    if organisation.status != OrganisationStatus.APPROVED:
        raise AccreditationRefused("organisation_not_approved")


@transaction.atomic
def add_observer(*, actor: Account, organisation: Organisation,
                 values: Mapping[str, str], translate: Translate = untranslated) -> Observer:
    _mine(actor, organisation)
    fields, problems = clean_observer(organisation, values, _governorates(organisation))
    if problems:
        raise AccreditationRefused("observer_invalid", problems="; ".join(
            f"{column}: {translate(message)}" for column, message in problems))
    made = Observer.objects.create(organisation=organisation, **fields)
    record(actor=actor, action="observation.observer_submitted", target=made,
           data={"organisation": organisation.code, "observers": 1})
    return made


def import_observers(*, actor: Account, organisation: Organisation, name: str,
                     content: bytes, translate: Translate = untranslated) -> int:
    """A CSV or XLSX file of observers: all or nothing, every bad row named with its
    row number (raises ImportRejected)."""
    _mine(actor, organisation)
    problems = Problems(name[:100], translate=translate)
    if len(content) > FILE_BYTES:
        problems.add(None, "", _("the file is larger than %(limit)s MB"),
                     {"limit": FILE_BYTES // (1024 * 1024)})
        problems.raise_if_any()
    international = organisation.kind == OrganisationKind.INTERNATIONAL
    required = ["full_name", "birth_date", "sex", "governorate"] + (
        ["nationality", "passport_number"] if international else ["voter_number"])
    table = read_table(name=name[:100], content=content, required=required,
                       optional=[c for c in COLUMNS if c not in required], limit=FILE_ROWS,
                       translate=translate)
    governorates = _governorates(organisation)
    seen: dict[str, int] = {}
    rows = []
    for row in table.rows:
        fields, found = clean_observer(organisation, row.values, governorates)
        for column, message in found:
            table.problems.add(row.number, column, message)
        number = str(fields["passport_number"] or fields["voter_number"])
        if number and number in seen:
            table.problems.add(row.number, "passport_number" if international
                               else "voter_number", _("the same person as row %(row)s"),
                               {"row": seen[number]})
        elif number:
            seen[number] = row.number
        rows.append(fields)
    if not rows:
        table.problems.add(None, "", _("the file has no observers"))
    table.problems.raise_if_any()
    with transaction.atomic():
        Observer.objects.bulk_create(Observer(organisation=organisation, **fields)
                                     for fields in rows)
        record(actor=actor, action="observation.observers_imported", target=organisation,
               data={"file": name[:100], "sha256": table.sha256, "observers": len(rows)})
    return len(rows)


@transaction.atomic
def set_photo(*, actor: Account, observer: Observer, content: bytes) -> Observer:
    """A photo, decoded whole and stored re-encoded as PNG (as entities' logos are)."""
    from shafaf.entities.logos import MAX_LOGO_BYTES, LogoRefused, clean

    _mine(actor, observer.organisation)
    try:
        png = clean(content)
    except LogoRefused:
        raise AccreditationRefused("photo_unusable", limit=MAX_LOGO_BYTES // 1024) from None
    observer.photo, observer.photo_type = png, "image/png"
    observer.save(update_fields=["photo", "photo_type"])
    record(actor=actor, action="observation.observer_photo", target=observer,
           data={"bytes": len(png)})
    return observer


# Checks and accreditation -------------------------------------------------------

def _staff_names() -> set[str]:
    return {checks.name_key(f"{first} {last}") for first, last in User.objects.filter(
        role__in=STAFF_ROLES, is_active=True).values_list("first_name", "last_name")
        if (first or last)}


def facts(observer: Observer, *, staff: set[str] | None = None) -> checks.Facts:
    """What the database knows about an observer, for the checks."""
    organisation = observer.organisation
    election = organisation.election
    name = checks.name_key(observer.full_name)
    register = None
    voter = None
    if observer.voter_number:
        voter = Voter.objects.filter(voter_number=observer.voter_number).first()
        if voter is not None:
            register = checks.Register(active=voter.status == Status.ACTIVE,
                                       birth_date=voter.birth_date)
    names = {name}
    if voter is not None:
        names.add(checks.name_key(" ".join(filter(None, (
            voter.first_name, voter.father_name, voter.grandfather_name, voter.family_name)))))
    candidate = any(
        checks.name_key(n) in names or checks.name_key(f"{n} {s}") in names
        for n, s in Candidate.objects.filter(
            nomination__contest__election=election, date_of_birth=observer.birth_date
        ).exclude(status__in=["replaced", "withdrawn"]).values_list("name_ar", "surname_ar"))
    agent_of = {entity for first, last, entity in EntityAgent.objects.filter(
        entity__election=election).values_list("user__first_name", "user__last_name",
                                                "entity_id")
        if checks.name_key(f"{first} {last}") in names}
    same = Observer.objects.filter(organisation__election=election).exclude(pk=observer.pk)
    if observer.voter_number:
        same_person = same.filter(voter_number=observer.voter_number)
    elif observer.passport_number:
        same_person = same.filter(passport_number=observer.passport_number,
                                  nationality=observer.nationality)
    else:
        same_person = same.none()
    agent_of |= set(same_person.filter(
        organisation__kind=OrganisationKind.AGENTS,
        status__in=[ObserverStatus.SUBMITTED, ObserverStatus.ACCREDITED]
    ).values_list("organisation__entity_id", flat=True))
    twice = same_person.filter(Q(status=ObserverStatus.ACCREDITED) | Q(
        status=ObserverStatus.SUBMITTED, pk__lt=observer.pk)).exists()
    return checks.Facts(
        kind=organisation.kind, birth_date=observer.birth_date,
        polling_day=election.polling_day, voter_number=observer.voter_number,
        passport_number=observer.passport_number, nationality=observer.nationality,
        register=register, candidate=candidate, agent_of=frozenset(agent_of),
        own_entity=organisation.entity_id, accredited_elsewhere=twice,
        staff=bool(names & (staff if staff is not None else _staff_names())))


def run_checks(observers: Iterable[Observer]) -> list[Observer]:
    """Run and store each observer's checks (not audited: they decide nothing)."""
    staff = _staff_names()
    done = []
    for observer in observers:
        observer.checks = checks.run(facts(observer, staff=staff))
        if observer.voter_number and observer.voter_id is None:
            observer.voter = Voter.objects.filter(voter_number=observer.voter_number).first()
        observer.save(update_fields=["checks", "voter"])
        done.append(observer)
    return done


def expiry(election: Election) -> datetime:
    """A badge ends with the day after polling day."""
    return datetime.combine(election.polling_day + timedelta(days=1), time.max, tzinfo=UTC)


@transaction.atomic
def accredit(*, actor: Account, observers: Iterable[Observer]) -> list[Badge]:
    """Accredit observers who pass every check (run again now): each gets a badge and,
    if they have none, an account for the phone app (no usable password until their
    coordinator gives them a one-time one)."""
    require(actor, Capability.ACCREDIT_OBSERVERS)
    chosen = list(Observer.objects.select_for_update(of=("self",)).filter(
        pk__in=[o.pk for o in observers]).select_related("organisation__election"))
    if not chosen:
        raise AccreditationRefused("nothing_selected")
    run_checks(chosen)
    badges = []
    now = timezone.now()
    for observer in chosen:
        if observer.status != ObserverStatus.SUBMITTED:
            raise AccreditationRefused("observer_not_submitted")
        if not checks.passed(observer.checks):
            raise AccreditationRefused("checks_failed", name=observer.full_name)
        if observer.user_id is None:
            user = User(username=_unique_username(
                f"{observer.organisation.code.lower()}-{observer.pk}"),
                role=Role.OBSERVER, first_name=observer.full_name[:150],
                must_change_password=True)
            user.set_unusable_password()
            user.save()
            observer.user = user
        observer.status = ObserverStatus.ACCREDITED
        observer.decided = now
        observer.save(update_fields=["status", "decided", "user"])
        badge = Badge.objects.create(observer=observer, code=codes.new_code(), issued=now,
                                     expires=expiry(observer.organisation.election))
        badges.append(badge)
    record(actor=actor, action="observation.observers_accredited",
           target=chosen[0].organisation,
           data={"observers": [o.pk for o in chosen], "badges": len(badges)})
    return badges


@transaction.atomic
def refuse(*, actor: Account, observer: Observer, reason: str) -> Observer:
    require(actor, Capability.ACCREDIT_OBSERVERS)
    reason = _reason(reason)
    locked = Observer.objects.select_for_update().get(pk=observer.pk)
    if locked.status != ObserverStatus.SUBMITTED:
        raise AccreditationRefused("observer_not_submitted")
    locked.status = ObserverStatus.REFUSED
    locked.decided = timezone.now()
    locked.decision_reason = reason
    locked.save(update_fields=["status", "decided", "decision_reason"])
    record(actor=actor, action="observation.observer_refused", target=locked,
           data={"reason": reason, "checks": locked.checks})
    return locked


@transaction.atomic
def revoke(*, actor: Account, observer: Observer, reason: str) -> Observer:
    """The accreditation staff revoke an accreditation, or a coordinator withdraws
    their own observer: every badge of theirs is revoked at once."""
    if not can(actor, Capability.ACCREDIT_OBSERVERS):
        _mine(actor, observer.organisation)
    reason = _reason(reason)
    locked = Observer.objects.select_for_update().get(pk=observer.pk)
    if locked.status != ObserverStatus.ACCREDITED:
        raise AccreditationRefused("observer_not_accredited")
    now = timezone.now()
    locked.status = ObserverStatus.REVOKED
    locked.decision_reason = reason
    locked.save(update_fields=["status", "decision_reason"])
    revoked = Badge.objects.filter(observer=locked, revoked__isnull=True).update(
        revoked=now, revoked_reason=reason)
    record(actor=actor, action="observation.observer_revoked", target=locked,
           data={"reason": reason, "badges": revoked,
                 "by": "commission" if can(actor, Capability.ACCREDIT_OBSERVERS)
                 else "organisation"})
    return locked


@transaction.atomic
def give_password(*, actor: Account, observer: Observer) -> tuple[str, str]:
    """A coordinator gives their accredited observer a one-time password (shown once;
    asking again replaces it). Returns (username, password)."""
    _mine(actor, observer.organisation)
    if observer.status != ObserverStatus.ACCREDITED or observer.user is None:
        raise AccreditationRefused("observer_not_accredited")
    password = one_time_password()
    user = observer.user
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    record(actor=actor, action="observation.observer_password", target=observer,
           data={"username": user.username})
    return user.username, password


@transaction.atomic
def accept_conduct(*, actor: Account) -> Observer:
    require(actor, Capability.SUBMIT_OBSERVATIONS)
    observer = Observer.objects.select_for_update().filter(user=actor).first()
    if observer is None:
        raise Hidden("observer_not_found")
    if observer.conduct_accepted is None:
        observer.conduct_accepted = timezone.now()
        observer.save(update_fields=["conduct_accepted"])
        record(actor=actor, action="observation.conduct_accepted", target=observer,
               data={"kind": observer.organisation.kind})
    return observer


# The verifier -------------------------------------------------------------------

def badge_status(badge: Badge, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if badge.revoked is not None or badge.observer.status == ObserverStatus.REVOKED:
        return "revoked"
    if badge.expires < now:
        return "expired"
    return "valid"


def verify(text: str) -> Badge | None:
    """The badge a code given by anyone names: None for a malformed, forged or
    never-issued code (the database is asked only for an authentic one)."""
    code = codes.checked(text)
    if code is None:
        return None
    return (Badge.objects.select_related("observer__organisation", "observer__governorate")
            .filter(code=code).first())


def current_badge(observer: Observer) -> Badge | None:
    return observer.badges.order_by("-issued").first()


def latest_badges(observers: QuerySet[Observer]) -> dict[int, Badge]:
    found: dict[int, Badge] = {}
    latest = Badge.objects.filter(observer__in=observers).values("observer").annotate(
        last=Max("issued"))
    wanted = {(row["observer"], row["last"]) for row in latest}
    for badge in Badge.objects.filter(observer__in=observers):
        if (badge.observer_id, badge.issued) in wanted:
            found[badge.observer_id] = badge
    return found
