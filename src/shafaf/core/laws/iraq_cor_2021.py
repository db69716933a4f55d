"""``iraq-cor-2021``: the Council of Representatives elected on 10 October 2021.

Law No. 9 of 2020. Domain brief, section 5.

- 329 seats: 320 by single non-transferable vote in 83 districts of 3 to 5
  seats (the best-voted candidates of the district win, whatever their party),
  plus 9 component seats.
- Women: each district holds one women's seat; if no woman wins on her own
  votes, the best-voted woman of the district replaces its lowest-voted elected
  man (a seat may move between parties).
- The table of 83 districts is not shipped: give the district's seats.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from shafaf.core.allocation import CandidateSelection, ContestRules
from shafaf.core.counting import IRAQ_2023
from shafaf.core.laws.profile import Flag, LawProfile, SourceStatus
from shafaf.core.quotas import AcrossDistrictStage, FixedSeats, WomenQuota
from shafaf.core.seats.divisor import dhondt

if TYPE_CHECKING:
    from shafaf.core.eligibility import EligibilityRules

RULES = ContestRules(
    # Unused under SNTV; kept so the rules are complete if a caller compares methods.
    method=dhondt(),
    selection=CandidateSelection.SNTV,
    women_quota=WomenQuota(
        target=FixedSeats(seats=1),
        stages=(AcrossDistrictStage(label="A", own_list=False),),
    ),
)


@functools.cache
def eligibility() -> EligibilityRules:
    """Candidacy and list rules. Not researched for this law: the 2023
    governorate-council values, flagged in PROFILE."""
    from shafaf.core.eligibility import EligibilityRules

    return EligibilityRules(minimum_age=30)


PROFILE = LawProfile(
    code="iraq-cor-2021",
    title="Council of Representatives, 10 October 2021 (Law 9 of 2020)",
    rules=RULES,
    districts={},
    sources=(
        "Law No. 9 of 2020 on the election of the Council of Representatives",
        "UNAMI electoral report no. 10 (2021)",
    ),
    counting=IRAQ_2023,
    flags=(
        Flag(parameter="counting", status=SourceStatus.INTERPRETATION,
             note="The counting rules of Law 4 of 2023 (5% difference, 6-hour window, "
                  "2 days for complaints) are applied to this election too."),
        Flag(parameter="women_quota.target", status=SourceStatus.INTERPRETATION,
             note="One women's seat in every district, as the brief summarises the law; "
                  "the law states a 25% share distributed over the districts."),
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
