"""Write tests/data/pvt_sample_vectors.json: test vectors for shafaf-sample/1
(docs/pvt-sample.md), for any implementation to reproduce: Shafaf's Python core and the
browser's static/shafaf/pvt_sample.js are both checked against them.

The expected draws come from :func:`reference_draw` below, written from the rules in the
docs alone and sharing no code with ``shafaf.core.pvt_sample`` (it allocates with
``Fraction`` quotas where the core uses whole-number remainders). The smallest vector
is also worked by hand in tests/core/test_pvt_sample.py.

Deterministic: the same code gives the same file, byte for byte (a test checks that the
committed file is what this script writes). Run it from the project root::

    .venv/bin/python tests/data/make_pvt_sample_vectors.py

Each vector has the frame file's text (``frame_csv``, UTF-8; the frame's hash is over
its bytes exactly), the ``seed`` and the ``size``, and what the draw must give
(``expected``: ``frame_sha256``, ``seed_sha256``, ``strata`` and ``stations`` in their
published order).
"""

from __future__ import annotations

import hashlib
import json
import sys
import unicodedata
from fractions import Fraction
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("pvt_sample_vectors.json")
SCHEMA = "shafaf-sample-vectors/1"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def reference_draw(rows: list[tuple[str, str]], seed: str, size: int) -> dict[str, Any]:
    """shafaf-sample/1 from the rules: shares by largest remainder over Fraction quotas
    (equal remainders by stratum name), then each stratum's smallest (ticket, id)."""
    seed_hash = sha(unicodedata.normalize("NFC", seed))
    strata: dict[str, list[str]] = {}
    for ident, stratum in rows:
        strata.setdefault(stratum, []).append(ident)
    total = len(rows)
    quotas = {name: Fraction(size * len(ids), total) for name, ids in strata.items()}
    shares = {name: int(q) for name, q in quotas.items()}  # int() floors a positive Fraction
    order = sorted(strata, key=lambda name: (shares[name] - quotas[name], name))
    for name in order[:size - sum(shares.values())]:
        shares[name] += 1
    stations: list[str] = []
    for name in sorted(strata):
        tickets = sorted((sha(f"{seed_hash},{ident}"), ident) for ident in strata[name])
        stations += [ident for _, ident in tickets[:shares[name]]]
    return {"seed_sha256": seed_hash, "strata": {n: shares[n] for n in sorted(shares)},
            "stations": stations}


def csv_text(rows: list[tuple[str, str]], *, newline: str = "\n", bom: bool = False) -> str:
    lines = ["station_id,stratum", *(f"{ident},{stratum}" for ident, stratum in rows)]
    return ("\ufeff" if bom else "") + newline.join(lines) + newline


# Iraq's eighteen governorates, in Arabic: the default strata.
GOVERNORATES = ("بغداد", "البصرة", "نينوى", "أربيل", "السليمانية", "دهوك", "كركوك", "ديالى",
                "الأنبار", "صلاح الدين", "بابل", "كربلاء", "النجف", "واسط", "ميسان", "ذي قار",
                "المثنى", "القادسية")


def national_rows(per: tuple[int, ...]) -> list[tuple[str, str]]:
    return [(f"{g + 1:02d}-{i + 1:04d}", GOVERNORATES[g])
            for g, count in enumerate(per) for i in range(count)]


SMALL = [("101", "بغداد"), ("102", "بغداد"), ("103", "البصرة"), ("104", "البصرة"),
         ("105", "نينوى")]
# Four strata of 3, 3, 2 and 2 stations, 5 drawn: quotas 1.5, 1.5, 1, 1; the one seat
# left goes to the first by name of the two with a remainder of 1/2.
EVEN_REMAINDERS = [(f"S{i}", s) for i, s in enumerate(["Zakho", "Zakho", "Zakho", "Amara",
                                                     "Amara", "Amara", "Hilla", "Hilla",
                                                     "Kut", "Kut"])]
