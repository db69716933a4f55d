"""Write tests/data/lottery_vectors.json: test vectors for shafaf-lottery/1, made with
the Python implementation, for any other implementation to reproduce (the browser's,
static/shafaf/lottery.js, is checked against them in tests/browser).

Deterministic: the same code gives the same file, byte for byte (a test checks that the
committed file is what this script writes). Run it from the project root::

    .venv/bin/python tests/data/make_lottery_vectors.py

Each vector has its ``inputs`` (participants, seed, ranges, excluded), what the draw
must give (``expected``: both hashes, the pool's size, and the assignments in ticket
order, or for the big case only the ``assignments_sha256`` digest: SHA-256 of the lines
``id:number\\n`` in ticket order), a full ``transcript`` (but for the big case) and
``variants``: transcripts edited by hand, each with what ``verify`` must say of it
(``mismatch``: null for a transcript that still verifies, else its kind and
participant, and for kinds other than ``malformed`` the expected and found values).
"""

from __future__ import annotations

import copy
import hashlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shafaf.core.lottery import NumberPool, Participant, draw
from shafaf.core.lottery_transcript import MismatchKind, verify
from shafaf.core.lottery_transcript import to_transcript_1 as to_transcript

OUT = Path(__file__).with_name("lottery_vectors.json")
SCHEMA = "shafaf-lottery-vectors/1"
DRAWN_AT = "2025-08-14T09:30:00Z"
DRAWN_BY = "IHEC Board of Commissioners"

Transcript = dict[str, Any]
Edit = Callable[[Transcript], None]


def assignments_digest(assignments: list[dict[str, Any]]) -> str:
    lines = "".join(f"{a['participant_id']}:{a['number']}\n" for a in assignments)
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


# --- Edits that make a variant ---------------------------------------------------------

def set_field(field: str, value: Any) -> Edit:
    def edit(t: Transcript) -> None:
        t[field] = value
    return edit


def drop_field(*path: str) -> Edit:
    def edit(t: Transcript) -> None:
        node = t
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return edit


def set_assignment(index: int, field: str, value: Any) -> Edit:
    def edit(t: Transcript) -> None:
        t["assignments"][index][field] = value
    return edit


def swap_numbers(i: int, j: int) -> Edit:
    def edit(t: Transcript) -> None:
        a, b = t["assignments"][i], t["assignments"][j]
        a["number"], b["number"] = b["number"], a["number"]
    return edit


def drop_assignment(index: int) -> Edit:
    def edit(t: Transcript) -> None:
        del t["assignments"][index]
    return edit


def repeat_assignment(index: int) -> Edit:
    def edit(t: Transcript) -> None:
        t["assignments"].append(copy.deepcopy(t["assignments"][index]))
    return edit


def rename_assignment(index: int, new_id: str) -> Edit:
    def edit(t: Transcript) -> None:
        t["assignments"][index]["participant_id"] = new_id
    return edit


def add_participant(participant_id: str, *, rehash: bool) -> Edit:
    def edit(t: Transcript) -> None:
        t["participants"].append({"participant_id": participant_id, "name": ""})
        if rehash:
            ids = sorted(p["participant_id"] for p in t["participants"])
            t["participants_sha256"] = hashlib.sha256("\n".join(ids).encode()).hexdigest()
    return edit


def set_pool(ranges: list[list[int]], excluded: list[int]) -> Edit:
    def edit(t: Transcript) -> None:
        t["pool"] = {"ranges": ranges, "excluded": excluded,
                     "size": t["pool"]["size"]}  # size is a record, never checked
    return edit


def reverse_assignments(t: Transcript) -> None:
    t["assignments"].reverse()


def upper_ticket(index: int) -> Edit:
    def edit(t: Transcript) -> None:
        a = t["assignments"][index]
        a["ticket"] = a["ticket"].upper()
    return edit


def chain(*edits: Edit) -> Edit:
    def edit(t: Transcript) -> None:
        for one in edits:
            one(t)
    return edit


ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

# --- The cases -------------------------------------------------------------------------

