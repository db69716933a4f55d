"""``iraq-gc-2023``: the governorate councils elected on 18 December 2023.

Law No. 12 of 2018 on Governorate, District and Sub-district Council elections,
as amended by Law No. 4 of 2023 (the third amendment); IHEC's seat-distribution
regulation. Domain brief, section 2.

- Each of the 15 governorates not organised in a region is one district.
- Seats to lists: modified Sainte-Laguë, divisors 1.7, 3, 5, 7, … (as IHEC's
  regulation is quoted). Anbar's final results reproduce exactly, but its file
  holds only the seven winning lists, and with only those every first divisor
  below 122005/65036 ≈ 1.876 (where 24,401 ÷ d meets 65,036 ÷ 5) gives the
  official seats: the file rules out 1.9 and d'Hondt, not 1.0 or 1.4 (a losing
  list with more than 14,131 votes would rule out 1.0; more than 19,783, 1.4).
- Seats to candidates: open lists, by personal votes.
- Women: at least ⌈25%⌉ of the general seats (Baghdad 13 of 49, 75 in all).
  The two-stage replacement (A inside lists by ⌊s/4⌋, B across the
  governorate, own list) is an **interpretation** from the Judicial Electoral
  Panel's rulings of January 2024 for Qadisiyah and Diyala.
- Components: 10 seats on top of the general seats, by most votes.
- Seat table: ``data/iraq_governorates.csv``; Dhi Qar 18, Wasit 14 and Maysan
  13 are **inferred** as what remains of 275 after the confirmed twelve.
"""

from __future__ import annotations

import functools
from fractions import Fraction
from typing import TYPE_CHECKING

from shafaf.core.allocation import CandidateSelection, ContestRules
from shafaf.core.counting import IRAQ_2023
from shafaf.core.laws.profile import Flag, LawProfile, SourceStatus, governorates_2023
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
    threshold=None,
    women_quota=WomenQuota(
        target=ShareOfSeats(share=Fraction(1, 4), rounding=Rounding.UP),
        stages=(
            WithinListStage(label="A", divisor=4, stop_at_target=True),
            AcrossDistrictStage(label="B", own_list=True),
        ),
    ),
)


@functools.cache
def eligibility() -> EligibilityRules:
    """Candidacy and list rules, domain brief section 3 (Law 4 of 2023 as reported)."""
    from shafaf.core.eligibility import EducationLevel, EligibilityRules

    return EligibilityRules(
        minimum_age=30,
        general_education=EducationLevel.BACHELOR,
        diploma_level=EducationLevel.DIPLOMA,
        diploma_max_share=Fraction(1, 5),
        component_education=EducationLevel.SECONDARY,
        women_min_share=Fraction(1, 4),
        max_men_before_woman=3,
        max_list_size=None,
        component_candidacy_individual=True,
    )

PROFILE = LawProfile(
    code="iraq-gc-2023",
    title="Governorate councils, 18 December 2023 (Law 12 of 2018 as amended by Law 4 of 2023)",
    rules=RULES,
    districts=governorates_2023(),
    sources=(
        "Law No. 12 of 2018, as amended by Law No. 4 of 2023",
        "IDEA, quotation of IHEC's seat-distribution system (answer ans130355941059621)",
        "IDEA gender quotas database, Iraq, art. 9",
        "Shafaq News: final results (28 Dec 2023)",
        "Shafaq News: Judicial Electoral Panel rulings (8-10 Jan 2024)",
    ),
    counting=IRAQ_2023,
    flags=(
        Flag(parameter="counting.manual_difference_threshold", status=SourceStatus.INTERPRETATION,
             note="5% read as the sum over lists of |electronic - manual| list totals over "
                  "the manual count's valid ballots; the sources do not say how it is measured."),
        Flag(parameter="women_quota.stages", status=SourceStatus.INTERPRETATION,
             note="Stages A (floor(s/4) inside lists, by list votes) and B (across the "
                  "governorate, own list) are read from the panel's January 2024 rulings."),
        Flag(parameter="districts.IQ-DQ,IQ-WA,IQ-MA.general_seats", status=SourceStatus.INFERRED,
             note="Dhi Qar 18, Wasit 14, Maysan 13: what remains of 275 after the other twelve."),
        Flag(parameter="eligibility.minimum_age", status=SourceStatus.UNVERIFIED,
             note="30 years, as reported by a single secondary source (Kurdsat, 27 Mar 2023)."),
        Flag(parameter="eligibility.max_list_size", status=SourceStatus.UNVERIFIED,
             note="Maximum list size not confirmed; no maximum is applied."),
        Flag(parameter="eligibility.max_men_before_woman", status=SourceStatus.INTERPRETATION,
             note="'One woman after every three men' read as no run of more than three men "
                  "in list order; the block reading (a woman in 1-4, 5-8, ...) is laxer."),
    ),
    eligibility_rules=eligibility,
)


def __getattr__(name: str) -> EligibilityRules:
    """``ELIGIBILITY``: the rules of ``eligibility()``, built when first asked for."""
    if name == "ELIGIBILITY":
        return eligibility()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
