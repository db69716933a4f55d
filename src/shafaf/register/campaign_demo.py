"""Synthetic update campaign requests for the demo and the benchmarks.

``create_requests(election, n)`` spreads ``n`` requests over the campaign's days
(the election's ``register_update`` phase, or the 30 days before polling day's
five months ahead when it has none), over every governorate (one registration
centre each, created if missing) and over every kind, in every state, as a real
campaign would leave them: most applied, some rejected, the rest on their way. The
people are invented (``random.Random(seed)``); no request names a real voter, so
a demo user may step through them but not apply a change to a voter that does not
exist. Nothing is audited: this is demo data, written in bulk.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from shafaf.elections.models import CalendarPhase, Election, Governorate, Phase, RegistrationCentre
from shafaf.register.campaign import BATCH, _fresh_numbers
from shafaf.register.models import CampaignRequest, CardKind, Category, RequestKind, RequestState

FIRST = ["محمد", "أحمد", "علي", "حسين", "فاطمة", "زينب", "مريم", "إبراهيم", "هدى", "ئازاد",
         "ژیان", "کاروان", "سجاد", "نور الهدى"]
FAMILY = ["الموسوي", "التميمي", "الجبوري", "الدليمي", "العبيدي", "", "بارزاني"]
KINDS = [(RequestKind.NEW_REGISTRATION, 30), (RequestKind.TRANSFER, 20),
         (RequestKind.CORRECTION, 15), (RequestKind.REPLACEMENT_CARD, 20),
         (RequestKind.SPECIAL_VOTING, 10), (RequestKind.REMOVAL_OF_DECEASED, 5)]
STATES = [(RequestState.APPLIED, 60), (RequestState.REJECTED, 8), (RequestState.APPROVED, 10),
          (RequestState.VERIFIED, 10), (RequestState.SUBMITTED, 12)]


def _days(election: Election) -> list[date]:
    phase = CalendarPhase.objects.filter(election=election, phase=Phase.REGISTER_UPDATE).first()
    if phase is None:
        last = election.polling_day - timedelta(days=150)
        return [last - timedelta(days=n) for n in range(29, -1, -1)]
    return [phase.starts + timedelta(days=n) for n in range((phase.ends - phase.starts).days + 1)]


def _centres() -> list[RegistrationCentre]:
    centres = {centre.governorate_id: centre for centre in RegistrationCentre.objects.all()}
    for governorate in Governorate.objects.exclude(pk__in=centres):
        centres[governorate.pk] = RegistrationCentre.objects.create(
            code=f"{governorate.code[3:]}-R1", governorate=governorate,
            name_ar=f"مركز تسجيل {governorate.name_ar}", name_en=f"{governorate.name_en} "
                                                               "registration centre")
    return list(centres.values())


def create_requests(election: Election, n: int, *, seed: int = 2023) -> int:
    """Create ``n`` synthetic requests in ``election``; returns how many."""
    rng = random.Random(seed)  # noqa: S311 (invented people, not secrets)
    days, centres = _days(election), _centres()
    # More requests in the populous governorates, and more as the campaign closes.
    weights = [1 + (centre.pk * 7) % 5 for centre in centres]
    day_weights = [1 + index // 5 for index in range(len(days))]
    kinds, kind_weights = zip(*KINDS, strict=True)
    states, state_weights = zip(*STATES, strict=True)
    made = 0
    while made < n:
        size = min(BATCH, n - made)
        batch = []
        for number in _fresh_numbers(size):
            centre = rng.choices(centres, weights)[0]
            kind = rng.choices(kinds, kind_weights)[0]
            state = rng.choices(states, state_weights)[0]
            day = rng.choices(days, day_weights)[0]
            at = datetime.combine(day, time(8 + rng.randrange(8), rng.randrange(60)), UTC)
            later = at + timedelta(days=rng.randrange(1, 4))
            decided = state in (RequestState.APPROVED, RequestState.REJECTED,
                                RequestState.APPLIED)
            born = date(rng.randint(1945, 2005), rng.randint(1, 12), rng.randint(1, 28))
            batch.append(CampaignRequest(
                number=number, election=election, kind=kind, state=state,
                registration_centre=centre, governorate_id=centre.governorate_id,
                birth_year=born.year, first_name=rng.choice(FIRST),
                father_name=rng.choice(FIRST), grandfather_name=rng.choice(FIRST),
                family_name=rng.choice(FAMILY), mother_name=rng.choice(FIRST),
                sex=rng.choice("FM"), birth_date=born,
                category=(rng.choice([Category.SECURITY_FORCES, Category.DISPLACED])
                          if kind == RequestKind.SPECIAL_VOTING else ""),
                card_kind=CardKind.BIOMETRIC if kind == RequestKind.REPLACEMENT_CARD else "",
                death_evidence="شهادة وفاة" if kind == RequestKind.REMOVAL_OF_DECEASED else "",
                rejection_reason="الوثائق غير مكتملة" if state == RequestState.REJECTED else "",
                submitted_at=at, submitted_on=day,
                verified_at=at + timedelta(hours=2) if state != RequestState.SUBMITTED else None,
                decided_at=later if decided else None,
                applied_at=later if state == RequestState.APPLIED else None,
                applied_on=later.date() if state == RequestState.APPLIED else None))
        CampaignRequest.objects.bulk_create(batch, batch_size=BATCH)
        made += size
    return made
