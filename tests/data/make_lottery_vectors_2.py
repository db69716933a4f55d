"""Write tests/data/lottery_vectors_2.json: test vectors for transcripts
``shafaf-lottery-transcript/2``, made with the Python implementation, for the browser's
(static/shafaf/lottery.js, checked in tests/browser/test_lottery_verifier.py) and any
other to reproduce.

Deterministic: the same code gives the same file, byte for byte (a test checks that the
committed file is what this script writes). Run it from the project root::

    .venv/bin/python tests/data/make_lottery_vectors_2.py

Each vector is a full transcript /2 (a ceremony's, with committed, revealed and withheld
parts and a beacon, or a draw from a given seed, without a ceremony), the canonical JSON
its ``transcript_sha256`` hashes, and ``variants``: transcripts edited by hand, each with
what ``verify`` must say of it (null when it still verifies, else the mismatch kind and,
for kinds other than ``malformed``, the participant, the expected and the found values).
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shafaf.core.lottery import Participant, build_seed, draw, parse_pool, seed_part_commitment
from shafaf.core.lottery_transcript import (
    CeremonyRecord,
    SeedPartRecord,
    canonical_json,
    to_transcript,
    transcript_sha256,
    verify,
)

OUT = Path(__file__).with_name("lottery_vectors_2.json")
SCHEMA = "shafaf-lottery-vectors-2/1"

Transcript = dict[str, Any]
Edit = Callable[[Transcript], None]


def part(value: str | None, nonce: str, who: str, capacity: str, committed: str,
         *, withheld_value: str = "9") -> SeedPartRecord:
    """A part; ``value`` None is withheld (committed to ``withheld_value``)."""
    return SeedPartRecord(
        commitment=seed_part_commitment(value if value is not None else withheld_value, nonce),
        contributor=who, capacity=capacity, committed_at=committed, value=value,
        nonce=nonce if value is not None else None,
        revealed_at=None if value is None else "2025-08-14T09:20:00+00:00")


CEREMONY = CeremonyRecord(
    seed_parts=(
        part("6-2-4", "3f1c0a9be27d45e8a1b2c3d4e5f60718", "agent-taqaddum", "agent:taqaddum",
             "2025-08-14T09:01:00+00:00"),
        part("1-5-3", "observer secret: شمس 2025", "observer-shams", "observer",
             "2025-08-14T09:02:00+00:00"),
        part(None, "a secret never revealed 0123", "agent-other", "agent:other",
             "2025-08-14T09:03:00+00:00"),
        part("4", "0123456789abcdef", "admin", "admin", "2025-08-14T09:04:00+00:00"),
    ),
    beacon="NIST randomness beacon 2.0, chain 2, first pulse after 09:30 UTC",
    beacon_value="5f0c9a" * 8,
)
PARTICIPANTS = [("taqaddum", "حزب تقدم"), ("other", "تحالف \"الأمل\"\\n"),
                ("ind-😀", "مرشح فرد 😀"), ("zz\u00e9", "Zoë \t tab")]


def ceremony_transcript() -> Transcript:
    revealed = [p.value for p in CEREMONY.seed_parts if p.value is not None]
    seed = build_seed(revealed, CEREMONY.beacon_value)
    result = draw([Participant(participant_id=i, name=n) for i, n in PARTICIPANTS], seed=seed,
                  pool=parse_pool("201-210", "203,256"))
    return to_transcript(result, drawn_at="2025-08-14T09:31:07.123456+00:00", drawn_by="admin",
                         ceremony=CEREMONY, election="gc-2025")


def seed_transcript() -> Transcript:
    result = draw([Participant(participant_id=i, name=n) for i, n in
                   (("A", "حزب ألف"), ("B", "تحالف باء"), ("C", "مرشح جيم"))],
                  seed="1-2-3-4-5", pool=parse_pool("1-10", "5"))
    return to_transcript(result, drawn_at=None, drawn_by="Board")


# --- Edits -------------------------------------------------------------------------------

def rehash(t: Transcript) -> None:
    t["transcript_sha256"] = transcript_sha256(t)


def both(*edits: Edit) -> Edit:
    def edit(t: Transcript) -> None:
        for one in edits:
            one(t)
    return edit


def setter(*path: Any, value: Any) -> Edit:
    def edit(t: Transcript) -> None:
        node = t
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return edit


def swap_numbers(t: Transcript) -> None:
    a, b = t["assignments"][0], t["assignments"][1]
    a["number"], b["number"] = b["number"], a["number"]


def exclude_beyond(t: Transcript) -> None:
    t["pool"]["excluded"] = [*t["pool"]["excluded"], 210]
    t["pool"]["size"] -= 1


def reveal_other_value(t: Transcript) -> None:
    p = t["ceremony"]["seed_parts"][0]
    p["value"] = "6-2-5"
    p["commitment"] = seed_part_commitment("6-2-5", p["nonce"])


def unwithhold(t: Transcript) -> None:
    p = t["ceremony"]["seed_parts"][2]
    p["withheld"] = False


COMMON: list[tuple[str, Edit]] = [
    ("keys-reordered", lambda t: t.update(dict(reversed(list(t.items()))))),
    ("name-changed", setter("participants", 0, "name", value="another name")),
    ("drawn-at-changed", setter("drawn_at", value="2025-08-15T09:31:07+00:00")),
    ("drawn-by-changed", setter("drawn_by", value="someone else")),
    ("exclusion-beyond-the-numbers-used", exclude_beyond),
    ("schema-relabelled-1", setter("schema", value="shafaf-lottery-transcript/1")),
    ("hash-uppercase", lambda t: t.update(transcript_sha256=t["transcript_sha256"].upper())),
    ("hash-dropped-schema-kept", lambda t: t.pop("transcript_sha256")),
    ("name-changed-and-rehashed", both(setter("participants", 0, "name", value="x"), rehash)),
    ("pool-size-wrong", setter("pool", "size", value=99)),
    ("numbers-swapped", swap_numbers),
    ("number-a-fraction", setter("assignments", 0, "number", value=201.5)),
    ("number-beyond-2-53", setter("drawn_by", value=2**53)),
    ("seed-changed", setter("seed", value="1-2-3")),
]
CEREMONY_ONLY: list[tuple[str, Edit]] = [
    ("reveal-does-not-match", setter("ceremony", "seed_parts", 1, "value", value="1-5-4")),
    ("reveal-and-commitment-changed", reveal_other_value),
    ("withheld-flag-wrong", unwithhold),
    ("beacon-value-changed", setter("ceremony", "beacon_value", value="0" * 48)),
    ("position-wrong", setter("ceremony", "seed_parts", 0, "position", value=2)),
    ("contributor-changed", setter("ceremony", "seed_parts", 0, "contributor",
                                   value="mallory")),
]


def expectation(t: Transcript) -> dict[str, Any] | None:
    mismatch = verify(t)
    if mismatch is None:
        return None
    out: dict[str, Any] = {"kind": mismatch.kind.value, "participant_id": mismatch.participant_id}
    if mismatch.kind.value != "malformed":
        out |= {"expected": mismatch.expected, "found": mismatch.found}
    return out


def vector(name: str, about: str, transcript: Transcript,
           edits: list[tuple[str, Edit]]) -> dict[str, Any]:
    assert verify(transcript) is None
    body = {k: v for k, v in transcript.items() if k != "transcript_sha256"}
    variants = []
    for variant, edit in edits:
        edited = copy.deepcopy(transcript)
        edit(edited)
        variants.append({"name": variant, "transcript": edited, "mismatch": expectation(edited)})
    return {"name": name, "about": about, "transcript": transcript,
            "canonical_json": canonical_json(body).decode("utf-8"), "variants": variants}


def build() -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "transcript_schema": "shafaf-lottery-transcript/2",
        "about": "Transcripts /2 and edited copies, with what verify must say of each "
                 "(tests/data/make_lottery_vectors_2.py; docs/lottery.md).",
        "vectors": [
            vector("ceremony", "A ceremony: four parts committed, one withheld, a beacon; "
                   "names with quotes, a newline escape, a tab, an emoji, an accent.",
                   ceremony_transcript(), COMMON + CEREMONY_ONLY),
            vector("given-seed", "A draw from a given seed (shafaf lottery draw): no "
                   "ceremony.", seed_transcript(), COMMON),
        ],
    }


def text() -> str:
    return json.dumps(build(), ensure_ascii=False, indent=1) + "\n"


if __name__ == "__main__":
    OUT.write_text(text(), encoding="utf-8")
    sys.stdout.write(f"wrote {OUT}\n")