# (name, description, participants as (id, name), seed, ranges, excluded,
#  variants as (name, edit, the mismatch kind it must give or None))
Variant = tuple[str, Edit, MismatchKind | None]

BRIEF_VARIANTS: list[Variant] = [
    ("assignments-reordered", reverse_assignments, None),
    ("record-fields-changed", chain(set_field("drawn_by", "someone else"),
                                    set_field("drawn_at", None),
                                    set_field("schema", "anything")), None),
    ("names-changed", lambda t: t["participants"][0].update(name="another name"), None),
    ("number-as-text", set_assignment(0, "number", "1"), None),
    ("number-in-arabic-indic-digits", set_assignment(1, "number", "٢"), None),
    ("algorithm-changed", set_field("algorithm", "shafaf-lottery/2"), MismatchKind.ALGORITHM),
    ("participant-added", add_participant("D", rehash=False), MismatchKind.PARTICIPANTS_HASH),
    ("participants-hash-edited", set_field("participants_sha256", "0" * 64),
     MismatchKind.PARTICIPANTS_HASH),
    ("seed-changed", set_field("seed", "1-2-3-4-6"), MismatchKind.SEED_HASH),
    ("seed-hash-uppercase", lambda t: t.update(seed_sha256=t["seed_sha256"].upper()),
     MismatchKind.SEED_HASH),
    ("assignment-dropped", drop_assignment(2), MismatchKind.PARTICIPANTS),
    ("assignment-repeated", repeat_assignment(0), MismatchKind.PARTICIPANTS),
    ("assignment-renamed", rename_assignment(1, "Z"), MismatchKind.PARTICIPANTS),
    ("participant-added-and-rehashed", add_participant("D", rehash=True),
     MismatchKind.PARTICIPANTS),
    ("ticket-edited", set_assignment(1, "ticket", "f" * 64), MismatchKind.TICKET),
    ("ticket-uppercase", upper_ticket(2), MismatchKind.TICKET),
    ("numbers-swapped", swap_numbers(0, 1), MismatchKind.NUMBER),
    ("number-set-to-excluded", set_assignment(2, "number", 5), MismatchKind.NUMBER),
    ("exclusion-removed", set_pool([[1, 10]], []), None),
    ("number-one-excluded", set_pool([[1, 10]], [1]), MismatchKind.NUMBER),
    ("pool-too-small", set_pool([[1, 2]], []), MismatchKind.MALFORMED),
    ("pool-missing", drop_field("pool"), MismatchKind.MALFORMED),
    ("excluded-missing", drop_field("pool", "excluded"), MismatchKind.MALFORMED),
    ("range-not-a-pair", set_pool([[1]], []), MismatchKind.MALFORMED),
    ("number-not-a-number", set_assignment(0, "number", "one"), MismatchKind.MALFORMED),
    ("participants-not-a-list", set_field("participants", 7), MismatchKind.MALFORMED),
    ("participant-without-id", lambda t: t["participants"][1].pop("participant_id"),
     MismatchKind.MALFORMED),
    ("seed-missing", drop_field("seed"), MismatchKind.MALFORMED),
    ("duplicate-participant-rehashed", add_participant("A", rehash=True),
     MismatchKind.MALFORMED),
    ("id-with-space-rehashed", add_participant("E ", rehash=True), MismatchKind.MALFORMED),
    ("no-participants", lambda t: t.update(
        participants=[], assignments=[],
        participants_sha256=hashlib.sha256(b"").hexdigest()), MismatchKind.MALFORMED),
]

ARABIC = [
    ("حزب-التقدم", "حزب التقدم"),
    ("تحالف-الأمل", "تحالف الأمل الوطني"),
    ("ائتلاف-دولة-القانون", "ائتلاف دولة القانون"),
    ("مرشح-فرد-١٧", "المرشح الفرد علي حسن"),
    ("كتلة-البناء", "كتلة البناء"),
    ("الحركة-المدنية", "الحركة المدنية الديمقراطية"),
    ("قائمة-بابليون", "حركة بابليون (مكون مسيحي)"),
]

