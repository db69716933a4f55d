"""The lottery ceremony's table: which step may follow which, who takes it, and why
a step is refused; and the seed format the ceremony draws with."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shafaf.core.ceremony import (
    DRAW_STEPS,
    MAX_SEED_PARTS,
    Actor,
    DrawFacts,
    DrawState,
    DrawStep,
    NotSealed,
    refusal,
    sealed_seed,
    steps_from,
)
from shafaf.core.lottery import (
    build_seed,
    numbers_not_drawn,
    parse_pool,
    pool_text,
    seed_part_commitment,
    seed_sha256,
)

OPERATOR, BOARD = frozenset({Actor.OPERATOR}), frozenset({Actor.BOARD})
CONTRIBUTOR = frozenset({Actor.CONTRIBUTOR})
EVERYONE = frozenset(Actor)
NOTHING = DrawFacts()
COMMITTED = DrawFacts(commitments=2, own_commitment=True)
RECORDED = DrawFacts(commitments=2, beacon_value_recorded=True)
DRAWN = DrawFacts(commitments=2, beacon_value_recorded=True, has_transcript=True)


def test_a_draw_goes_from_frozen_to_published_and_only_the_board_corrects_it():
    state = DrawState.FROZEN
    for step in (DrawStep.COMMIT, DrawStep.SEAL, DrawStep.REVEAL, DrawStep.CLOSE_REVEALS,
                 DrawStep.BEACON, DrawStep.RUN, DrawStep.SIGN_OFF):
        state = DRAW_STEPS[state, step]
    assert state is DrawState.PUBLISHED
    assert steps_from(state, EVERYONE, DRAWN) == (DrawStep.CORRECT,)
    assert steps_from(state, OPERATOR, DRAWN) == ()
    assert DRAW_STEPS[state, DrawStep.CORRECT] is DrawState.SUPERSEDED


@pytest.mark.parametrize(("state", "actors", "facts", "steps"), [
    # Frozen: contributors commit; the operator seals once there is a commitment.
    ("frozen", CONTRIBUTOR, NOTHING, {DrawStep.COMMIT}),
    ("frozen", OPERATOR, NOTHING, set()),
    ("frozen", OPERATOR, COMMITTED, {DrawStep.SEAL}),
    ("frozen", CONTRIBUTOR, COMMITTED, set()),  # one part each
    ("frozen", CONTRIBUTOR, DrawFacts(commitments=MAX_SEED_PARTS), set()),
    ("frozen", BOARD, COMMITTED, {DrawStep.CORRECT}),
    # Sealed: who committed reveals; the operator closes the reveals.
    ("sealed", CONTRIBUTOR, COMMITTED, {DrawStep.REVEAL}),
    ("sealed", CONTRIBUTOR, DrawFacts(commitments=2), set()),
    ("sealed", CONTRIBUTOR, DrawFacts(commitments=2, own_commitment=True,
                                      own_part_revealed=True), set()),
    ("sealed", OPERATOR, COMMITTED, {DrawStep.CLOSE_REVEALS}),
    # Revealed: the beacon's value, then the run; nothing for contributors.
    ("revealed", OPERATOR, COMMITTED, {DrawStep.BEACON}),
    ("revealed", OPERATOR, RECORDED, {DrawStep.RUN}),
    ("revealed", CONTRIBUTOR, RECORDED, set()),
    # Drawn: the Board signs off or corrects; the operator has nothing left.
    ("drawn", OPERATOR, DRAWN, set()),
    ("drawn", BOARD, DRAWN, {DrawStep.SIGN_OFF, DrawStep.CORRECT}),
    # ... except the member of the Board who ran it, who only corrects.
    ("drawn", BOARD, DrawFacts(has_transcript=True, ran_the_draw=True), {DrawStep.CORRECT}),
    ("superseded", EVERYONE, DRAWN, set()),
])
def test_each_user_is_offered_the_steps_possible_now(state, actors, facts, steps):
    assert set(steps_from(state, actors, facts)) == steps


@pytest.mark.parametrize(("state", "step", "facts", "code"), [
    ("drawn", DrawStep.RUN, DRAWN, "already_drawn"),
    ("superseded", DrawStep.RUN, NOTHING, "already_superseded"),
    ("frozen", DrawStep.RUN, COMMITTED, "not_sealed"),
    ("sealed", DrawStep.RUN, COMMITTED, "reveals_open"),
    ("revealed", DrawStep.RUN, COMMITTED, "no_beacon_value"),
    ("frozen", DrawStep.COMMIT, COMMITTED, "already_committed"),
    ("frozen", DrawStep.COMMIT, DrawFacts(commitments=MAX_SEED_PARTS), "too_many_parts"),
    ("sealed", DrawStep.COMMIT, NOTHING, "commitments_sealed"),
    ("frozen", DrawStep.SEAL, NOTHING, "no_commitments"),
    ("frozen", DrawStep.REVEAL, COMMITTED, "not_sealed"),
    ("sealed", DrawStep.REVEAL, NOTHING, "no_commitment"),
    ("sealed", DrawStep.REVEAL, DrawFacts(own_commitment=True, own_part_revealed=True),
     "already_revealed"),
    ("revealed", DrawStep.REVEAL, COMMITTED, "reveals_closed"),
    ("sealed", DrawStep.BEACON, COMMITTED, "reveals_open"),
    ("revealed", DrawStep.BEACON, RECORDED, "beacon_value_recorded"),
    ("frozen", DrawStep.SIGN_OFF, COMMITTED, "not_drawn"),
    ("drawn", DrawStep.SIGN_OFF, DrawFacts(has_transcript=True, ran_the_draw=True),
     "signer_ran_the_draw"),
    ("published", DrawStep.SIGN_OFF, DRAWN, "already_published"),
    ("superseded", DrawStep.CORRECT, DRAWN, "already_superseded"),
])
def test_a_refused_step_names_its_reason(state, step, facts, code):
    assert refusal(state, step, facts) == code
    assert step not in steps_from(state, EVERYONE, facts)


@pytest.mark.parametrize(("state", "facts", "code"), [
    ("frozen", COMMITTED, "not_sealed"),
    ("sealed", COMMITTED, "reveals_open"),
    ("revealed", COMMITTED, "no_beacon_value"),
    ("drawn", DRAWN, "already_drawn"),
    ("published", DRAWN, "already_drawn"),
    ("superseded", DRAWN, "already_superseded"),
])
def test_no_seed_exists_before_the_ceremony_is_sealed_and_its_beacon_recorded(
        state, facts, code):
    """The grinding attack needs the result before the seed is fixed: the only function
    that gives a ceremony's seed refuses every state before that."""
    with pytest.raises(NotSealed) as refused:
        sealed_seed(state, facts, revealed=["3", "5"], beacon_value="ab")
    assert refused.value.code == code
    assert sealed_seed("revealed", RECORDED, revealed=["3", "5"],
                       beacon_value="ab") == "3-5|beacon:ab"
    # A beacon's value is part of every seed.
    with pytest.raises(NotSealed):
        sealed_seed("revealed", RECORDED, revealed=["3"], beacon_value="")


