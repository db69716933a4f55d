"""shafaf-lottery/1: hashes and tickets as the domain brief (§4) fixes them."""

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shafaf.core import lottery
from shafaf.core.lottery import LotteryError, Participant, draw, parse_pool
from shafaf.core.lottery_transcript import MismatchKind, to_transcript, verify
from shafaf.core.refusal import Refused


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_briefs_example_orders_b_a_c():
    assert lottery.ticket_order(["A", "B", "C"], seed="1-2-3-4-5") == ("B", "A", "C")


def test_participants_hash_is_of_sorted_ids_joined_by_newlines():
    assert lottery.participants_sha256(["C", "A", "B"]) == sha("A\nB\nC")


def test_seed_is_normalised_to_nfc_before_hashing():
    composed, decomposed = "\u00e9", "e\u0301"
    assert lottery.seed_sha256(composed) == lottery.seed_sha256(decomposed) == sha(composed)


def test_ticket_hashes_the_seed_hash_and_the_id():
    seed_hash = lottery.seed_sha256("s")
    assert lottery.ticket(seed_hash, "AN01") == sha(f"{seed_hash},AN01")


def test_one_character_of_seed_changes_the_order_of_many():
    ids = [f"P{i:03d}" for i in range(50)]
    first = lottery.ticket_order(ids, seed="1-2-3-4-5")
    assert first != lottery.ticket_order(ids, seed="1-2-3-4-6")


# --- The draw ------------------------------------------------------------------------

def people(*ids: str) -> list[Participant]:
    return [Participant(participant_id=i, name=f"name {i}") for i in ids]


def numbers_of(result) -> dict[str, int]:
    return {a.participant_id: a.number for a in result.assignments}


def test_the_briefs_example_draw_gives_b_1_a_2_c_3():
    result = draw(people("A", "B", "C"), seed="1-2-3-4-5", pool=parse_pool("1-10", "5"))
    assert numbers_of(result) == {"B": 1, "A": 2, "C": 3}
    assert result.participants_sha256 == sha("A\nB\nC")
    assert result.seed_sha256 == sha("1-2-3-4-5")


def test_a_pool_is_the_union_of_its_ranges_minus_exclusions():
    pool = parse_pool("201-205, 203-207,210", "56,204")
    assert pool.numbers() == [201, 202, 203, 205, 206, 207, 210]


@pytest.mark.parametrize(("ranges", "exclude", "reason"), [
    ("", "", "no numbers"), ("1-x", "", "not a number"), ("9-3", "", "positive number up"),
    ("0-3", "", "positive number up"), ("1-3", "two", "whole numbers")])
def test_a_bad_pool_is_refused_with_its_reason(ranges, exclude, reason):
    with pytest.raises(LotteryError, match=reason):
        parse_pool(ranges, exclude)


def test_a_huge_range_costs_only_the_numbers_drawn():
    pool = parse_pool("1-1000000000000", "2")
    assert pool.size() == 10**12 - 1
    assert draw(people("A", "B"), seed="s", pool=pool).assignments[1].number == 3


def test_a_transcript_with_a_lone_surrogate_is_malformed_not_a_crash():
    transcript = transcript_of("A", "B", "C")
    transcript["seed"] = "\ud800"
    assert verify(transcript).kind is MismatchKind.MALFORMED


def test_a_pool_too_small_and_duplicate_ids_are_refused():
    with pytest.raises(LotteryError, match="2 numbers for 3 participants"):
        draw(people("A", "B", "C"), seed="s", pool=parse_pool("1-2"))
    with pytest.raises(LotteryError, match="appears twice"):
        draw(people("A", "A"), seed="s", pool=parse_pool("1-9"))


ids = st.lists(st.text(st.characters(codec="utf-8", exclude_characters="\n\r"), min_size=1,
                       max_size=8).map(str.strip).filter(bool), min_size=1, max_size=30,
               unique=True)


