"""How fast the public PVT sample (shafaf-sample/1) is drawn and checked, in Python
and in the browser.

What it measures, on a frame of 35,560 stations in Iraq's 18 governorates (each
governorate's stations in proportion to its seats in the 2021 Council of
Representatives, Baghdad the largest with about 7,500), drawing 1,500 stations:

1. **Python draw**: ``shafaf.core.pvt_sample.draw`` (35,560 tickets, the shares, each
   stratum's smallest tickets). Target: under 200 ms.
2. **Python verify**: ``shafaf.core.pvt_sample.verify`` of the published draw (the draw
   redone, every share and station compared). Target: under 200 ms. Reading and
   hashing the frame file (``shafaf pvt``'s reader) is timed too, for reference.
3. **Browser**: ``drawSample`` and ``verifySample`` of static/shafaf/pvt_sample.js (Web
   Crypto SHA-256) in Debian's Chromium driven by Playwright, timed inside the page
   with ``performance.now()``; and the whole check as the page /pvt/verify/ does it
   (the frame file's bytes read and hashed, the published JSON parsed, the draw
   redone and compared). Target: under 200 ms.

Python figures are the median of ``--rounds`` runs after one warm-up run; the
browser's are the median of ``--rounds`` runs in one page after two warm-up runs.
The page and the modules are served from a temporary directory by Python's
http.server on 127.0.0.1 (a module script needs http, not file://).

Run it from the project root::

    .venv/bin/python benchmarks/pvt_sample.py
    .venv/bin/python benchmarks/pvt_sample.py --rounds 30

Timings are printed against their targets, never asserted: the script exits 0
whatever they are (and when Chromium is missing it says so and measures Python
alone). It exits 1 only if a sanity check fails: a draw that does not verify, a
tampered one that does, or a browser that disagrees with Python.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from in_page import in_chromium, line, median_ms, summary
from shafaf.cli.pvt import read_frame
from shafaf.core.pvt_sample import FrameStation, draw, frame_sha256, to_json, verify

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "src" / "shafaf" / "static" / "shafaf"
STATIONS = 35_560
SIZE = 1_500
SEED = "PVT 2025: 4-1-6-2-5-3|beacon:9f2c61d0"
TARGET_MS = 200.0

# Seats in the 2021 Council of Representatives (general seats), as the weights of the
# governorates' stations.
SEATS = {"بغداد": 69, "نينوى": 34, "البصرة": 25, "ذي قار": 19, "السليمانية": 18,
         "بابل": 17, "أربيل": 16, "الأنبار": 15, "ديالى": 14, "كركوك": 13, "صلاح الدين": 12,
         "النجف": 12, "دهوك": 12, "واسط": 11, "القادسية": 11, "كربلاء": 11, "ميسان": 10,
         "المثنى": 7}

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pvt sample benchmark</title>
<script type="module">import * as pvt from "./pvt_sample.js"; window.pvt = pvt;
window.ready = true;</script></head><body></body></html>
"""

# Runs in the page: warm-up, then each round timed with performance.now().
MEASURE = """
async ({rounds, csv, seed, size, published}) => {
  const pvt = window.pvt;
  const bytes = new TextEncoder().encode(csv);
  const text = JSON.stringify(published);
  const stations = pvt.readFrame(bytes).stations;
  const hash = await pvt.frameSha256(bytes);
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
  const drawn = await pvt.drawSample(stations, seed, size);
  const verdict = await pvt.verifySample(text, stations, seed, hash);
  const tampered = structuredClone(published);
  tampered.stations[1499] = tampered.stations[0];
  const caught = await pvt.verifySample(tampered, stations, seed, hash);
  return {
    same: JSON.parse(pvt.publishedJson(drawn, hash)),
    ok: verdict.mismatch === null,
    tampered: caught.mismatch && caught.mismatch.kind,
    draw: await time(() => pvt.drawSample(stations, seed, size)),
    verify: await time(() => pvt.verifySample(text, stations, seed, hash)),
    page: await time(async () => {
      const frame = pvt.readFrame(bytes);
      const frameHash = await pvt.frameSha256(bytes);
      return pvt.verifySample(text, frame.stations, seed, frameHash);
    }),
    user_agent: navigator.userAgent,
  };
}
"""