def test_a_commitment_is_the_hash_of_the_tag_the_secret_and_the_part():
    # printf 'shafaf-seed-part/1\n%s\n%s' 0123456789abcdef 4 | sha256sum
    assert seed_part_commitment("4", "0123456789abcdef") == hashlib.sha256(
        b"shafaf-seed-part/1\n0123456789abcdef\n4").hexdigest()
    assert seed_part_commitment("4", "0123456789abcdef") != seed_part_commitment(
        "4", "0123456789abcdeg")


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


@given(state=st.sampled_from(list(DrawState)), commitments=st.integers(0, MAX_SEED_PARTS),
       own=st.booleans(), revealed=st.booleans(), beacon=st.booleans(),
       transcript=st.booleans(), ran=st.booleans())
def test_a_seed_exists_exactly_when_the_draw_may_run(state, commitments, own, revealed,
                                                    beacon, transcript, ran):
    facts = DrawFacts(commitments=commitments, own_commitment=own, own_part_revealed=revealed,
                      beacon_value_recorded=beacon, has_transcript=transcript,
                      ran_the_draw=ran)
    runnable = state is DrawState.REVEALED and beacon
    try:
        sealed_seed(state, facts, revealed=["1"], beacon_value="ab")
    except NotSealed:
        assert not runnable
    else:
        assert runnable
    assert (DrawStep.RUN in steps_from(state, EVERYONE, facts)) == runnable
