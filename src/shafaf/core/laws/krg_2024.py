"""``krg-2024``: the Kurdistan Region Parliament elected on 20 October 2024.

Kurdistan Parliament Election Law No. 1 of 1992 as amended and as ruled on by
the Federal Supreme Court (February 2024); IHEC Regulation No. 9 of 2024 on
the distribution of seats and replacement of members. Domain brief, section 5.

- 100 seats in 4 constituencies (Erbil 34, Sulaymaniyah 38, Duhok 25,
  Halabja 3), of which 5 are component seats (Christian, Turkmen; Armenian in
  Duhok). The split of the five by constituency is **unverified**: we take
  Erbil and Sulaymaniyah one Christian and one Turkmen each, Duhok one Armenian.
- Seats to lists: **contested** between Sainte-Laguë and a largest-remainder
  method in the sources. We default to Sainte-Laguë with first divisor 1.7,
  the federal formula of 2023; pass another method to compare.
- Women: at least 30% of the constituency's seats (Law 1 of 1992, art. 22-1).
  We round up on the general seats, which gives 30 across the region.
- Replacement, **interpretation** of Regulation 9 of 2024 as quoted in public
  commentary: first the best-voted women not elected replace men of their own
  lists (stage A); then every list must hold ⌊s/3⌋ women (stage B), enforced
  list by list. The quoted text is ambiguous about whether stage B is bounded by
  the target; we enforce it in full and flag it.
"""

from __future__ import annotations

import functools
from fractions import Fraction
from typing import TYPE_CHECKING

from shafaf.core.allocation import CandidateSelection, ContestRules
from shafaf.core.contest import Component
from shafaf.core.counting import IRAQ_2023
from shafaf.core.laws.profile import District, Flag, LawProfile, SourceStatus
from shafaf.core.quotas import (
    AcrossDistrictStage,
    Rounding,
    ShareOfSeats,
    WithinListStage,
    WomenQuota,
)
from shafaf.core.seats.divisor import sainte_lague

if TYPE_CHECKING:
    from shafaf.core.eligibility import EligibilityRules

RULES = ContestRules(
    method=sainte_lague(first_divisor=Fraction(17, 10)),
    selection=CandidateSelection.OPEN_LIST,
    women_quota=WomenQuota(
        target=ShareOfSeats(share=Fraction(3, 10), rounding=Rounding.UP),
        stages=(
            AcrossDistrictStage(label="A", own_list=True),
            WithinListStage(label="B", divisor=3, stop_at_target=False),
        ),
    ),
)


@functools.cache
def eligibility() -> EligibilityRules:
    """Candidacy and list rules. Not researched for this law: the federal 2023
    values, flagged in PROFILE."""
    from shafaf.core.eligibility import EligibilityRules

    return EligibilityRules(minimum_age=30)


_CHRISTIAN = Component("christian")
_TURKMEN = Component("turkmen")
_ARMENIAN = Component("armenian")

DISTRICTS = {
    d.code: d
    for d in (
        District(code="IQ-AR", name_en="Erbil", name_ar="أربيل", name_ckb="هەولێر",
                 general_seats=32, component_seats={_CHRISTIAN: 1, _TURKMEN: 1},
                 seats_status=SourceStatus.UNVERIFIED),
        District(code="IQ-SU", name_en="Sulaymaniyah", name_ar="السليمانية", name_ckb="سلێمانی",
                 general_seats=36, component_seats={_CHRISTIAN: 1, _TURKMEN: 1},
                 seats_status=SourceStatus.UNVERIFIED),
        District(code="IQ-DA", name_en="Duhok", name_ar="دهوك", name_ckb="دهۆک",
                 general_seats=24, component_seats={_ARMENIAN: 1},
                 seats_status=SourceStatus.UNVERIFIED),
        District(code="IQ-HA", name_en="Halabja", name_ar="حلبجة", name_ckb="هەڵەبجە",
                 general_seats=3, seats_status=SourceStatus.CONFIRMED),
    )
}

PROFILE = LawProfile(
    code="krg-2024",
    title="Kurdistan Region Parliament, 20 October 2024 (IHEC Regulation 9 of 2024)",
    rules=RULES,
    districts=DISTRICTS,
    sources=(
        "Kurdistan Parliament Election Law No. 1 of 1992, art. 22-1 (women at least 30%)",
        "IHEC Regulation No. 9 of 2024, as ratified (ihec.iq, September 2024) and as quoted",
        "Shafaq News: final results by constituency (24 Nov 2024)",
    ),
    counting=IRAQ_2023,
    flags=(
        Flag(parameter="counting", status=SourceStatus.INTERPRETATION,
             note="The counting rules of Law 4 of 2023 (5% difference, 6-hour window, "
                  "2 days for complaints) are applied to this election too."),
        Flag(parameter="method", status=SourceStatus.CONTESTED,
             note="Sainte-Laguë or largest remainder; the default is modified Sainte-Laguë 1.7."),
        Flag(parameter="women_quota", status=SourceStatus.INTERPRETATION,
             note="Target rounded up on general seats; stage order A (own list, best women) "
                  "then B (floor(s/3) per list, enforced in full)."),
        Flag(parameter="districts.component_seats", status=SourceStatus.UNVERIFIED,
             note="Five component seats; their split by constituency as reported."),
        Flag(parameter="eligibility", status=SourceStatus.INTERPRETATION,
             note="Candidacy and list rules not verified for this law: the 2023 governorate "
                  "council values (age 30, bachelor, diploma 1/5, women 1/4, a woman after "
                  "three men) are reused."),
    ),
    eligibility_rules=eligibility,
)


def __getattr__(name: str) -> EligibilityRules:
    """``ELIGIBILITY``: the rules of ``eligibility()``, built when first asked for."""
    if name == "ELIGIBILITY":
        return eligibility()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
