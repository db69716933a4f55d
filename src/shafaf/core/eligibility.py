"""Who may stand, and how a list must be made: the candidacy and list rules.

Law No. 12 of 2018 as amended by Law No. 4 of 2023 (the third amendment);
domain brief, section 3. Every figure is a field of :class:`EligibilityRules`,
and each law profile records the source status of its values. The checks
return :class:`Violation` codes with the numbers a message needs; the web
layer words them.

A nominee (``check_nominee``):

- **Age.** At least ``minimum_age`` full years on election day. Reported as 30
  for 2023 by a single secondary source (**unverified**; see the profile).
  **Interpretation:** the age is counted in completed years on the reference
  date passed by the caller (election day); someone born on 29 February has a
  birthday on 1 March in common years.
- **Education.** A general candidate holds ``general_education`` (a
  bachelor's degree or equivalent); ``diploma_level`` (a diploma) is accepted
  instead for at most ``diploma_max_share`` (20%) of the list's nominees,
  checked on the list. A component candidate needs ``component_education``
  (the secondary certificate, الإعدادية).
- **Convictions.** None for the corruption offences the law lists (Penal Code
  111 of 1969, arts. 330, 333–336, 338–340), even if amnestied. Vetting records
  this as :attr:`Nominee.convicted_of_listed_offence`.
- **Accountability and Justice.** A nominee the Commission has not cleared is
  reported only when it has answered (``False``); ``None`` means the check is
  still pending and is not a violation.
- **Component.** A component candidacy names its component; a general or
  individual candidacy does not.

A list (``check_list``, which also checks every nominee):

- **Positions.** The entity sets the order (the lottery does not touch it);
  its distinct positions run 1, 2, 3, … with no gap (``POSITIONS_NOT_CONSECUTIVE``,
  reported once with the first missing position), and no two nominees share a
  position (``DUPLICATE_POSITION``, once per shared position). Nominees are read
  in order of position, then candidate id, never in the order they were given.
- **Women's share.** At least ``women_min_share`` (25%) of the nominees are
  women: ``women / nominees ≥ 1/4``, so no rounding is involved.
- **Women in the order** ("امرأة بعد كل ثلاثة رجال", one woman after every three
  men). We read it as: in list order, no more than ``max_men_before_woman``
  (3) men stand one after another. A longer run is one violation, reported at
  the position of its (N+1)-th man (the fourth under the 2023 rule).
  **Interpretation**: the alternative *block* reading requires a woman in
  each block of positions 1–4, 5–8, …; it accepts "F M M M | M M M F", which
  the run reading rejects, and every list the run reading accepts, the block
  reading accepts too (four consecutive positions always hold a woman), so
  ours is the stricter.
- **Diploma share.** At most ``diploma_max_share`` of the nominees hold the
  diploma instead of the degree: ``diplomas / nominees ≤ 1/5``, i.e. at most
  ⌊nominees / 5⌋, so none on a list of fewer than five nor on an individual
  candidacy (**interpretation**: the share is arithmetic on the list, and the
  brief gives no rounding in the lists' favour).
- **List size.** At most ``max_list_size`` nominees; ``None`` while the figure
  is not confirmed (the brief: not confirmed).
- **Individual candidacies.** A component candidacy is individual when
  ``component_candidacy_individual`` (the 2023 rule): exactly one nominee. An
  individual candidate on the general ballot is a list of exactly one
  (brief, section 2.1). **Interpretation:** the women's share and order rules
  apply to general lists only, not to individual or component candidacies,
  since a candidacy of one cannot hold 25% women.
- An empty list is reported as ``EMPTY_LIST`` and nothing else.

Not covered here: residence (not confirmed), a candidate nominated on two
lists, and the entity's own registration.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

from shafaf.core.contest import CandidateId, Component, ListId, Sex


class EducationLevel(StrEnum):
    """The highest certificate a nominee holds, lowest first."""

    NONE = "none"
    PRIMARY = "primary"
    """الابتدائية"""
    INTERMEDIATE = "intermediate"
    """المتوسطة"""
    SECONDARY = "secondary"
    """The secondary certificate, الإعدادية."""
    DIPLOMA = "diploma"
    """دبلوم: two years after secondary."""
    BACHELOR = "bachelor"
    """بكالوريوس or equivalent."""
    MASTER = "master"
    DOCTORATE = "doctorate"

    @property
    def rank(self) -> int:
        return _EDUCATION_ORDER.index(self)

    def at_least(self, other: EducationLevel) -> bool:
        return self.rank >= other.rank


_EDUCATION_ORDER: tuple[EducationLevel, ...] = tuple(EducationLevel)


class ListKind(StrEnum):
    GENERAL = "general"
    """A party's or an alliance's list for the general seats."""
    INDIVIDUAL = "individual"
    """An individual candidate for the general seats: a list of one."""
    COMPONENT = "component"
    """A candidacy for a component seat."""


class ViolationCode(StrEnum):
    """What is wrong; the declaration order is the order of reporting at one position."""

    EMPTY_LIST = "empty_list"
    LIST_TOO_LONG = "list_too_long"
    COMPONENT_CANDIDACY_NOT_INDIVIDUAL = "component_candidacy_not_individual"
    INDIVIDUAL_CANDIDACY_NOT_SINGLE = "individual_candidacy_not_single"
    POSITIONS_NOT_CONSECUTIVE = "positions_not_consecutive"
    WOMEN_SHARE_BELOW_MINIMUM = "women_share_below_minimum"
    DIPLOMA_SHARE_EXCEEDED = "diploma_share_exceeded"
    DUPLICATE_POSITION = "duplicate_position"
    WOMAN_MISSING_AFTER_MEN = "woman_missing_after_men"
    UNDER_MINIMUM_AGE = "under_minimum_age"
    EDUCATION_BELOW_REQUIRED = "education_below_required"
    CONVICTED_OF_LISTED_OFFENCE = "convicted_of_listed_offence"
    NOT_CLEARED_BY_ACCOUNTABILITY_AND_JUSTICE = "not_cleared_by_accountability_and_justice"
    COMPONENT_NOT_GIVEN = "component_not_given"
    COMPONENT_ON_GENERAL_LIST = "component_on_general_list"


_CODE_ORDER: Mapping[ViolationCode, int] = {code: i for i, code in enumerate(ViolationCode)}


@dataclass(frozen=True, slots=True, kw_only=True)
class EligibilityRules:
    """The parameters of the candidacy and list rules of one law."""

    minimum_age: int
    """Full years on the reference date (election day)."""
    general_education: EducationLevel = EducationLevel.BACHELOR
    diploma_level: EducationLevel | None = EducationLevel.DIPLOMA
    """A lower certificate accepted instead for a limited share of a general
    list; ``None`` when every general candidate needs ``general_education``."""
    diploma_max_share: Fraction = Fraction(1, 5)
    component_education: EducationLevel = EducationLevel.SECONDARY
    women_min_share: Fraction = Fraction(1, 4)
    max_men_before_woman: int | None = 3
    """The longest run of men allowed in list order; ``None`` for no order rule."""
    max_list_size: int | None = None
    """``None`` when no maximum is applied (not confirmed)."""
    component_candidacy_individual: bool = True

    def __post_init__(self) -> None:
        if self.minimum_age < 0:
            raise ValueError("minimum_age must not be negative")
        for name, share in (("diploma_max_share", self.diploma_max_share),
                            ("women_min_share", self.women_min_share)):
            if not 0 <= share <= 1:
                raise ValueError(f"{name} must be between 0 and 1")
        if self.diploma_level is not None and self.diploma_level.at_least(self.general_education):
            raise ValueError("diploma_level must be below general_education")
        if self.max_men_before_woman is not None and self.max_men_before_woman < 1:
            raise ValueError("max_men_before_woman must be at least 1")
        if self.max_list_size is not None and self.max_list_size < 1:
            raise ValueError("max_list_size must be at least 1")


@dataclass(frozen=True, slots=True, kw_only=True)
class Nominee:
    """A person on a list, as submitted and as vetting recorded them."""

    candidate_id: CandidateId
    position: int
    """1-based, in the entity's order."""
    sex: Sex
    date_of_birth: date
    education: EducationLevel
    convicted_of_listed_offence: bool
    accountability_and_justice_cleared: bool | None
    """``None`` while the Commission's answer is pending."""
    component: Component | None = None
    """For a component-seat candidate, the component they stand for."""

    def __post_init__(self) -> None:
        if self.position < 1:
            raise ValueError(f"nominee {self.candidate_id} has position {self.position} < 1")


