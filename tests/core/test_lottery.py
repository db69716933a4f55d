"""shafaf-lottery/1: hashes and tickets as the domain brief (§4) fixes them."""

import hashlib

from shafaf.core import lottery


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
