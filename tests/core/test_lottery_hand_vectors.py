"""The draw against vectors computed without Shafaf, by hand with printf and sha256sum
(docs/lottery-vectors.md records the commands and their outputs). The hex below is
copied from those outputs, not from the library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shafaf.core.lottery import LotteryError, NumberPool, Participant, draw, parse_pool

SIX = [Participant(participant_id=f"E{i}") for i in range(1, 7)]
# printf 'E1\nE2\nE3\nE4\nE5\nE6' | sha256sum
SIX_SHA256 = "e37997c610d7465f84e01f2a30b1cc1dfdcbe1321a138c72049836b31e23282d"

# name: (numbers, excluded, printf '%s' seed | sha256sum, pool size,
#        [(id, ticket, number)] in the order `sort` gives the tickets)
HAND = {
    "touching": ("6-10,1-5", "2",
                 "9f1277d878f36577f1a8d0f68773d1db220546fa956e565ce790ed78338c9aee", 9, [
                     ("E1", "438b53a7cee5498bb0cb637eb4b9e2a91e840c0f2f00635265a36cccc31d3a11", 1),
                     ("E6", "735c2910fbbc0e471e42210fe2edcbe9cdc0f7d4b6bfa705f49e79a141a88268", 3),
                     ("E2", "7b81daa1379fffc35b81d54a24f61eaf0aa614404f8c84009e7fcdd7ebc4bc9f", 4),
                     ("E4", "8961b60fc60c12294739c39cdaf7fa896f4a8c3f7dfa54ca0756782c603fe05c", 5),
                     ("E3", "b80e6fbba3649415e4c58e047815dffb8fb742508ac059df65dfece7898de2ab", 6),
                     ("E5", "e9aa52bdc22f203ebd41302a993e4691fdb8fefec75622efe133ce951faf41fb", 7),
                 ]),
    "nested": ("1-10,3-4", "",
               "233562de1a0288b139c4fa40b7d189f806e906eeb048517aeb67f34ac0e2faf1", 10, [
                   ("E5", "0f910ad0b4938d6bb592fd0dae4b29ca6ab497040c79e87546ad5969591124c6", 1),
                   ("E2", "2f519be175462be78cad085758d2ea238c3c5e3dcc2053ea9a978390efab9f36", 2),
                   ("E3", "3804ac5961a863090135f89edae0b5af19487d8025c55a23e5c2a9857b3bd0e8", 3),
                   ("E6", "3e8cbe417916adab2e42a916efb9872812ae6d5de02cdc2b4f0d932b24cb2662", 4),
                   ("E4", "65d9282cc232ebe4980436b0cd91b99962473c1f6f3cc01178ddf30570668bb6", 5),
                   ("E1", "f50db3fce7c51f562411f0887a75f0ab6637ed42249b171ce0f1972efa776dff", 6),
               ]),
    "overlapping": ("4-8,1-6", "5",
                    "5c2f28cf07a7083f16b54c562c056ae59f53518a337b59d870fca77d58b315b2", 7, [
                    ("E5", "4a580b17078da160b4f2444edf9f3fecde6facb8af6f3cc355f0c998dcf9fa81", 1),
                    ("E3", "600aed600ddca4d9b8b748c3337520e0ac721da60f5195aa4706d2bacb0c4e21", 2),
                    ("E1", "609e2b36bc7dc1790c73b5bf1fb3517d01c3b0fc262629ac9d3cc9af3e7ae41e", 3),
                    ("E6", "7fa478c75c0879305adae30c97d01a805c2e7149d489600877e151459a27703c", 4),
                    ("E4", "d9f1d5b0f4f9cf6eab59412df7e4ec173e4c0e2bb440775a3797e55dc82118e4", 6),
                    ("E2", "e6a0628bf5fb3788614d7ed9d2a991d05f34f0c315c1bf4a2ac6ae6c84bd924d", 7),
                    ]),
}
SHARED = Path(__file__).resolve().parents[1] / "data" / "lottery_vectors.json"


@pytest.mark.parametrize("seed", list(HAND))
def test_the_draw_gives_what_was_worked_out_by_hand(seed):
    numbers, exclude, seed_hash, size, expected = HAND[seed]
    pool = parse_pool(numbers, exclude)
    result = draw(SIX, seed=seed, pool=pool)
    assert result.participants_sha256 == SIX_SHA256
    assert result.seed_sha256 == seed_hash
    assert pool.size() == size
    assert [(a.participant_id, a.ticket, a.number) for a in result.assignments] == expected


@pytest.mark.parametrize("seed", list(HAND))
def test_the_shared_vectors_hold_the_hand_worked_cases(seed):
    """The browser's verifier runs the shared file: its copies must be these values."""
    vector = next(v for v in json.loads(SHARED.read_text(encoding="utf-8"))["vectors"]
                  if v["name"] == f"{seed}-ranges")
    numbers, exclude, seed_hash, size, expected = HAND[seed]
    pool = parse_pool(numbers, exclude)
    assert vector["inputs"]["seed"] == seed
    assert [tuple(r) for r in vector["inputs"]["ranges"]] == list(pool.ranges)
    assert set(vector["inputs"]["excluded"]) == pool.excluded
    assert vector["expected"]["participants_sha256"] == SIX_SHA256
    assert vector["expected"]["seed_sha256"] == seed_hash
    assert vector["expected"]["pool_size"] == size
    assert [(a["participant_id"], a["ticket"], a["number"])
            for a in vector["expected"]["assignments"]] == expected


