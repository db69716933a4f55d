"""How fast Shafaf allocates the seats of a whole country, and how its divisor step
compares with votelib's.

What it measures, on a synthetic but deterministic national contest set shaped
like the governorate-council elections of 18 December 2023 (law profile
``iraq-gc-2023``: 15 governorates, 275 general + 10 component seats, about
6,000 candidates, about 6.6 million votes; domain brief, section 2):

1. **Whole-country allocation.** ``shafaf.core.allocation.allocate`` for all 15
   governorates, one after another: seats to lists (modified Sainte-Laguë 1.7,
   capped by candidates), seats to candidates (open lists), the women's quota
   (stages A and B) and the component seats. Building the ``Contest`` objects is
   outside the timed region. Target: under 50 ms for the whole country.
2. **Divisor step alone**, on the same votes, seats and caps:
   ``shafaf.core.seats.apportion`` against votelib's ``HighestAverages`` with
   ``modified_first_coef(sainte_lague, 17/10)``, both over all 15 governorates,
   rounds interleaved. Target: Shafaf at least as fast as votelib (ratio of
   medians votelib / Shafaf >= 1.0). Both must give the same seats.

The results are also sanity-checked (not timed): every governorate returns an
``Allocation`` (not ``Undecided``), 275 general and 10 component seats are
filled, each governorate seats at least its quota of women where the rules
make it possible, and the number of quota replacements is reported.

The data come from ``random.Random(2023)``: a few big alliances with up to twice
the seat count in candidates, party lists of middling size, many individual
candidates (one-candidate lists); heavy-tailed list votes; personal votes that
never add up to more than their list's votes; 25-29% women on lists of two or
more, with personal votes lower on average, so the quota needs replacements.

Run it from the project root (votelib is in the ``test`` extra)::

    .venv/bin/python benchmarks/allocation.py               # 30 rounds
    .venv/bin/python benchmarks/allocation.py --rounds 100
    .venv/bin/python benchmarks/allocation.py --profile     # add a cProfile report

Timings are printed against their targets, never asserted: the script exits 0
whatever the timings. It exits 1 only if a sanity check fails (then the timings
measured something other than a correct allocation).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import math
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from votelib.component.divisor import modified_first_coef
from votelib.component.divisor import sainte_lague as votelib_sainte_lague
from votelib.evaluate.proportional import HighestAverages as VotelibHighestAverages

from shafaf.core import laws
from shafaf.core.allocation import Allocation, Basis, allocate
from shafaf.core.contest import (
    Candidate,
    CandidateId,
    Component,
    ComponentCandidate,
    Contest,
    ElectoralList,
    ListId,
    Sex,
)
from shafaf.core.laws.profile import District
from shafaf.core.seats import apportion
from shafaf.core.ties import TieBreaker

SEED = 2023
LAW = "iraq-gc-2023"
NATIONAL_VOTES = 6_599_668
"""Votes cast in 2023 (domain brief, section 1)."""
NATIONAL_CANDIDATES = 6_000
WOMEN_VOTE_FACTOR = 0.5
"""Women's personal votes are drawn at this fraction of men's, on average."""
ALLOCATION_TARGET_MS = 50.0
DIVISOR_TARGET_RATIO = 1.0


# --- the synthetic contest set ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Governorate:
    district: District
    contest: Contest
    votes: dict[ListId, int]
    caps: dict[ListId, int]


def _list_sizes(rng: random.Random, seats: int, candidates: int) -> list[tuple[str, int]]:
    """(kind, number of candidates) of each list in a governorate of ``seats`` seats."""
    n_lists = min(60, max(20, round(20 + (seats - 12) * 40 / 37)))  # 12 seats: 20, 49: 60
    n_alliances = 4 + seats // 12
    n_individuals = round(n_lists * rng.uniform(0.30, 0.40))
    n_parties = n_lists - n_alliances - n_individuals
    alliances = [rng.randint(seats, 2 * seats) for _ in range(n_alliances)]
    parties = [2] * n_parties
    # The remaining candidates go to the parties, weighted, none above 2 x seats.
    weights = [rng.paretovariate(1.2) for _ in range(n_parties)]
    left = candidates - sum(alliances) - n_individuals - sum(parties)
    while left > 0:
        open_ = [i for i in range(n_parties) if parties[i] < 2 * seats]
        if not open_:
            break
        parties[rng.choices(open_, weights=[weights[i] for i in open_])[0]] += 1
        left -= 1
    return ([("alliance", n) for n in alliances] + [("party", n) for n in parties]
            + [("individual", 1)] * n_individuals)


def _list_weight(rng: random.Random, kind: str) -> float:
    if kind == "alliance":
        return 12 * rng.lognormvariate(0, 0.7)
    if kind == "party":
        return rng.paretovariate(1.5)
    return 0.25 * rng.lognormvariate(0, 1.0)


def build_governorate(rng: random.Random, district: District, total_votes: int) -> Governorate:
    seats = district.general_seats
    prefix = district.code.removeprefix("IQ-")
    target = round(NATIONAL_CANDIDATES * seats / 275)
    sizes = _list_sizes(rng, seats, target)
    rng.shuffle(sizes)  # list ids say nothing about a list's kind or size
    weights = [_list_weight(rng, kind) for kind, _ in sizes]
    scale = total_votes / sum(weights)

    lists: list[ElectoralList] = []
    candidates: list[Candidate] = []
    for number, ((kind, size), weight) in enumerate(zip(sizes, weights, strict=True), 1):
        list_id = ListId(f"{prefix}-L{number:03d}")
        list_votes = max(1, math.floor(weight * scale))
        lists.append(ElectoralList(list_id=list_id, votes=list_votes))
        if kind == "individual":
            sexes = [Sex.FEMALE if rng.random() < 0.10 else Sex.MALE]
        else:
            n_women = min(size, math.ceil(size * rng.uniform(0.25, 0.29)))
            women = set(rng.sample(range(size), n_women))
            sexes = [Sex.FEMALE if i in women else Sex.MALE for i in range(size)]
        # Personal votes: a share of the list's votes (the rest marked only the list).
        personal = list_votes * (rng.uniform(0.8, 1.0) if size == 1 else rng.uniform(0.55, 0.9))
        pulls = [rng.lognormvariate(0, 1.1) * (WOMEN_VOTE_FACTOR if sex is Sex.FEMALE else 1.0)
                 for sex in sexes]
        pull_total = sum(pulls)
        for i, (sex, pull) in enumerate(zip(sexes, pulls, strict=True), 1):
            candidates.append(Candidate(
                candidate_id=CandidateId(f"{list_id}-C{i:03d}"), list_id=list_id, sex=sex,
                votes=math.floor(personal * pull / pull_total),
            ))

    component_candidates: list[ComponentCandidate] = []
    for component, count in sorted(district.component_seats.items()):
        running = sum(rng.randint(3, 8) for _ in range(count))
        for i in range(1, running + 1):
            component_candidates.append(ComponentCandidate(
                candidate_id=CandidateId(f"{prefix}-{component}-{i:02d}"),
                component=Component(component),
                sex=Sex.FEMALE if rng.random() < 0.2 else Sex.MALE,
                votes=math.floor(rng.lognormvariate(7.5, 0.9)),
            ))

    contest = Contest(
        seats=seats, lists=tuple(lists), candidates=tuple(candidates),
        component_seats=dict(district.component_seats),
        component_candidates=tuple(component_candidates),
    )
    votes = {lst.list_id: lst.votes for lst in lists}
    caps = dict.fromkeys(votes, 0)
    for cand in candidates:
        caps[cand.list_id] += 1
    return Governorate(district=district, contest=contest, votes=votes, caps=caps)


def build_country(seed: int = SEED) -> list[Governorate]:
    rng = random.Random(seed)
    districts = [laws.get(LAW).districts[code] for code in sorted(laws.get(LAW).districts)]
    turnout = [d.general_seats * rng.lognormvariate(0, 0.15) for d in districts]
    return [
        build_governorate(rng, district, round(NATIONAL_VOTES * share / sum(turnout)))
        for district, share in zip(districts, turnout, strict=True)
    ]


# --- timing -------------------------------------------------------------------------


def _time_once(run: Callable[[], object]) -> int:
    gc.collect()
    start = time.perf_counter_ns()
    run()
    return time.perf_counter_ns() - start


def measure(runs: Sequence[Callable[[], object]], rounds: int,
            warmup: int) -> list[list[int]]:
    """Nanoseconds per round for each of ``runs``; rounds interleaved, order alternating."""
    for _ in range(warmup):
        for run in runs:
            run()
    samples: list[list[int]] = [[] for _ in runs]
    for r in range(rounds):
        order = range(len(runs)) if r % 2 == 0 else reversed(range(len(runs)))
        for i in order:
            samples[i].append(_time_once(runs[i]))
    return samples


def ms(ns: float) -> float:
    return ns / 1e6


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


# --- sanity checks ------------------------------------------------------------------


def check_allocations(country: Sequence[Governorate],
                      results: Sequence[object]) -> tuple[list[str], list[str]]:
    """(summary lines, problems) for one whole-country allocation."""
    problems: list[str] = []
    general = component = replacements = ties = 0
    stages: dict[str, int] = {}
    governorates_replacing = quota_met = 0
    for gov, result in zip(country, results, strict=True):
        name = gov.district.name_en
        if not isinstance(result, Allocation):
            problems.append(f"{name}: {type(result).__name__}: {result!r}")
            continue
        won = sum(lst.seats for lst in result.lists)
        elected_general = [e for e in result.elected if e.basis is not Basis.COMPONENT]
        elected_component = [e for e in result.elected if e.basis is Basis.COMPONENT]
        if won != gov.contest.seats or len(elected_general) != gov.contest.seats:
            problems.append(f"{name}: {won} list seats, {len(elected_general)} elected,"
                            f" for {gov.contest.seats} general seats")
        expected_component = sum(gov.district.component_seats.values())
        if len(elected_component) != expected_component:
            problems.append(f"{name}: {len(elected_component)} component seats filled,"
                            f" {expected_component} expected")
        general += len(elected_general)
        ties += len(result.ties)
        component += len(elected_component)
        quota = result.quota
        if quota is None:
            problems.append(f"{name}: no women's quota outcome")
            continue
        women = sum(e.sex is Sex.FEMALE for e in elected_general)
        if women >= quota.target:
            quota_met += 1
        elif _replacement_possible(gov, {e.candidate_id for e in elected_general}):
            problems.append(f"{name}: {women} women seated, target {quota.target},"
                            " though a waiting woman could still replace a man of her list")
        elif quota.shortfall != quota.target - women:
            problems.append(f"{name}: shortfall reported {quota.shortfall},"
                            f" actual {quota.target - women}")
        replacements += len(quota.replacements)
        governorates_replacing += bool(quota.replacements)
        for rep in quota.replacements:
            stages[rep.stage] = stages.get(rep.stage, 0) + 1
    by_stage = ", ".join(f"stage {s} {n}" for s, n in sorted(stages.items()))
    lines = [
        f"sanity: {sum(isinstance(r, Allocation) for r in results)}/{len(results)} Allocation,"
        f" {general} general seats (275 expected), {component} component seats (10 expected),"
        f" women >= quota target in {quota_met}/{len(results)} governorates",
        f"quota replacements: {replacements} nationally ({by_stage or 'none'})"
        f" in {governorates_replacing}/{len(results)} governorates;"
        f" ties drawn by lot: {ties}",
    ]
    return lines, problems


def _replacement_possible(gov: Governorate, elected: set[CandidateId]) -> bool:
    """Whether some list that won seats has both an elected man and a waiting woman."""
    for list_id in gov.votes:
        members = [c for c in gov.contest.candidates if c.list_id == list_id]
        if (any(c.candidate_id in elected and c.sex is Sex.MALE for c in members)
                and any(c.candidate_id not in elected and c.sex is Sex.FEMALE
                        for c in members)):
            return True
    return False


# --- main ---------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="timed rounds (default 30)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first (default 1)")
    parser.add_argument("--profile", action="store_true",
                        help="also print a cProfile report of the whole-country allocation")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")

    profile = laws.get(LAW)
    rules = profile.rules
    breaker = TieBreaker(seed="bench")
    country = build_country()

    contests = [gov.contest for gov in country]
    n_candidates = sum(len(c.candidates) for c in contests)
    n_women = sum(cand.sex is Sex.FEMALE for c in contests for cand in c.candidates)
    n_general = sum(c.seats for c in contests)
    n_component = sum(sum(c.component_seats.values()) for c in contests)
    print(f"Shafaf allocation benchmark: law {LAW}, synthetic data (random.Random({SEED})),"
          f" {args.rounds} rounds after {args.warmup} warm-up")
    print(f"contest set: {len(contests)} governorates, {sum(len(c.lists) for c in contests)}"
          f" lists, {n_candidates} candidates ({n_women} women, {n_women / n_candidates:.1%}),"
          f" {sum(len(c.component_candidates) for c in contests)} component candidates,"
          f" {n_general + n_component} seats ({n_general} general + {n_component} component),"
          f" {sum(sum(gov.votes.values()) for gov in country):,} list votes")

    def allocate_country() -> list[object]:
        return [allocate(contest, rules=rules, breaker=breaker) for contest in contests]

    lines, problems = check_allocations(country, allocate_country())
    for line in lines:
        print(line)

    [alloc_ns] = measure([allocate_country], args.rounds, args.warmup)
    alloc_median = ms(statistics.median(alloc_ns))
    print(f"whole country allocation: median {alloc_median:.1f} ms, best {ms(min(alloc_ns)):.1f}"
          f" ms (target < {ALLOCATION_TARGET_MS:.0f} ms):"
          f" {verdict(alloc_median < ALLOCATION_TARGET_MS)}")

    method = rules.method
    votelib_method = VotelibHighestAverages(
        divisor_function=modified_first_coef(votelib_sainte_lague, Fraction(17, 10)))
    inputs = [(gov.votes, gov.contest.seats, gov.caps) for gov in country]

    def shafaf_divisors() -> list[dict[ListId, int]]:
        return [dict(apportion(method, votes=votes, seats=seats, caps=caps,
                               breaker=breaker).seats)
                for votes, seats, caps in inputs]

    def votelib_divisors() -> list[dict[ListId, int]]:
        return [votelib_method.evaluate(votes, seats, max_seats=caps)
                for votes, seats, caps in inputs]

    agree = 0
    for gov, ours, theirs in zip(country, shafaf_divisors(), votelib_divisors(), strict=True):
        ours_won = {list_id: n for list_id, n in ours.items() if n}
        if ours_won == theirs:
            agree += 1
        else:
            problems.append(f"{gov.district.name_en}: divisor seats differ:"
                            f" shafaf {ours_won} votelib {theirs}")
    shafaf_ns, votelib_ns = measure([shafaf_divisors, votelib_divisors], args.rounds,
                                    args.warmup)
    shafaf_median = statistics.median(shafaf_ns)
    votelib_median = statistics.median(votelib_ns)
    ratio = votelib_median / shafaf_median
    print(f"divisor step: shafaf {ms(shafaf_median):.2f} ms, votelib {ms(votelib_median):.2f} ms,"
          f" ratio {ratio:.2f}x (target >= {DIVISOR_TARGET_RATIO:.1f}x):"
          f" {verdict(ratio >= DIVISOR_TARGET_RATIO)};"
          f" seats agree in {agree}/{len(country)} governorates")
    print(f"  (best: shafaf {ms(min(shafaf_ns)):.2f} ms, votelib {ms(min(votelib_ns)):.2f} ms)")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.rounds):
            allocate_country()
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(20)
        stats.sort_stats("cumulative").print_stats(25)
        print(out.getvalue())

    for problem in problems:
        print(f"ANOMALY: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