@settings(max_examples=100, deadline=None)
@given(ids=ids, seed=st.text(max_size=20), excluded=st.sets(st.integers(1, 60), max_size=10))
def test_same_seed_same_draw_and_exclusions_never_drawn(ids, seed, excluded):
    pool = parse_pool("1-100", ",".join(map(str, excluded)))
    first = draw(people(*ids), seed=seed, pool=pool)
    again = draw(people(*reversed(ids)), seed=seed, pool=pool)
    assert first == again
    drawn = {a.number for a in first.assignments}
    assert not drawn & excluded
    assert sorted(drawn) == pool.numbers()[: len(ids)]


@settings(max_examples=100, deadline=None)
@given(ids=ids, seed=st.text(min_size=1, max_size=20), data=st.data())
def test_one_changed_character_changes_the_transcript_hashes(ids, seed, data):
    pool = parse_pool("1-100")
    base = draw(people(*ids), seed=seed, pool=pool)
    at = data.draw(st.integers(0, len(seed) - 1))
    other_seed = seed[:at] + ("x" if seed[at] != "x" else "y") + seed[at + 1:]
    assert draw(people(*ids), seed=other_seed, pool=pool).seed_sha256 != base.seed_sha256
    renamed = [*ids[1:], ids[0] + "'"]
    assert draw(people(*renamed), seed=seed, pool=pool).participants_sha256 \
        != base.participants_sha256


def transcript_of(*ids: str) -> dict:
    result = draw(people(*ids), seed="1-2-3-4-5", pool=parse_pool("1-10", "5"))
    return to_transcript(result, drawn_at="2023-09-17T10:00:00+00:00", drawn_by="board")


def test_an_honest_transcript_verifies():
    assert verify(transcript_of("A", "B", "C")) is None


@pytest.mark.parametrize(("tamper", "kind"), [
    (lambda t: t.update(algorithm="shafaf-lottery/2"), MismatchKind.ALGORITHM),
    (lambda t: t["participants"].append({"participant_id": "D", "name": ""}),
     MismatchKind.PARTICIPANTS_HASH),
    (lambda t: t.update(seed="1-2-3-4-6"), MismatchKind.SEED_HASH),
    (lambda t: t["assignments"].pop(), MismatchKind.PARTICIPANTS),
    (lambda t: t["assignments"][1].update(ticket="0" * 64), MismatchKind.TICKET),
    (lambda t: t["assignments"][0].update(number=4), MismatchKind.NUMBER),
    (lambda t: t["pool"].update(excluded=[1]), MismatchKind.NUMBER),
    (lambda t: t.pop("seed"), MismatchKind.MALFORMED),
])
def test_verification_names_the_first_mismatch(tamper, kind):
    transcript = transcript_of("A", "B", "C")
    tamper(transcript)
    mismatch = verify(transcript)
    assert mismatch is not None
    assert mismatch.kind is kind


def test_a_swapped_pair_of_numbers_is_named_with_its_participant():
    transcript = transcript_of("A", "B", "C")
    first, second = transcript["assignments"][:2]
    first["number"], second["number"] = second["number"], first["number"]
    mismatch = verify(transcript)
    assert (mismatch.kind, mismatch.participant_id, mismatch.expected, mismatch.found) == (
        MismatchKind.NUMBER, "B", "1", "2")


def test_a_refused_draw_carries_its_code_and_figures_like_every_refusal():
    with pytest.raises(Refused) as refused:
        draw([Participant(participant_id=i) for i in "ABC"], seed="x",
             pool=parse_pool("1-2"))
    assert isinstance(refused.value, LotteryError)
    assert refused.value.code == "pool_too_small"
    assert dict(refused.value.params) == {"size": 2, "participants": 3}
    with pytest.raises(LotteryError) as bad:
        parse_pool("5-3")
    assert (bad.value.code, dict(bad.value.params)) == ("range_not_ascending", {"part": "5-3"})
