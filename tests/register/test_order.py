"""The stored sort key orders voters exactly as the core's voter_order_key."""

from __future__ import annotations

import random

from shafaf.core.arabic_names import voter_order_key
from shafaf.register.order import SEPARATOR, stored_sort_key

NAMES = ["محمد", "مُحَمَّد", "أحمد", "احمد", "أحمد علي", "عبد الله", "عبدالله", "ئازاد", "ازاد",
         "فاطمة", "فاطمه", "", "Ali", "٣علي", "زينب", "زين"]


def test_the_stored_key_is_the_cores_key_joined_and_sorts_the_same():
    rng = random.Random(7)  # noqa: S311 (test data)
    voters = [(rng.choice(NAMES), rng.choice(NAMES), rng.choice(NAMES), rng.choice(NAMES),
               str(rng.randint(1, 10_000))) for _ in range(3000)]
    for voter in voters:
        assert stored_sort_key(*voter) == SEPARATOR.join(voter_order_key(*voter))
    assert sorted(voters, key=lambda v: stored_sort_key(*v)) == sorted(
        voters, key=lambda v: voter_order_key(*v))