KURDISH = [
    ("پارتی", "پارتی دیموکراتی کوردستان"),
    ("یەکێتی", "یەکێتیی نیشتمانیی کوردستان"),
    ("گۆڕان", "بزووتنەوەی گۆڕان"),
    ("نەوەی-نوێ", "جووڵەی نەوەی نوێ"),
    ("یەکگرتوو", "یەکگرتووی ئیسلامیی کوردستان"),
    ("کۆمەڵ", "کۆمەڵی دادگەریی کوردستان"),
    ("ڕەوتی-ئاشتی", "ڕەوتی ئاشتی"),
    ("لیستی-ئێزیدی", "لیستی پێکهاتەی ئێزیدی"),
]

# Ids whose code-point order differs from UTF-16 code-unit order: astral characters
# (𝔸 U+1D538, emoji) sort after U+E000-U+FFFF by code point but before them by unit.
ASTRAL = [
    ("𝔸", "double-struck A, U+1D538"),
    ("Ａ", "fullwidth A, U+FF21"),
    ("A", "Latin A"),
    ("😀", "emoji, U+1F600"),
    ("\ufb01", "ligature fi, U+FB01"),
    ("\ue000", "private use, U+E000"),
    ("a😀", "a then emoji"),
    ("aＡ", "a then fullwidth A"),
    ("a", "Latin a"),
    ("🇮🇶", "flag of Iraq (two regional indicators)"),
    ("\ufffd", "replacement character, U+FFFD"),
    ("ـ𐎠", "tatweel then Old Persian A, U+103A0"),
]


def numbered(prefix: str, count: int) -> list[tuple[str, str]]:
    return [(f"{prefix}{i:03d}", f"Entity {i}") for i in range(1, count + 1)]


def numbered_plain(prefix: str, count: int) -> list[tuple[str, str]]:
    return [(f"{prefix}{i}", "") for i in range(1, count + 1)]


