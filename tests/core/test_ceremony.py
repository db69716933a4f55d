"""The lottery ceremony's table: which step may follow which, who takes it, and why
a step is refused; and the seed format the ceremony draws with."""

from __future__ import annotations

import pytest

from shafaf.core.ceremony import (
    DRAW_STEPS,
    MAX_SEED_PARTS,
    Actor,
    DrawFacts,
    DrawState,
    DrawStep,
    refusal,
    steps_from,
)
from shafaf.core.lottery import (
    build_seed,
    numbers_not_drawn,
    parse_pool,
    pool_text,
    seed_sha256,
)

OPERATOR, BOARD = frozenset({Actor.OPERATOR}), frozenset({Actor.BOARD})
EVERYONE = frozenset(Actor)
NO_PARTS = DrawFacts()
TWO_PARTS = DrawFacts(seed_parts=2)


def test_a_draw_goes_from_frozen_to_published_and_only_the_board_corrects_it():
    state = DrawState.FROZEN
    for step in (DrawStep.SEED, DrawStep.RUN, DrawStep.SIGN_OFF):
        state = DRAW_STEPS[state, step]
    assert state is DrawState.PUBLISHED
    assert steps_from(state, EVERYONE, TWO_PARTS) == (DrawStep.CORRECT,)
    assert steps_from(state, OPERATOR, TWO_PARTS) == ()
    assert DRAW_STEPS[state, DrawStep.CORRECT] is DrawState.SUPERSEDED


@pytest.mark.parametrize(("state", "actors", "facts", "steps"), [
    # Frozen: the operator enters parts; the run waits for one.
    ("frozen", OPERATOR, NO_PARTS, {DrawStep.SEED}),
    ("frozen", OPERATOR, TWO_PARTS, {DrawStep.SEED, DrawStep.RUN}),
    ("frozen", BOARD, TWO_PARTS, {DrawStep.CORRECT}),
    # An announced beacon: its value after a part, then no more parts; the run waits for it.
    ("frozen", OPERATOR, DrawFacts(seed_parts=1, beacon_announced=True),
     {DrawStep.SEED, DrawStep.BEACON}),
    ("frozen", OPERATOR, DrawFacts(beacon_announced=True), {DrawStep.SEED}),
    ("frozen", OPERATOR, DrawFacts(seed_parts=1, beacon_announced=True,
                                   beacon_value_recorded=True), {DrawStep.RUN}),
    ("frozen", OPERATOR, DrawFacts(seed_parts=MAX_SEED_PARTS), {DrawStep.RUN}),
    # Drawn: the Board signs off or corrects; the operator has nothing left.
    ("drawn", OPERATOR, DrawFacts(seed_parts=2, has_transcript=True), set()),
    ("drawn", BOARD, DrawFacts(seed_parts=2, has_transcript=True),
     {DrawStep.SIGN_OFF, DrawStep.CORRECT}),
    ("superseded", EVERYONE, DrawFacts(seed_parts=2, has_transcript=True), set()),
])
def test_each_user_is_offered_the_steps_possible_now(state, actors, facts, steps):
    assert set(steps_from(state, actors, facts)) == steps


@pytest.mark.parametrize(("state", "step", "facts", "code"), [
    ("drawn", DrawStep.RUN, DrawFacts(seed_parts=1, has_transcript=True), "already_drawn"),
    ("superseded", DrawStep.RUN, NO_PARTS, "not_frozen"),
    ("frozen", DrawStep.RUN, NO_PARTS, "no_seed_parts"),
    ("frozen", DrawStep.RUN, DrawFacts(seed_parts=1, beacon_announced=True),
     "no_beacon_value"),
    ("frozen", DrawStep.SEED, DrawFacts(seed_parts=1, beacon_announced=True,
                                        beacon_value_recorded=True), "beacon_value_recorded"),
    ("frozen", DrawStep.SEED, DrawFacts(seed_parts=MAX_SEED_PARTS), "too_many_parts"),
    ("frozen", DrawStep.BEACON, TWO_PARTS, "no_beacon"),
    ("frozen", DrawStep.BEACON, DrawFacts(beacon_announced=True), "no_seed_parts"),
    ("drawn", DrawStep.SEED, TWO_PARTS, "not_frozen"),
    ("frozen", DrawStep.SIGN_OFF, TWO_PARTS, "not_drawn"),
    ("published", DrawStep.SIGN_OFF, TWO_PARTS, "already_published"),
    ("superseded", DrawStep.CORRECT, TWO_PARTS, "already_superseded"),
])
def test_a_refused_step_names_its_reason(state, step, facts, code):
    assert refusal(state, step, facts) == code
    assert step not in steps_from(state, EVERYONE, facts)


def test_the_seed_joins_the_parts_in_order_then_the_beacons_value():
    assert build_seed(["1", "2", "3", "4", "5"]) == "1-2-3-4-5"
    assert build_seed(["3", "5", "1"], "a1b2") == "3-5-1|beacon:a1b2"
    assert build_seed(["3", "5", "1"]) != build_seed(["1", "3", "5"])  # the order counts
    # Hashed by hand: printf %s 1-2-3-4-5 | sha256sum
    assert seed_sha256(build_seed(["1", "2", "3", "4", "5"])) == (
        "912296e12acc5ddb897c5f4768f10906dcb76e0ac9a09d450ef3b64cbef05e88")
    assert seed_sha256(build_seed(["3", "5", "1"], "a1b2")) == (
        "a244695b0d829603a0d4584fc4b8e721c59c09926c8e7a2287db90894cc52169")


def test_a_supplementary_draw_takes_the_numbers_nobody_has_drawn():
    pool = parse_pool("201-230,301-310", "202,305")
    # A draw gives out the lowest numbers of its pool: 201, 203, 204 for three.
    assert pool.first(3) == [201, 203, 204]
    rest = numbers_not_drawn(pool, [201, 203, 204])
    assert rest.first(3) == [205, 206, 207]
    assert rest.size() == pool.size() - 3
    assert pool_text(rest) == ("205-230,301-310", "202,305")
    assert parse_pool(*pool_text(rest)).numbers() == rest.numbers()
    # A whole range drawn: the next range; nothing drawn: the whole pool.
    assert numbers_not_drawn(pool, range(201, 231)).first(1) == [301]
    assert numbers_not_drawn(pool, []).numbers() == pool.numbers()
    assert pool_text(numbers_not_drawn(parse_pool("1-5"), [1, 2, 3, 4])) == ("5", "")


def test_a_supplementary_draw_with_nothing_drawn_keeps_number_one():
    # A pool from 1: nothing drawn yet, so the supplementary pool is 1-5 whole, 1 included.
    assert numbers_not_drawn(parse_pool("1-5"), []).numbers() == [1, 2, 3, 4, 5]


def test_a_range_used_up_leaves_the_supplementary_pool_and_its_transcript():
    # 1-5 and 10-12, all of 1-5 drawn: the transcript's ranges are 10-12 alone, with no
    # empty "6-5" left where the first range was.
    rest = numbers_not_drawn(parse_pool("1-5,10-12"), [1, 2, 3, 4, 5])
    assert rest.ranges == ((10, 12),)
