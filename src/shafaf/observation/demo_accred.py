"""The demo's accreditation (docs/observation-accreditation.md): each demo
organisation's accredited observers with badges, spread over its governorates, a few
awaiting accreditation, one refused with its failed check and one revoked. Synthetic
names; no voter numbers of the demo register are used, so the demo's observers are
international-style records without personal numbers (their checks are stored as the
queue would show them)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from shafaf.audit import actions as audit
from shafaf.core import accreditation_checks as checks
from shafaf.elections.models import Election
from shafaf.observation import codes
from shafaf.observation.models import (
    Badge,
    Observer,
    ObserverStatus,
    Organisation,
    OrganisationKind,
)

ACCREDITED = 20
WAITING = 3
FIRST = ("علي", "حسن", "زينب", "فاطمة", "محمد", "سارة", "عمر", "نور", "هدى", "كريم")
FAMILY = ("الجبوري", "العبيدي", "التميمي", "الساعدي", "الدليمي", "الكعبي")
PASSED = {name: {"outcome": checks.SKIP if name == "passport" else checks.OK, "reason": ""}
          for name in checks.CHECKS}


def _name(n: int) -> str:
    return f"{FIRST[n % 10]} {FIRST[(n // 10 + 3) % 10]} {FAMILY[n % 6]}"


def load(election: Election) -> int:
    """Once: the observers of each local demo organisation; returns how many."""
    organisations = list(Organisation.objects.filter(
        election=election, kind=OrganisationKind.LOCAL).order_by("code"))
    if not organisations or Observer.objects.filter(
            organisation__in=organisations, status=ObserverStatus.SUBMITTED).exists():
        return 0
    now = timezone.now()
    # A demo replays a past election: its badges stay valid a year from today.
    expires = now + timedelta(days=365)
    made = 0
    with transaction.atomic():
        for index, organisation in enumerate(organisations):
            places = list(organisation.governorates.order_by("code"))
            rows = []
            for n in range(ACCREDITED + WAITING + 2):
                number = index * 100 + n
                status = (ObserverStatus.ACCREDITED if n < ACCREDITED
                          else ObserverStatus.SUBMITTED if n < ACCREDITED + WAITING
                          else ObserverStatus.REFUSED if n == ACCREDITED + WAITING
                          else ObserverStatus.REVOKED)
                outcomes = dict(PASSED)
                reason = ""
                if status == ObserverStatus.REFUSED:
                    outcomes["age"] = {"outcome": checks.FAIL, "reason": "under_18"}
                    reason = "أقل من 18 سنة يوم الاقتراع"
                elif status == ObserverStatus.REVOKED:
                    reason = "قام بالدعاية داخل المحطة"
                rows.append(Observer(
                    organisation=organisation, full_name=_name(number),
                    birth_date=(date(2009, 3, 1) if status == ObserverStatus.REFUSED
                                else date(1975 + number % 25, 1 + number % 12, 1)),
                    sex="MF"[number % 2], phone=f"+96477{number:08d}",
                    governorate=places[n % len(places)],
                    status=status, checks=outcomes if status != ObserverStatus.SUBMITTED
                    else {}, decision_reason=reason,
                    conduct_accepted=now if status in (ObserverStatus.ACCREDITED,
                                                       ObserverStatus.REVOKED) else None,
                    decided=None if status == ObserverStatus.SUBMITTED else now))
            Observer.objects.bulk_create(rows)
            for observer in Observer.objects.filter(
                    organisation=organisation, user__isnull=True,
                    status__in=[ObserverStatus.ACCREDITED, ObserverStatus.REVOKED]):
                revoked = observer.status == ObserverStatus.REVOKED
                Badge.objects.create(observer=observer, code=codes.new_code(), issued=now,
                                     expires=expires, revoked=now if revoked else None,
                                     revoked_reason=observer.decision_reason)
            made += len(rows)
        audit.record(actor=None, action="observation.demo_accreditation",
                     target=organisations[0], data={"observers": made})
    return made
