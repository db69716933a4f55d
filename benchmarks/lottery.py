"""How fast a national ballot-number draw is made and checked, in Python and in the
browser.

What it measures, on 2,000 participants numbered from 201 up, leaving out 56 and a
few numbers of the pool (the size of a national draw; the ``national-2025`` test
vector, tests/data/lottery_vectors.json):

1. **Python draw**: ``shafaf.core.lottery.draw`` (2,000 tickets, the ordering and
   the numbers). Target: under 100 ms.
2. **Python verify**: ``shafaf.core.lottery_transcript.verify`` of that draw's
   transcript (both hashes, the draw redone, every assignment compared). Target:
   under 100 ms.
3. **Browser verify**: ``verifyTranscript`` of static/shafaf/lottery.js (Web Crypto
   SHA-256) on the same transcript, in Debian's Chromium driven by Playwright, timed
   inside the page with ``performance.now()``: from the object, and from the JSON
   text as the page /lottery/verify/ does it (parsing included). Target: under
   100 ms. The browser's ``drawNumbers`` is timed too, for reference.

Python figures are the median of ``--rounds`` runs after one warm-up run; the
browser's are the median of ``--rounds`` runs in one page after two warm-up runs.
The page and the module are served from a temporary directory by Python's
http.server on 127.0.0.1 (a module script needs http, not file://).

Run it from the project root::

    .venv/bin/python benchmarks/lottery.py
    .venv/bin/python benchmarks/lottery.py --rounds 50

Timings are printed against their targets, never asserted: the script exits 0
whatever they are (and when Chromium is missing it says so and measures Python
alone). It exits 1 only if a sanity check fails: a transcript that does not verify,
or a browser that disagrees with Python.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from in_page import in_chromium, line, median_ms, summary
from shafaf.core.lottery import Draw, NumberPool, Participant, draw
from shafaf.core.lottery_transcript import to_transcript, verify

ROOT = Path(__file__).resolve().parents[1]
LOTTERY_JS = ROOT / "src" / "shafaf" / "static" / "shafaf" / "lottery.js"
PARTICIPANTS = 2_000
SEED = "IHEC 2025 ballot numbers: 6-2-4-1-5-3-3-6-1-2"
POOL = NumberPool(ranges=((201, 2300),), excluded=frozenset({56, 256, 1000, 2020}))
TARGET_MS = 100.0

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lottery benchmark</title>
<script type="module">import * as lottery from "./lottery.js"; window.lottery = lottery;
window.ready = true;</script></head><body></body></html>
"""

# Runs in the page: warm-up, then each round timed with performance.now().
MEASURE = """
async ({rounds}) => {
  const {verifyTranscript, drawNumbers} = window.lottery;
  const transcript = window.transcript;
  const text = JSON.stringify(transcript);
  const ids = transcript.participants.map((p) => p.participant_id);
  const {ranges, excluded} = transcript.pool;
  const time = async (work) => {
    for (let i = 0; i < 2; i++) await work();
    const times = [];
    for (let i = 0; i < rounds; i++) {
      const start = performance.now();
      await work();
      times.push(performance.now() - start);
    }
    return times;
  };
  const verdict = await verifyTranscript(transcript);
  const tampered = structuredClone(transcript);
  tampered.assignments[1999].number = tampered.assignments[0].number;
  const caught = await verifyTranscript(tampered);
  return {
    ok: verdict.ok,
    tampered: caught.ok ? null : caught.mismatch.kind,
    verify: await time(() => verifyTranscript(transcript)),
    verify_text: await time(() => verifyTranscript(text)),
    draw: await time(() => drawNumbers(ids, transcript.seed, ranges, excluded)),
    user_agent: navigator.userAgent,
  };
}
"""


def participants() -> list[Participant]:
    return [Participant(participant_id=f"P{i:04d}", name=f"Entity {i}")
            for i in range(1, PARTICIPANTS + 1)]


def browser(transcript: dict[str, Any], rounds: int) -> dict[str, Any] | None:
    def measure(page: Any) -> dict[str, Any]:
        page.evaluate("(t) => { window.transcript = t; }", transcript)
        return dict(page.evaluate(MEASURE, {"rounds": rounds}))

    return in_chromium([LOTTERY_JS], PAGE, measure)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30, help="timed runs (default 30)")
    args = parser.parse_args(argv)

    people = participants()
    result: Draw = draw(people, seed=SEED, pool=POOL)
    transcript = to_transcript(result, drawn_at=None, drawn_by=None)
    if verify(transcript) is not None:
        print("SANITY CHECK FAILED: the transcript does not verify in Python.")
        return 1
    numbers = [a.number for a in result.assignments]
    print(f"Ballot-number lottery, {len(people):,} participants, numbers "
          f"{numbers[0]}..{max(numbers)} (pool of {len(POOL.numbers()):,}, "
          f"{len(json.dumps(transcript, ensure_ascii=False)):,} bytes of transcript), "
          f"{args.rounds} rounds")
    print(f"Python {sys.version.split()[0]}:")
    print(line("draw", median_ms(lambda: draw(people, seed=SEED, pool=POOL), args.rounds),
               TARGET_MS))
    print(line("verify", median_ms(lambda: verify(transcript), args.rounds), TARGET_MS))

    print("Chromium (static/shafaf/lottery.js, Web Crypto), timed in the page:")
    measured = browser(transcript, args.rounds)
    if measured is None:
        return 0
    print(f"  {measured['user_agent']}")
    if not measured["ok"] or measured["tampered"] != "number":
        print(f"SANITY CHECK FAILED: the browser says ok={measured['ok']} of the transcript "
              f"and {measured['tampered']!r} of a tampered copy (Python: ok, 'number').")
        return 1
    print(line("verifyTranscript(object)", summary(measured["verify"]), TARGET_MS))
    print(line("verifyTranscript(JSON text), as the page", summary(measured["verify_text"]),
               TARGET_MS))
    print(line("drawNumbers", summary(measured["draw"]), None))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