CASES: list[dict[str, Any]] = [
    {"name": "brief-example",
     "description": "The domain brief's example: A, B, C, seed 1-2-3-4-5, numbers 1-10 "
                    "excluding 5 give B 1, A 2, C 3.",
     "participants": [("A", "حزب ألف"), ("B", "تحالف باء"), ("C", "مرشح جيم")],
     "seed": "1-2-3-4-5", "ranges": [[1, 10]], "excluded": [5],
     "variants": BRIEF_VARIANTS},
    {"name": "arabic",
     "description": "Arabic ids and names; a seed of dice in Arabic-Indic digits.",
     "participants": ARABIC, "seed": "نرد: ٣-١-٦-٤-٢-٥ / بغداد", "ranges": [[1, 30]],
     "excluded": [13],
     "variants": [("ticket-edited", set_assignment(3, "ticket", "0" * 64),
                   MismatchKind.TICKET),
                  ("numbers-swapped", swap_numbers(2, 5), MismatchKind.NUMBER),
                  ("name-changed", lambda t: t["participants"][2].update(name="اسم آخر"),
                   None)]},
    {"name": "kurdish",
     "description": "Central Kurdish ids and names (ڕ ێ ۆ ڵ ە), a Kurdish seed.",
     "participants": KURDISH, "seed": "تیروپشک: ٦-٦-٢-١ هەولێر", "ranges": [[101, 120]],
     "excluded": [],
     "variants": [("assignment-renamed", rename_assignment(0, "پارتی "),
                   MismatchKind.PARTICIPANTS),
                  ("number-changed", set_assignment(4, "number", 120), MismatchKind.NUMBER)]},
    {"name": "nfc-seed",
     "description": "A seed typed decomposed (e + U+0301): its hash is that of the "
                    "composed é, and the transcript keeps the seed as typed.",
     "participants": numbered("P", 6), "seed": "cafe\u0301-6-6-1", "ranges": [[1, 6]],
     "excluded": [],
     "variants": [("seed-composed", set_field("seed", "caf\u00e9-6-6-1"), None),
                  ("seed-accent-dropped", set_field("seed", "cafe-6-6-1"),
                   MismatchKind.SEED_HASH)]},
    {"name": "astral-ids",
     "description": "Ids with astral characters (𝔸, emoji, a flag) beside BMP ones from "
                    "U+E000 up: code-point order is not UTF-16 order.",
     "participants": ASTRAL, "seed": "🎲 4-4-1 🎲", "ranges": [[1, 12]], "excluded": [],
     "variants": [("assignment-dropped", drop_assignment(0), MismatchKind.PARTICIPANTS),
                  ("participant-added", add_participant("𝔹", rehash=False),
                   MismatchKind.PARTICIPANTS_HASH),
                  # The first unknown id by code point is "Ｚ…" (U+FF3A); by UTF-16
                  # code unit it would be "😀…".
                  ("two-assignments-renamed", chain(rename_assignment(0, "😀new"),
                                                    rename_assignment(1, "Ｚnew")),
                   MismatchKind.PARTICIPANTS)]},
    {"name": "prefixes-and-ascii",
     "description": "Ids that are prefixes of one another, digits, case and punctuation.",
     "participants": [(i, "") for i in ("A", "AB", "A B", "a", "B", "Z", "_", "0", "10",
                                        "9", "A-1", "A-10", "A-2", "~")],
     "seed": "seed", "ranges": [[1, 20]], "excluded": [],
     "variants": [("ticket-of-another", lambda t: t["assignments"][0].update(
         ticket=t["assignments"][1]["ticket"]), MismatchKind.TICKET)]},
    {"name": "gaps-and-exclusions",
     "description": "Overlapping, unordered ranges with gaps; exclusions inside and "
                    "outside the pool.",
     "participants": numbered("L", 15), "seed": "gaps|7-7-3",
     "ranges": [[201, 210], [101, 105], [103, 108], [300, 300]],
     "excluded": [104, 202, 999, 56],
     "variants": [("gap-number-used", set_assignment(7, "number", 109),
                   MismatchKind.NUMBER)]},
    {"name": "exact-fit",
     "description": "As many numbers as participants: single numbers as ranges.",
     "participants": numbered("X", 4), "seed": "4", "ranges": [[7, 7], [9, 11]],
     "excluded": [],
     "variants": [("one-number-excluded", set_pool([[7, 7], [9, 11]], [9]),
                   MismatchKind.MALFORMED)]},
    {"name": "single-participant",
     "description": "One participant takes the pool's lowest number.",
     "participants": [("ONLY", "المرشح الوحيد")], "seed": "", "ranges": [[5, 9]],
     "excluded": [5],
     "variants": []},
    {"name": "beacon-seed",
     "description": "A seed of dice and a beacon value, with an Arabic comma and a "
                    "line break.",
     "participants": numbered("E", 25),
     "seed": "dice 2-5-1-6-3-4، beacon 8f2a0c9e4b7d\nround 2",
     "ranges": [[1, 40]], "excluded": [13, 26, 39],
     "variants": [("seed-line-break-dropped",
                   set_field("seed", "dice 2-5-1-6-3-4، beacon 8f2a0c9e4b7d round 2"),
                   MismatchKind.SEED_HASH)]},
    {"name": "mixed-scripts",
     "description": "Entity codes in Latin, Arabic and Kurdish letters, with Arabic-Indic "
                    "digits in ids, drawn from 201 up as in 2025.",
     "participants": [("E-101", "تحالف العزم"), ("E-١٠٢", "تحالف السيادة"),
                      ("ك-٣", "الاتحاد الإسلامي الكردستاني"), ("ع-٤", "حزب الدعوة"),
                      ("E-99", "Independent"), ("e-100", "independent"),
                      ("ێ-١", "لیستی ێ"), ("Ε-1", "Greek capital epsilon")],
     "seed": "2025-08-14 ٦-١-٣", "ranges": [[201, 299]], "excluded": [256],
     "variants": []},
    # The next three are also worked out by hand with printf and sha256sum in
    # docs/lottery-vectors.md, and checked against those literal values in
    # tests/core/test_lottery_hand_vectors.py.
    {"name": "touching-ranges",
     "description": "Touching ranges given out of order (6-10, 1-5) excluding 2: "
                    "every number once, 1 3 4 5 6 7 for six participants.",
     "participants": numbered_plain("E", 6), "seed": "touching",
     "ranges": [[6, 10], [1, 5]], "excluded": [2], "variants": []},
    {"name": "nested-ranges",
     "description": "A range inside another (1-10, 3-4): the pool is 1-10, each number "
                    "once.",
     "participants": numbered_plain("E", 6), "seed": "nested",
     "ranges": [[1, 10], [3, 4]], "excluded": [], "variants": []},
    {"name": "overlapping-ranges",
     "description": "Overlapping ranges (4-8, 1-6) excluding 5: the pool is 1-4 and "
                    "6-8.",
     "participants": numbered_plain("E", 6), "seed": "overlapping",
     "ranges": [[4, 8], [1, 6]], "excluded": [5], "variants": []},
    {"name": "national-2025",
     "description": "2,000 participants numbered from 201 up, leaving out 56 and a few "
                    "numbers in the pool; only hashes and a digest are stored.",
     "participants": [(f"P{i:04d}", "") for i in range(1, 2001)],
     "seed": "IHEC 2025 ballot numbers: 6-2-4-1-5-3-3-6-1-2",
     "ranges": [[201, 2300]], "excluded": [56, 256, 1000, 2020],
     "big": True, "variants": []},
]


