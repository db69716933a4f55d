"""Reserved seats: the women's quota and the component (minority) seats.

**Women's quota.** A district's general seats must include at least a target
number of women. Women elected on their own votes count toward it; when they
fall short, elected men give way to women in *stages*, each recorded with its
reason (domain brief, section 2.5). The procedure is data, so that one code
path serves every law:

- ``iraq-gc-2023``: target ⌈25% of general seats⌉; stage A inside each list
  (a list with *s* seats holds ⌊s/4⌋ women, lists taken by descending votes,
  stopping at the target), then stage B across the governorate (the best-voted
  woman not elected replaces the lowest-voted elected man of her own list).
  Stages A and B are an **interpretation** from the Judicial Electoral Panel's
  rulings of January 2024 (Qadisiyah, Diyala), which quote the regulation.
- ``krg-2024``: 30% and ⌊s/3⌋; see that profile for its stage order.
- ``iraq-cor-2021``: one women's seat per district; the best-voted woman of the
  district replaces its lowest-voted elected man, whatever their parties.

A replacement never moves a seat from one list to another unless the stage
says so (``own_list=False``, the SNTV rule). When no eligible woman is left,
the shortfall is reported, not hidden.

**Component seats** (section 2.6): in each district, a component's seats go to
that component's candidates with the most votes. Candidacy is individual.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from shafaf.core.contest import Candidate, CandidateId, Component, ComponentCandidate, ListId, Sex
from shafaf.core.seats.open_list import by_votes
from shafaf.core.ties import TieBreaker, TieKind, TieResolution, choose_best


class Rounding(StrEnum):
    UP = "up"
    DOWN = "down"
    NEAREST = "nearest"
    """Half rounds up: 7.5 → 8."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ShareOfSeats:
    """A share of the district's general seats, rounded as the law says."""

    share: Fraction
    rounding: Rounding

    def target(self, seats: int) -> int:
        exact = self.share * seats
        if self.rounding is Rounding.UP:
            return math.ceil(exact)
        if self.rounding is Rounding.DOWN:
            return math.floor(exact)
        return math.floor(exact + Fraction(1, 2))


@dataclass(frozen=True, slots=True, kw_only=True)
class FixedSeats:
    """A fixed number of seats per district (one per district in 2021)."""

    seats: int

    def target(self, seats: int) -> int:
        return min(self.seats, seats)