@pytest.mark.parametrize("ident", ["E1\nE2", "E1\n", "\nE1"])
def test_an_id_with_a_line_break_is_refused(ident):
    # printf 'E1\nE2\nE3' | sha256sum is the hash of E1, E2, E3 and of "E1\nE2", E3.
    with pytest.raises(LotteryError, match="must be non-empty, on one line, without "
                                           "surrounding spaces"):
        draw([Participant(participant_id=ident), Participant(participant_id="E3")],
             seed="x", pool=parse_pool("1-10"))


def test_a_draw_without_participants_or_numbers_says_so():
    with pytest.raises(LotteryError, match=r"^there are no participants$"):
        draw([], seed="x", pool=parse_pool("1-10"))
    with pytest.raises(LotteryError, match=r"^no numbers to draw: give ranges such as 1-300$"):
        parse_pool(" , ")


def test_ranges_are_normalised_sorted_and_joined_where_they_touch_or_overlap():
    assert parse_pool("6-10,1-5").merged() == [(1, 10)]
    assert parse_pool("1-10,3-4").merged() == [(1, 10)]
    assert parse_pool("4-8,1-6,20").merged() == [(1, 8), (20, 20)]
    assert parse_pool("1-4,6-9").merged() == [(1, 4), (6, 9)]


def test_an_empty_item_between_commas_is_skipped_not_the_end():
    assert parse_pool("1-5, ,7-9,").numbers() == [1, 2, 3, 4, 5, 7, 8, 9]


ranges = st.lists(st.tuples(st.integers(1, 40), st.integers(0, 12))
                  .map(lambda r: (r[0], r[0] + r[1])), min_size=1, max_size=5)


@given(ranges=ranges, excluded=st.frozensets(st.integers(1, 60), max_size=6),
       count=st.integers(0, 60))
def test_the_pool_is_each_number_of_the_ranges_once_in_order_less_the_excluded(
        ranges, excluded, count):
    pool = NumberPool(ranges=tuple(ranges), excluded=excluded)
    numbers = sorted({n for low, high in ranges for n in range(low, high + 1)} - excluded)
    assert pool.size() == len(numbers)
    assert pool.first(count) == numbers[:count]
    assert pool.numbers() == numbers


def test_an_empty_range_in_a_transcript_adds_no_numbers():
    # parse_pool refuses 9-7; a transcript can still carry it. The browser skips it.
    pool = NumberPool(ranges=((1, 5), (9, 7), (30, 20)), excluded=frozenset())
    assert pool.size() == 5
    assert pool.numbers() == [1, 2, 3, 4, 5]


def test_an_excluded_number_at_the_top_of_a_range_leaves_the_pool():
    # 1-10 less 10: nine numbers, 1 to 9 (the exclusion counts at the range's very end).
    pool = NumberPool(ranges=((1, 10),), excluded=frozenset({10}))
    assert (pool.size(), pool.numbers()) == (9, list(range(1, 10)))
