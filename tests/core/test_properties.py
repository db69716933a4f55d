"""Properties every seat rule keeps, whatever the votes (DESIGN.md, convention 9).

Votes are small (0..50) so that equal quotients and equal personal votes, and
therefore ties drawn by lot, come up often.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from shafaf.core import laws
from shafaf.core.allocation import Allocation, Basis, ContestRules, Undecided, allocate
from shafaf.core.contest import Candidate, CandidateId, Contest, ElectoralList, ListId, Sex
from shafaf.core.seats import Method, apportion
from shafaf.core.seats.divisor import dhondt, sainte_lague
from shafaf.core.seats.largest_remainder import droop, hare
from shafaf.core.ties import TieBreaker, TieKind

DIVISOR_METHODS = [
    dhondt(),
    sainte_lague(),
    sainte_lague(Fraction(7, 5)),
    sainte_lague(Fraction(17, 10)),
    sainte_lague(Fraction(19, 10)),
]
METHODS = [*DIVISOR_METHODS, hare(), droop()]
GC_2023 = laws.get("iraq-gc-2023").rules
KRG_2024 = laws.get("krg-2024").rules
COR_2021 = laws.get("iraq-cor-2021").rules
QUOTA_RULES = pytest.mark.parametrize("rules", [GC_2023, KRG_2024], ids=["gc2023", "krg2024"])

# 150 examples under the default profile; a lighter profile ("mutation", see
# tests/core/conftest.py) scales them down in proportion.
PROPERTY = settings(max_examples=settings().max_examples * 3 // 2, deadline=None)

seeds = st.text(alphabet="0123456789-", min_size=1, max_size=9)
small_votes = st.integers(0, 50)
house_sizes = st.integers(0, 20)
# Mostly men, as on real lists, so that the women's quota has work to do.
sexes = st.sampled_from((Sex.MALE, Sex.MALE, Sex.FEMALE))
vote_tables = st.lists(small_votes, min_size=1, max_size=8).map(
    lambda counts: {ListId(f"L{i}"): n for i, n in enumerate(counts)}
)


@st.composite
def contests(
    draw: st.DrawFn,
    *,
    list_votes: st.SearchStrategy[int] = small_votes,
    candidate_votes: st.SearchStrategy[int] = small_votes,
) -> Contest:
    lists = tuple(
        ElectoralList(list_id=ListId(f"L{i}"), votes=draw(list_votes))
        for i in range(draw(st.integers(1, 6)))
    )
    candidates: list[Candidate] = []
    for lst in lists:
        for _ in range(draw(st.integers(0, 8))):
            candidates.append(Candidate(
                candidate_id=CandidateId(f"C{len(candidates)}"), list_id=lst.list_id,
                sex=draw(sexes), votes=draw(candidate_votes),
            ))
    return Contest(seats=draw(house_sizes), lists=lists, candidates=tuple(candidates))


# Equal votes everywhere: most allocations need at least one lot.
tied_contests = contests(list_votes=st.sampled_from((10, 20)),
                         candidate_votes=st.sampled_from((0, 5)))


def shuffled(contest: Contest, rnd: random.Random) -> Contest:
    return dataclasses.replace(
        contest,
        lists=tuple(rnd.sample(contest.lists, len(contest.lists))),
        candidates=tuple(rnd.sample(contest.candidates, len(contest.candidates))),
    )


def decided(contest: Contest, rules: ContestRules, seed: str) -> Allocation:
    result = allocate(contest, rules=rules, breaker=TieBreaker(seed=seed))
    assert isinstance(result, Allocation)
    return result


def seats_of(method: Method, votes: dict[ListId, int], seats: int, seed: str) -> dict[ListId, int]:
    return dict(apportion(method, votes=votes, seats=seats, breaker=TieBreaker(seed=seed)).seats)


@PROPERTY
@given(method=st.sampled_from(METHODS), votes=vote_tables, seats=house_sizes, seed=seeds)
def test_seats_add_up_to_the_house(
    method: Method, votes: dict[ListId, int], seats: int, seed: str
) -> None:
    """Every seat of the house is either won by a list or reported unfilled, and
    none is left unfilled while some list has votes and no list is capped."""
    result = apportion(method, votes=votes, seats=seats, breaker=TieBreaker(seed=seed))
    assert sum(result.seats.values()) + result.unfilled == seats
    if any(votes.values()):
        assert result.unfilled == 0


@PROPERTY
@QUOTA_RULES
@given(contest=contests(), rnd=st.randoms(use_true_random=False), seed=seeds)
def test_order_of_input_rows_does_not_matter(
    rules: ContestRules, contest: Contest, rnd: random.Random, seed: str
) -> None:
    """Typing the lists and candidates in another order gives the same seats,
    the same winners and the same lots."""
    assert decided(shuffled(contest, rnd), rules, seed) == decided(contest, rules, seed)


@PROPERTY
@given(
    method=st.sampled_from(DIVISOR_METHODS),
    votes=vote_tables,
    seats=house_sizes,
    data=st.data(),
    gain=st.integers(1, 50),
    seed_before=seeds,
    seed_after=seeds,
)
def test_more_votes_never_cost_a_list_a_seat(
    method: Method, votes: dict[ListId, int], seats: int, data: st.DataObject, gain: int,
    seed_before: str, seed_after: str,
) -> None:
    """Under a divisor method a list that gains votes, all else equal, keeps at
    least its seats, however the lots fall before and after."""
    lucky = data.draw(st.sampled_from(sorted(votes)))
    before = seats_of(method, votes, seats, seed_before)
    after = seats_of(method, {**votes, lucky: votes[lucky] + gain}, seats, seed_after)
    assert after[lucky] >= before[lucky]


@PROPERTY
@given(
    method=st.sampled_from(METHODS),
    table=st.lists(st.tuples(small_votes, st.none() | st.integers(0, 5)), min_size=1, max_size=8),
    seats=house_sizes,
    seed=seeds,
)
def test_caps_are_respected_and_only_caps_leave_seats_empty(
    method: Method, table: list[tuple[int, int | None]], seats: int, seed: str
) -> None:
    """A list never gets more seats than it has candidates, and seats stay
    empty only when every list with votes has used up its candidates."""
    votes = {ListId(f"L{i}"): n for i, (n, _) in enumerate(table)}
    caps = {ListId(f"L{i}"): cap for i, (_, cap) in enumerate(table) if cap is not None}
    result = apportion(method, votes=votes, seats=seats, caps=caps, breaker=TieBreaker(seed=seed))
    assert sum(result.seats.values()) + result.unfilled == seats
    assert all(result.seats[list_id] <= cap for list_id, cap in caps.items())
    if result.unfilled:
        assert all(
            list_id in caps and result.seats[list_id] == caps[list_id]
            for list_id, n in votes.items() if n > 0
        )


@PROPERTY
@QUOTA_RULES
@given(contest=contests(), seed=seeds)
def test_womens_quota_never_moves_a_seat_between_lists(
    rules: ContestRules, contest: Contest, seed: str
) -> None:
    """Each list holds the same number of seats with or without the women's
    quota, and exactly that many of its candidates are elected."""
    with_quota = decided(contest, rules, seed)
    without = decided(contest, dataclasses.replace(rules, women_quota=None), seed)
    assert [(r.list_id, r.seats) for r in with_quota.lists] == [
        (r.list_id, r.seats) for r in without.lists
    ]
    if contest.candidates:
        elected = Counter(e.list_id for e in with_quota.elected)
        assert all(elected[r.list_id] == r.seats for r in with_quota.lists)


@PROPERTY
@QUOTA_RULES
@given(contest=contests(), seed=seeds)
def test_womens_quota_is_met_when_enough_women_stand(
    rules: ContestRules, contest: Contest, seed: str
) -> None:
    """The council holds at least its target of women, unless the lists that won
    seats do not field that many women; then it holds every one it can."""
    assume(contest.candidates)
    assert rules.women_quota is not None
    result = decided(contest, rules, seed)
    women_standing = Counter(c.list_id for c in contest.candidates if c.sex is Sex.FEMALE)
    reachable = sum(min(r.seats, women_standing[r.list_id]) for r in result.lists)
    women_elected = sum(e.sex is Sex.FEMALE for e in result.elected if e.component is None)
    assert women_elected >= min(rules.women_quota.target.target(contest.seats), reachable)


@PROPERTY
@QUOTA_RULES
@given(contest=contests(), seed=seeds)
def test_quota_replacements_are_women_for_men_of_the_same_list(
    rules: ContestRules, contest: Contest, seed: str
) -> None:
    """Everyone seated through the quota is a woman, and the man she replaced
    won his seat on her list."""
    result = decided(contest, rules, seed)
    assert all(e.sex is Sex.FEMALE for e in result.elected if e.basis is Basis.WOMEN_QUOTA)
    if result.quota is not None:
        for replacement in result.quota.replacements:
            assert replacement.elected.sex is Sex.FEMALE
            assert replacement.replaced.sex is Sex.MALE
            assert replacement.replaced.list_id == replacement.elected.list_id


@PROPERTY
@QUOTA_RULES
@given(contest=tied_contests, seed=seeds)
def test_same_seed_draws_the_same_lots(rules: ContestRules, contest: Contest, seed: str) -> None:
    """Re-running an allocation full of ties with the published seed reproduces
    it exactly, lots included."""
    assert decided(contest, rules, seed) == decided(contest, rules, seed)


@PROPERTY
@given(
    method=st.sampled_from(METHODS),
    votes=st.integers(1, 50),
    lists=st.integers(2, 6),
    seats=st.integers(1, 20),
)
def test_a_tie_without_a_lot_is_handed_back(
    method: Method, votes: int, lists: int, seats: int
) -> None:
    """Lists with equal votes competing for fewer seats than there are of them
    stop the allocation at that tie, naming exactly the tied lists."""
    assume(seats % lists)
    contest = Contest(seats=seats, lists=tuple(
        ElectoralList(list_id=ListId(f"L{i}"), votes=votes) for i in range(lists)
    ))
    result = allocate(contest, rules=ContestRules(method=method))
    assert isinstance(result, Undecided)
    assert result.tie.kind is TieKind.LIST_SEAT
    assert sorted(result.tie.contenders) == [lst.list_id for lst in contest.lists]
    assert result.tie.places == seats % lists


@PROPERTY
@QUOTA_RULES
@given(contest=tied_contests, seed=seeds)
def test_without_a_seed_the_first_lot_is_handed_back(
    rules: ContestRules, contest: Contest, seed: str
) -> None:
    """Without a seed the allocation stops at the very tie a seeded run draws
    first, and when no lot is needed the seed changes nothing."""
    seeded = decided(contest, rules, seed)
    unseeded = allocate(contest, rules=rules, breaker=TieBreaker())
    if seeded.ties:
        assert isinstance(unseeded, Undecided)
        assert unseeded.tie == seeded.ties[0].tie
    else:
        assert unseeded == seeded


@PROPERTY
@QUOTA_RULES
@given(contest=tied_contests, rnd=st.randoms(use_true_random=False), seed=seeds)
def test_lots_do_not_depend_on_input_order(
    rules: ContestRules, contest: Contest, rnd: random.Random, seed: str
) -> None:
    """When lots decide seats, the order the rows were typed in still changes
    nothing: the seed alone decides."""
    assert decided(shuffled(contest, rnd), rules, seed) == decided(contest, rules, seed)


@PROPERTY
@given(contest=contests(), seed=seeds)
def test_sntv_fills_the_district_and_seats_a_woman(contest: Contest, seed: str) -> None:
    """Under the single non-transferable vote every seat is filled while
    candidates last, and a woman is elected whenever one stands."""
    assume(contest.candidates)
    result = decided(contest, COR_2021, seed)
    assert len(result.elected) == min(contest.seats, len(contest.candidates))
    assert result.unfilled == contest.seats - len(result.elected)
    if contest.seats and any(c.sex is Sex.FEMALE for c in contest.candidates):
        assert any(e.sex is Sex.FEMALE for e in result.elected)


# Core bugs, each as its smallest known case: these fail until the core is fixed.


@pytest.mark.parametrize(
    ("method", "votes"),
    [(dhondt(), {"A": 300, "B": 700}), (hare(), {"A": 300, "B": 700}),
     (droop(), {"A": 303, "B": 797})],
    ids=["dhondt", "hare", "droop"],
)
def test_report_names_every_list_whose_candidates_ran_out(
    method: Method, votes: dict[ListId, int]
) -> None:
    """When seats stay empty, the report names every list that ran out of
    candidates. Under Hare (quota 100) and Droop (quota 101) A fills exactly
    its 3 candidates' worth of quotas and is left out of ``capped``."""
    result = apportion(method, votes=votes, seats=10, caps={ListId("A"): 3, ListId("B"): 5},
                       breaker=TieBreaker(seed="0"))
    assert (dict(result.seats), result.unfilled) == ({"A": 3, "B": 5}, 2)
    assert set(result.capped) == {"A", "B"}