@dataclass(frozen=True, slots=True, kw_only=True)
class WithinListStage:
    """Each list with *s* seats must hold ⌊s / divisor⌋ women; its lowest-voted
    elected men give way to its best-voted women. Lists are taken in descending
    order of their votes."""

    label: str
    divisor: int
    stop_at_target: bool = True
    """Stop as soon as the district reaches its target; when False, every
    list's share is enforced whatever the district total."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AcrossDistrictStage:
    """While the district is short of its target, the best-voted woman not yet
    elected takes a seat from the lowest-voted elected man."""

    label: str
    own_list: bool = True
    """The man replaced is of the woman's own list (lists' seats never move);
    when False, he is the lowest-voted elected man of the whole district."""


QuotaStage = WithinListStage | AcrossDistrictStage
QuotaTarget = ShareOfSeats | FixedSeats


@dataclass(frozen=True, slots=True, kw_only=True)
class WomenQuota:
    target: QuotaTarget
    stages: tuple[QuotaStage, ...]


class ReplacementReason(StrEnum):
    LIST_BELOW_ITS_SHARE = "list_below_its_share"
    DISTRICT_BELOW_TARGET = "district_below_target"


@dataclass(frozen=True, slots=True, kw_only=True)
class Replacement:
    """``elected`` (a woman) took the seat ``replaced`` (a man) had won on votes."""

    stage: str
    reason: ReplacementReason
    elected: Candidate
    replaced: Candidate


@dataclass(frozen=True, slots=True, kw_only=True)
class QuotaOutcome:
    target: int
    women_on_votes: int
    women_seated: int
    shortfall: int
    replacements: tuple[Replacement, ...]
    ties: tuple[TieResolution, ...]
    seated: Mapping[ListId, tuple[Candidate, ...]]
    """The elected candidates of each list once the quota is applied."""
    stage_of: Mapping[CandidateId, str]
    """The stage that seated each woman elected through the quota."""


def _lowest_men(men: Sequence[Candidate], count: int, scope: str,
                breaker: TieBreaker) -> tuple[list[Candidate], TieResolution | None]:
    return choose_best(
        men, places=count, key=lambda c: -c.votes, ident=lambda c: c.candidate_id,
        kind=TieKind.QUOTA_REPLACED_MAN, scope=scope, breaker=breaker,
    )


def _best_women(women: Sequence[Candidate], count: int, scope: str,
                breaker: TieBreaker) -> tuple[list[Candidate], TieResolution | None]:
    return choose_best(
        women, places=count, key=by_votes, ident=lambda c: c.candidate_id,
        kind=TieKind.QUOTA_WOMAN, scope=scope, breaker=breaker,
    )


class _Seating:
    """The working state of one district while the quota is applied."""

    def __init__(self, elected: Mapping[ListId, Sequence[Candidate]],
                 candidates: Mapping[ListId, Sequence[Candidate]]) -> None:
        self.elected = {list_id: list(members) for list_id, members in elected.items()}
        self.candidates = candidates
        self.replacements: list[Replacement] = []
        self.ties: list[TieResolution] = []
        self.women = sum(c.sex is Sex.FEMALE for members in self.elected.values() for c in members)

    def men(self, list_id: ListId) -> list[Candidate]:
        return [c for c in self.elected.get(list_id, ()) if c.sex is Sex.MALE]

    def waiting_women(self, list_id: ListId) -> list[Candidate]:
        seated = {c.candidate_id for c in self.elected.get(list_id, ())}
        return [c for c in self.candidates.get(list_id, ())
                if c.sex is Sex.FEMALE and c.candidate_id not in seated]

    def note(self, resolution: TieResolution | None) -> None:
        if resolution is not None:
            self.ties.append(resolution)

    def replace(self, *, woman: Candidate, man: Candidate, stage: str,
                reason: ReplacementReason) -> None:
        self.elected[man.list_id].remove(man)
        self.elected.setdefault(woman.list_id, []).append(woman)
        self.women += 1
        self.replacements.append(
            Replacement(stage=stage, reason=reason, elected=woman, replaced=man)
        )


def apply_women_quota(
    rule: WomenQuota,
    *,
    seats: int,
    list_votes: Mapping[ListId, int],
    elected: Mapping[ListId, Sequence[Candidate]],
    candidates: Mapping[ListId, Sequence[Candidate]],
    breaker: TieBreaker,
) -> QuotaOutcome:
    """Apply the quota to the candidates elected on their votes.

    ``elected`` and ``candidates`` are keyed by list; under SNTV every party is
    a "list" and the across-district stage with ``own_list=False`` applies.
    """
    target = rule.target.target(seats)
    state = _Seating(elected, candidates)
    on_votes = state.women
    for stage in rule.stages:
        if isinstance(stage, WithinListStage):
            _within_lists(stage, state, target=target, list_votes=list_votes, breaker=breaker)
        else:
            _across_district(stage, state, target=target, breaker=breaker)
    stage_of = {r.elected.candidate_id: r.stage for r in state.replacements}
    return QuotaOutcome(
        target=target,
        women_on_votes=on_votes,
        women_seated=state.women,
        shortfall=max(0, target - state.women),
        replacements=tuple(state.replacements),
        ties=tuple(state.ties),
        seated={list_id: tuple(members) for list_id, members in state.elected.items()},
        stage_of=stage_of,
    )


def _within_lists(stage: WithinListStage, state: _Seating, *, target: int,
                  list_votes: Mapping[ListId, int], breaker: TieBreaker) -> None:
    def shortfall(list_id: ListId) -> int:
        members = state.elected[list_id]
        owed = len(members) // stage.divisor
        have = sum(c.sex is Sex.FEMALE for c in members)
        return max(0, min(owed - have, len(state.waiting_women(list_id)), len(state.men(list_id))))

    def room() -> int:
        # Without a stop at the target, only the lists' own shares limit the stage.
        return target - state.women if stage.stop_at_target else sys.maxsize

    # Lists by descending votes. Lists with equal votes form one rank; only if
    # the target runs out inside such a rank does the order among them decide
    # anything, and then it is drawn by lot.
    ranks: dict[int, list[ListId]] = {}
    for list_id in state.elected:
        ranks.setdefault(list_votes[list_id], []).append(list_id)
    for votes in sorted(ranks, reverse=True):
        if room() <= 0:
            return
        owing = sorted(list_id for list_id in ranks[votes] if shortfall(list_id) > 0)
        if len(owing) > 1 and sum(shortfall(list_id) for list_id in owing) > room():
            order, resolution = choose_best(
                owing, places=len(owing) - 1, key=lambda _: 0, ident=str,
                kind=TieKind.QUOTA_LIST_ORDER, scope="", breaker=breaker,
            )
            state.note(resolution)
            owing = order + [list_id for list_id in owing if list_id not in order]
        for list_id in owing:
            count = min(shortfall(list_id), room())
            if count <= 0:
                continue
            women, resolution = _best_women(state.waiting_women(list_id), count, list_id, breaker)
            state.note(resolution)
            men, resolution = _lowest_men(state.men(list_id), count, list_id, breaker)
            state.note(resolution)
            for woman, man in zip(women, men, strict=True):
                state.replace(woman=woman, man=man, stage=stage.label,
                              reason=ReplacementReason.LIST_BELOW_ITS_SHARE)


def _across_district(stage: AcrossDistrictStage, state: _Seating, *, target: int,
                     breaker: TieBreaker) -> None:
    # One woman after another, best-voted first; women with equal votes are taken
    # together, and a lot decides among them only where places run short.
    while state.women < target:
        if stage.own_list:
            capacity = {list_id: len(state.men(list_id)) for list_id in state.elected}
            open_lists = [list_id for list_id in sorted(capacity) if capacity[list_id]]
        else:
            spare_men = sum(len(state.men(list_id)) for list_id in state.elected)
            open_lists = sorted(state.candidates) if spare_men else []
        waiting = [woman for list_id in open_lists for woman in state.waiting_women(list_id)]
        if not waiting:
            return
        best = max(woman.votes for woman in waiting)
        group = [woman for woman in waiting if woman.votes == best]
        room = target - state.women
        if stage.own_list:
            # A list can seat no more of them than it has men to give way.
            by_list: dict[ListId, list[Candidate]] = {}
            for woman in group:
                by_list.setdefault(woman.list_id, []).append(woman)
            group = []
            for list_id, women in sorted(by_list.items()):
                fitting, resolution = _best_women(women, capacity[list_id], list_id, breaker)
                state.note(resolution)
                group.extend(fitting)
        else:
            room = min(room, spare_men)
        seated, resolution = _best_women(group, room, "", breaker)
        state.note(resolution)
        _replace_men(stage, state, seated, breaker)


def _replace_men(stage: AcrossDistrictStage, state: _Seating, women: list[Candidate],
                 breaker: TieBreaker) -> None:
    if stage.own_list:
        groups: dict[str, list[Candidate]] = {}
        for woman in women:
            groups.setdefault(woman.list_id, []).append(woman)
        pairs: list[tuple[Candidate, Candidate]] = []
        for list_id, group in groups.items():
            men, resolution = _lowest_men(state.men(ListId(list_id)), len(group), list_id,
                                          breaker)
            state.note(resolution)
            pairs.extend(zip(group, men, strict=True))
    else:
        every_man = [man for list_id in sorted(state.elected) for man in state.men(list_id)]
        men, resolution = _lowest_men(every_man, len(women), "", breaker)
        state.note(resolution)
        pairs = list(zip(women, men, strict=True))
    for woman, man in pairs:
        state.replace(woman=woman, man=man, stage=stage.label,
                      reason=ReplacementReason.DISTRICT_BELOW_TARGET)


@dataclass(frozen=True, slots=True, kw_only=True)
class ComponentOutcome:
    elected: tuple[ComponentCandidate, ...]
    unfilled: Mapping[Component, int]
    ties: tuple[TieResolution, ...]


def elect_components(
    seats: Mapping[Component, int],
    candidates: Sequence[ComponentCandidate],
    *,
    breaker: TieBreaker,
) -> ComponentOutcome:
    """Each component's seats to its best-voted candidates."""
    elected: list[ComponentCandidate] = []
    unfilled: dict[Component, int] = {}
    ties: list[TieResolution] = []
    for component in sorted(seats):
        running = [c for c in candidates if c.component == component]
        winners, resolution = choose_best(
            running, places=seats[component], key=lambda c: c.votes,
            ident=lambda c: c.candidate_id, kind=TieKind.COMPONENT_SEAT,
            scope=component, breaker=breaker,
        )
        if resolution is not None:
            ties.append(resolution)
        elected.extend(winners)
        if len(winners) < seats[component]:
            unfilled[component] = seats[component] - len(winners)
    return ComponentOutcome(elected=tuple(elected), unfilled=unfilled, ties=tuple(ties))