def frame_rows() -> list[tuple[str, str]]:
    """35,560 stations, each governorate's count in proportion to its seats (largest
    remainder), ids like the commission's: governorate, centre and station numbers."""
    total = sum(SEATS.values())
    counts = {name: STATIONS * seats // total for name, seats in SEATS.items()}
    by_remainder = sorted(SEATS, key=lambda name: -(STATIONS * SEATS[name] % total))
    for name in by_remainder[:STATIONS - sum(counts.values())]:
        counts[name] += 1
    rows = []
    for g, (name, count) in enumerate(counts.items(), start=1):
        rows += [(f"{g:02d}{i // 8 + 1:04d}-{i % 8 + 1}", name) for i in range(count)]
    return rows


def browser(csv: str, published: dict[str, Any], rounds: int) -> dict[str, Any] | None:
    def measure(page: Any) -> dict[str, Any]:
        return dict(page.evaluate(MEASURE, {
            "rounds": rounds, "csv": csv, "seed": SEED, "size": SIZE,
            "published": published}))

    return in_chromium([STATIC / "pvt_sample.js", STATIC / "lottery.js"], PAGE, measure)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="timed runs (default 15)")
    args = parser.parse_args(argv)

    rows = frame_rows()
    csv = "station_id,stratum\n" + "".join(f"{i},{s}\n" for i, s in rows)
    frame = [FrameStation(station_id=i, stratum=s) for i, s in rows]
    frame_hash = frame_sha256(csv.encode("utf-8"))
    published = to_json(draw(frame, seed=SEED, size=SIZE), frame_hash=frame_hash)
    if verify(published, frame=frame, seed=SEED, frame_hash=frame_hash) is not None:
        print("SANITY CHECK FAILED: the draw does not verify in Python.")
        return 1
    print(f"PVT sample (shafaf-sample/1): {SIZE:,} of {len(frame):,} stations in "
          f"{len(SEATS)} governorates ({len(csv.encode('utf-8')):,} bytes of frame file), "
          f"{args.rounds} rounds")
    print(f"Python {sys.version.split()[0]}:")
    print(line("draw", median_ms(lambda: draw(frame, seed=SEED, size=SIZE), args.rounds),
               TARGET_MS))
    print(line("verify", median_ms(lambda: verify(published, frame=frame, seed=SEED,
                                                  frame_hash=frame_hash), args.rounds),
               TARGET_MS))
    with tempfile.TemporaryDirectory(prefix="shafaf-pvt-bench-") as tmp:
        path = Path(tmp) / "frame.csv"
        path.write_text(csv, encoding="utf-8")
        print(line("read and hash the frame file (CSV)",
                   median_ms(lambda: read_frame(path), args.rounds), None))

    print("Chromium (static/shafaf/pvt_sample.js, Web Crypto), timed in the page:")
    measured = browser(csv, published, args.rounds)
    if measured is None:
        return 0
    print(f"  {measured['user_agent']}")
    if measured["same"] != published or not measured["ok"] \
            or measured["tampered"] != "stations":
        print("SANITY CHECK FAILED: the browser's draw differs from Python's, or its verify "
              f"says ok={measured['ok']} of the draw and {measured['tampered']!r} of a "
              "tampered copy (Python: ok, 'stations').")
        return 1
    print(line("drawSample", summary(measured["draw"]), TARGET_MS))
    print(line("verifySample (JSON text)", summary(measured["verify"]), TARGET_MS))
    print(line("as the page: read, hash, verify", summary(measured["page"]), TARGET_MS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