def variant(transcript: Transcript, name: str, edit: Edit,
            kind: MismatchKind | None) -> dict[str, Any]:
    edited = copy.deepcopy(transcript)
    edit(edited)
    mismatch = verify(edited)
    got = None if mismatch is None else mismatch.kind
    if got != kind:
        raise SystemExit(f"variant {name}: verify says {got}, the vector wants {kind}")
    described: dict[str, Any] | None = None
    if mismatch is not None:
        described = {"kind": mismatch.kind.value, "participant_id": mismatch.participant_id}
        if mismatch.kind != MismatchKind.MALFORMED:
            # Python's wording of a malformed transcript is its own; the kind is the vector.
            described |= {"expected": mismatch.expected, "found": mismatch.found}
    return {"name": name, "transcript": edited, "mismatch": described}


def vector(case: dict[str, Any]) -> dict[str, Any]:
    participants = [Participant(participant_id=i, name=n) for i, n in case["participants"]]
    pool = NumberPool(ranges=tuple((low, high) for low, high in case["ranges"]),
                      excluded=frozenset(case["excluded"]))
    result = draw(participants, seed=case["seed"], pool=pool)
    transcript = to_transcript(result, drawn_at=DRAWN_AT, drawn_by=DRAWN_BY)
    if verify(transcript) is not None:
        raise SystemExit(f"{case['name']}: the transcript does not verify")
    big = case.get("big", False)
    inputs: dict[str, Any] = {
        "participants": ([i for i, _ in case["participants"]] if big else
                         [{"participant_id": i, "name": n} for i, n in case["participants"]]),
        "seed": case["seed"], "ranges": case["ranges"], "excluded": case["excluded"]}
    expected: dict[str, Any] = {
        "participants_sha256": result.participants_sha256,
        "seed_sha256": result.seed_sha256,
        "pool_size": len(pool.numbers()),
        "assignments_sha256": assignments_digest(transcript["assignments"]),
    }
    if not big:
        expected["assignments"] = transcript["assignments"]
    out: dict[str, Any] = {"name": case["name"], "description": case["description"],
                           "inputs": inputs, "expected": expected}
    if not big:
        out["transcript"] = transcript
        out["variants"] = [variant(transcript, *v) for v in case["variants"]]
    return out


def build() -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "algorithm": "shafaf-lottery/1",
        "transcript_schema": "shafaf-lottery-transcript/1",
        "about": "Test vectors for the ballot-number lottery (docs/lottery.md), made by "
                 "tests/data/make_lottery_vectors.py with Shafaf's Python implementation. "
                 "For a vector without a transcript, build it from the inputs; "
                 "assignments_sha256 is SHA-256 of the lines 'id:number\\n' in ticket order; "
                 "a variant's mismatch is null when it still verifies.",
        "vectors": [vector(case) for case in CASES],
    }


def render() -> str:
    return json.dumps(build(), ensure_ascii=False, indent=1) + "\n"


def main() -> int:
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