@dataclass(frozen=True, slots=True, kw_only=True)
class NominatedList:
    list_id: ListId
    kind: ListKind
    nominees: tuple[Nominee, ...]

    def __post_init__(self) -> None:
        seen: set[CandidateId] = set()
        for nominee in self.nominees:
            if nominee.candidate_id in seen:
                raise ValueError(
                    f"candidate {nominee.candidate_id} appears twice on list {self.list_id}")
            seen.add(nominee.candidate_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class Violation:
    """One broken rule. ``candidate_id`` and ``position`` say whom it concerns
    (both ``None`` for the list as a whole; only ``position`` for a position
    shared by several nominees); ``details`` holds the figures a message needs,
    such as ``required`` and ``found``."""

    code: ViolationCode
    candidate_id: CandidateId | None = None
    position: int | None = None
    details: Mapping[str, int | str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "details", MappingProxyType(dict(self.details)))

    def sort_key(self) -> tuple[int, int, int, str]:
        """List-level first, then by position, code and candidate id."""
        return (
            0 if self.position is None else 1,
            self.position or 0,
            _CODE_ORDER[self.code],
            self.candidate_id or "",
        )


def age_on(date_of_birth: date, reference: date) -> int:
    """Full years from ``date_of_birth`` to ``reference`` (29 February birthdays
    fall on 1 March in common years)."""
    before_birthday = (reference.month, reference.day) < (date_of_birth.month, date_of_birth.day)
    return reference.year - date_of_birth.year - int(before_birthday)


def check_nominee(
    rules: EligibilityRules, nominee: Nominee, *, kind: ListKind, election_day: date,
) -> tuple[Violation, ...]:
    """The personal conditions of one nominee on a list of ``kind``. A diploma
    on a general list passes here; its share is checked by :func:`check_list`."""
    return tuple(sorted(_nominee_violations(rules, nominee, kind=kind, election_day=election_day),
                        key=Violation.sort_key))


def check_list(
    rules: EligibilityRules, nominated_list: NominatedList, *, election_day: date,
) -> tuple[Violation, ...]:
    """Every violation of the list and of its nominees, list-level first, then by
    position, code and candidate id. An empty tuple means the list may stand."""
    nominees = sorted(nominated_list.nominees, key=lambda n: (n.position, n.candidate_id))
    if not nominees:
        return (Violation(code=ViolationCode.EMPTY_LIST),)
    kind = nominated_list.kind
    found: list[Violation] = []
    for nominee in nominees:
        found.extend(_nominee_violations(rules, nominee, kind=kind, election_day=election_day))
    found.extend(_size_violations(rules, kind, len(nominees)))
    found.extend(_position_violations(nominees))
    if kind is ListKind.GENERAL:
        found.extend(_women_violations(rules, nominees))
    if kind is not ListKind.COMPONENT:
        found.extend(_diploma_violations(rules, nominees))
    return tuple(sorted(found, key=Violation.sort_key))


def _nominee_violations(
    rules: EligibilityRules, nominee: Nominee, *, kind: ListKind, election_day: date,
) -> Iterator[Violation]:
    def violation(code: ViolationCode, **details: int | str) -> Violation:
        return Violation(code=code, candidate_id=nominee.candidate_id,
                         position=nominee.position, details=details)

    age = age_on(nominee.date_of_birth, election_day)
    if age < rules.minimum_age:
        yield violation(ViolationCode.UNDER_MINIMUM_AGE, required=rules.minimum_age, found=age,
                        born=nominee.date_of_birth.isoformat())

    if kind is ListKind.COMPONENT:
        required, accepted = rules.component_education, rules.component_education
    else:
        required = rules.general_education
        accepted = required if rules.diploma_level is None else rules.diploma_level
    if not nominee.education.at_least(accepted):
        yield violation(ViolationCode.EDUCATION_BELOW_REQUIRED,
                        required=required.value, found=nominee.education.value)

    if nominee.convicted_of_listed_offence:
        yield violation(ViolationCode.CONVICTED_OF_LISTED_OFFENCE)
    if nominee.accountability_and_justice_cleared is False:
        yield violation(ViolationCode.NOT_CLEARED_BY_ACCOUNTABILITY_AND_JUSTICE)

    if kind is ListKind.COMPONENT and nominee.component is None:
        yield violation(ViolationCode.COMPONENT_NOT_GIVEN)
    if kind is not ListKind.COMPONENT and nominee.component is not None:
        yield violation(ViolationCode.COMPONENT_ON_GENERAL_LIST, found=nominee.component)


def _size_violations(rules: EligibilityRules, kind: ListKind, size: int) -> Iterator[Violation]:
    if rules.max_list_size is not None and size > rules.max_list_size:
        yield Violation(code=ViolationCode.LIST_TOO_LONG,
                        details={"maximum": rules.max_list_size, "found": size})
    if kind is ListKind.COMPONENT and rules.component_candidacy_individual and size != 1:
        yield Violation(code=ViolationCode.COMPONENT_CANDIDACY_NOT_INDIVIDUAL,
                        details={"required": 1, "found": size})
    if kind is ListKind.INDIVIDUAL and size != 1:
        yield Violation(code=ViolationCode.INDIVIDUAL_CANDIDACY_NOT_SINGLE,
                        details={"required": 1, "found": size})


def _position_violations(nominees: list[Nominee]) -> Iterator[Violation]:
    counts = Counter(n.position for n in nominees)
    for position, count in sorted(counts.items()):
        if count > 1:
            yield Violation(code=ViolationCode.DUPLICATE_POSITION, position=position,
                            details={"found": count})
    missing = next(p for p in range(1, len(counts) + 2) if p not in counts)
    if missing <= len(counts):
        yield Violation(code=ViolationCode.POSITIONS_NOT_CONSECUTIVE,
                        details={"first_missing": missing, "last": max(counts)})


def _women_violations(rules: EligibilityRules, nominees: list[Nominee]) -> Iterator[Violation]:
    women = sum(1 for n in nominees if n.sex is Sex.FEMALE)
    if Fraction(women, len(nominees)) < rules.women_min_share:
        yield Violation(code=ViolationCode.WOMEN_SHARE_BELOW_MINIMUM, details={
            "required": math.ceil(rules.women_min_share * len(nominees)),
            "found": women,
            "nominees": len(nominees),
        })

    limit = rules.max_men_before_woman
    if limit is None:
        return
    run: list[Nominee] = []
    for nominee in [*nominees, None]:
        if nominee is not None and nominee.sex is Sex.MALE:
            run.append(nominee)
            continue
        if len(run) > limit:
            first_too_many = run[limit]
            yield Violation(
                code=ViolationCode.WOMAN_MISSING_AFTER_MEN,
                candidate_id=first_too_many.candidate_id,
                position=first_too_many.position,
                details={"allowed": limit, "found": len(run),
                         "from_position": run[0].position},
            )
        run = []


def _diploma_violations(rules: EligibilityRules, nominees: list[Nominee]) -> Iterator[Violation]:
    if rules.diploma_level is None:
        return
    diplomas = sum(
        1 for n in nominees
        if n.education.at_least(rules.diploma_level)
        and not n.education.at_least(rules.general_education)
    )
    if Fraction(diplomas, len(nominees)) > rules.diploma_max_share:
        yield Violation(code=ViolationCode.DIPLOMA_SHARE_EXCEEDED, details={
            "allowed": math.floor(rules.diploma_max_share * len(nominees)),
            "found": diplomas,
            "nominees": len(nominees),
        })