# Station ids that a sloppy implementation would mistake: spaces inside, Arabic, a comma
# (quoted in the file), and numbers compared as text.
TRICKY = [("9", "A"), ("10", "A"), ("ب-٧", "A"), ("B 2", "B"), ("x,y", "B"), ("100", "B"),
          ("𝔸1", "C"), ("\ue000", "C")]
SEED_COMPOSED = "مفوضية-إ-é"  # U+0625 ALEF WITH HAMZA BELOW, U+00E9
SEED_DECOMPOSED = "مفوضية-\u0627\u0655-e\u0301"  # the same, decomposed


def quoted(rows: list[tuple[str, str]]) -> str:
    def cell(text: str) -> str:
        return f'"{text}"' if "," in text else text
    return "station_id,stratum\r\n" + "".join(f"{cell(i)},{cell(s)}\r\n" for i, s in rows)


def vectors() -> list[dict[str, Any]]:
    national = national_rows((40, 12, 25, 9, 8, 5, 7, 9, 10, 8, 11, 6, 8, 7, 6, 11, 5, 13))
    cases: list[tuple[str, str, str, list[tuple[str, str]], str, int]] = [
        ("small", "five stations in three governorates: worked by hand in the tests",
         csv_text(SMALL), SMALL, "بذرة", 3),
        ("seed-nfc-composed", "an Arabic seed with a hamza below and an accent, composed",
         csv_text(SMALL), SMALL, SEED_COMPOSED, 2),
        ("seed-nfc-decomposed", "the same seed decomposed: the same draw (NFC)",
         csv_text(SMALL), SMALL, SEED_DECOMPOSED, 2),
        ("equal-remainders", "two strata owed 1.5: the seat left goes by name, Amara first",
         csv_text(EVEN_REMAINDERS), EVEN_REMAINDERS, "2025-11-11", 5),
        ("all-equal-remainders", "four strata of one station, two drawn: by name",
         csv_text([("1", "د"), ("2", "ج"), ("3", "ب"), ("4", "أ")]),
         [("1", "د"), ("2", "ج"), ("3", "ب"), ("4", "أ")], "seed", 2),
        ("size-is-frame", "every station drawn",
         csv_text(EVEN_REMAINDERS), EVEN_REMAINDERS, "all", 10),
        ("size-one", "one station: the largest remainder of all strata",
         csv_text(SMALL), SMALL, "1", 1),
        ("tricky-ids", "ids compared as exact text, a quoted comma, CRLF line ends",
         quoted(TRICKY), TRICKY, "ids", 4),
        ("bom-crlf", "a spreadsheet's byte-order mark and CRLF: another frame hash, the "
         "same draw as 'small'", csv_text(SMALL, newline="\r\n", bom=True), SMALL, "بذرة", 3),
        ("national-200", "200 stations in the 18 governorates, 37 drawn",
         csv_text(national), national, "3-5-1|beacon:a1b2", 37),
    ]
    out = []
    for name, about, text, rows, seed, size in cases:
        drawn = reference_draw(rows, seed, size)
        out.append({"name": name, "about": about, "frame_csv": text, "seed": seed,
                    "size": size, "expected": {
                        "frame_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                        **drawn}})
    return out


def document() -> str:
    return json.dumps({
        "schema": SCHEMA,
        "algorithm": "shafaf-sample/1",
        "about": "Test vectors for the public PVT sample (docs/pvt-sample.md), made by "
                 "tests/data/make_pvt_sample_vectors.py from an implementation written "
                 "from the rules alone. frame_sha256 is SHA-256 of frame_csv's UTF-8 "
                 "bytes; strata lists every stratum by name (code point order); stations "
                 "are stratum by stratum, each in ticket order.",
        "vectors": vectors(),
    }, ensure_ascii=False, indent=1) + "\n"


if __name__ == "__main__":
    OUT.write_text(document(), encoding="utf-8")
    sys.stdout.write(f"wrote {OUT}\n")
