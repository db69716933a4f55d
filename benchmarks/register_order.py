"""How fast a register's voters are put in the order of the station lists.

What it measures, on ``--voters`` synthetic voters (the data come from
``random.Random(2023)``: first, father's, grandfather's and family names drawn from
common Iraqi names, written with and without harakat, hamza forms, taa marbuta and
tatweel, a tenth of them Kurdish names starting with ئ, and unique voter numbers):

1. **Keys**: ``shafaf.core.arabic_names.voter_order_key`` of every voter.
2. **Sort**: sorting the voters by those keys.

The figures are printed with the time the same work would take for the whole
register (16,158,788 voters in 2023) at the measured rate. The issue sets no target
of its own for the order; the budget it has to fit in is the import's (16.2 million
voters in under 5 minutes). Nothing is asserted: the script exits 0 whatever the
timings, and 1 only if the sort disagrees with itself on a shuffled copy.

Run it from the project root::

    .venv/bin/python benchmarks/register_order.py
    .venv/bin/python benchmarks/register_order.py --voters 1000000
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time

from shafaf.core.arabic_names import voter_order_key

REGISTER_2023 = 16_158_788

FIRST = ["مُحَمَّد", "محمد", "أحمد", "احمد", "علي", "عَلِيّ", "حسين", "حسن", "فاطمة", "فاطمه",
         "زينب", "مصطفى", "مريم", "إبراهيم", "ابراهيم", "عبد الله", "عبدالله", "نور الهدى",
         "آمنة", "ضياء", "رقيّة", "كـاظـم", "سجاد", "هدى"]
KURDISH = ["ئازاد", "ئاراس", "ئیمان", "ئەحمەد", "ژیان", "گوران", "ڕێباز", "کاروان"]
FAMILY = ["الموسوي", "التميمي", "الجبوري", "الدليمي", "العبيدي", "الزبيدي", "الساعدي", "",
          "الخفاجي", "البياتي", "بارزاني", "طالباني"]


def synthetic_voters(count: int) -> list[tuple[str, str, str, str, str]]:
    rng = random.Random(2023)
    voters = []
    for number in range(count):
        first = rng.choice(KURDISH if rng.random() < 0.1 else FIRST)
        voters.append((first, rng.choice(FIRST), rng.choice(FIRST), rng.choice(FAMILY),
                       f"{10_000_000 + number * 7919 % 90_000_000}"))
    return voters


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=200_000)
    args = parser.parse_args(argv)
    voters = synthetic_voters(args.voters)

    start = time.perf_counter()
    keyed = [(voter_order_key(*voter), voter) for voter in voters]
    keys = time.perf_counter() - start
    start = time.perf_counter()
    keyed.sort(key=lambda pair: pair[0])
    sort = time.perf_counter() - start

    shuffled = list(voters)
    random.Random(1).shuffle(shuffled)
    if sorted(shuffled, key=lambda v: voter_order_key(*v)) != [v for _, v in keyed]:
        print("FAIL: the order depends on the order the voters came in")
        return 1

    scale = REGISTER_2023 / args.voters
    print(f"register order, {args.voters:,} synthetic voters")
    print(f"  keys : {keys:7.2f} s  {keys / args.voters * 1e6:5.2f} µs a voter"
          f"  (whole register at this rate: {keys * scale:6.0f} s)")
    # Lists are sorted centre by centre: one sort of the whole register is an upper bound.
    whole = sort * scale * math.log(REGISTER_2023) / math.log(args.voters)
    print(f"  sort : {sort:7.2f} s  (the whole register in one sort, n log n: {whole:6.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