def test_a_woman_drawn_for_a_quota_seat_takes_it() -> None:
    """The published lot for the women's quota matches who is seated. Here X has
    one elected man and two waiting women, Y one waiting woman, all on 5 votes,
    and two women are missing: only X's two women compete (for one seat); Y's
    woman is seated whatever the lot."""
    male, female = Sex.MALE, Sex.FEMALE

    def cand(ident: str, list_id: str, sex: Sex, votes: int) -> Candidate:
        return Candidate(candidate_id=CandidateId(ident), list_id=ListId(list_id), sex=sex,
                         votes=votes)

    contest = Contest(
        seats=5,  # X 1, Y 3, Z 1 seats; target ⌈25% of 5⌉ = 2
        lists=tuple(ElectoralList(list_id=ListId(list_id), votes=votes)
                    for list_id, votes in (("X", 20), ("Y", 60), ("Z", 20))),
        candidates=(
            cand("XM1", "X", male, 20), cand("XW1", "X", female, 5), cand("XW2", "X", female, 5),
            cand("YM1", "Y", male, 20), cand("YM2", "Y", male, 20), cand("YM3", "Y", male, 20),
            cand("YW1", "Y", female, 5), cand("ZM1", "Z", male, 20),
        ),
    )
    result = decided(contest, GC_2023, "0")
    elected = {e.candidate_id for e in result.elected}
    (lot,) = [t for t in result.ties if t.tie.kind is TieKind.QUOTA_WOMAN]
    assert (lot.tie.scope, lot.tie.contenders, lot.tie.places) == ("X", ("XW1", "XW2"), 1)
    assert "YW1" in elected
    assert set(lot.chosen) <= elected
    assert set(lot.order[1:]).isdisjoint(elected)
