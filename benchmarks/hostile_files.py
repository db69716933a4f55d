"""How fast, and in how much memory, the tabular reader refuses files made to exhaust it.

What it measures: each hostile file of tests/tabular/hostile.py (built small, in a
temporary directory, outside the timed region) read by ``shafaf.tabular.read_table``
in a fresh process, with the candidate list's row limit (2,000) or the station
import's (200,000): the seconds until it is refused and the peak resident memory of
that process (``ru_maxrss``, which includes Python and openpyxl, about 30 MB). Then
the issue's other case: a CSV of a million junk rows checked as a stations file,
every problem written to a problems file while the first thousand are kept.

Target (issue 9): the issue's XLSX, two million rows in under 300 KB, refused within
20 s and 600 MB; every other bomb likewise. Figures are printed, never asserted.

Run it from the project root::

    .venv/bin/python benchmarks/hostile_files.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS, TARGET_MB = 20.0, 600.0
MEASURE = "--measure"


def build(directory: Path) -> list[tuple[str, Path, int]]:
    """The hostile files: (what, path, row limit)."""
    sys.path.insert(0, str(ROOT))
    from tests.tabular import hostile

    files = {
        "issue's XLSX, 2M rows, dimension A1:B2": ("bomb.xlsx", hostile.two_million_rows()),
        "same, without a dimension": ("nodim.xlsx", hostile.two_million_rows(dimension=None)),
        "one cell of 1 GB (zip bomb)": ("cell.xlsx", hostile.one_huge_cell(1024)),
        "10M shared strings": ("strings.xlsx", hostile.shared_strings(10_000_000)),
        "a row of 10M cells": ("wide.xlsx", hostile.wide_row(10_000_000)),
        "a cell in column XFD": ("far.xlsx", hostile.far_cell()),
        "gzip bomb, 1 GB": ("bomb.csv.gz", hostile.gzip_bomb(1024)),
        "gzip of 1 GB of newlines": ("lines.csv.gz", hostile.gzip_bomb(1024, b"\n")),
    }
    built = []
    for what, (name, content) in files.items():
        path = directory / name
        path.write_bytes(content)
        for limit in (2000, 200_000):
            built.append((what, path, limit))
    line = directory / "line.csv"
    with line.open("wb") as out:
        for chunk in hostile.endless_line(100):
            out.write(chunk)
    built += [("a 100 MB CSV line", line, 2000)]
    return built


def measure(path: Path, limit: int, ratio: bool) -> dict[str, object]:
    """In a process of its own: read the file, report the refusal. Without the
    ``ratio`` check, a bomb meets the bounds behind it (sizes, rows, the meters)."""
    import resource

    from shafaf import tabular
    from shafaf.tabular import bounds

    if not ratio:
        bounds.RATIO_LIMIT = 10**12

    started = time.perf_counter()
    reason = "read whole"
    try:
        with path.open("rb") as stream:
            table = tabular.read_table(name=path.name, content=stream, required=("position",),
                                       limit=limit)
            for _row in table.rows:
                pass
            table.problems.raise_if_any()
    except tabular.ImportRejected as rejected:
        reason = rejected.problems[0].reason
    return {"seconds": time.perf_counter() - started, "reason": reason,
            "mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def junk_stations(directory: Path) -> dict[str, object]:
    """A million junk rows (about 10 MB) checked as a stations file, every problem
    recorded to a file: in a process of its own."""
    import resource

    from django.conf import settings

    settings.configure(USE_I18N=False)
    from shafaf import tabular
    from shafaf.elections import imports

    source = directory / "junk.csv"
    with source.open("w", encoding="utf-8") as out:
        out.write(",".join(imports.STATIONS_REQUIRED) + "\n")
        out.writelines(f"C{n},x,S,y,-1\n" for n in range(1_000_000))
    started = time.perf_counter()
    with (directory / "problems.csv").open("w", encoding="utf-8") as out:
        writer = tabular.ProblemsCsv(out)
        try:
            with tabular.recording(writer), source.open("rb") as stream:
                table = tabular.read_table(name="junk.csv", content=stream,
                                           required=imports.STATIONS_REQUIRED,
                                           limit=imports.ROWS_LIMIT)
                imports.check_stations(table, sub_district_governorates={}, governorates={},
                                       contested=frozenset(), scope=None,
                                       centre_governorates={})
        except tabular.ImportRejected as rejected:
            listed = len(rejected.problems)
    return {"seconds": time.perf_counter() - started, "listed": listed, "written": writer.count,
            "file_mb": (directory / "problems.csv").stat().st_size / 1e6,
            "source_mb": source.stat().st_size / 1e6,
            "mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def child(*args: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, __file__, MEASURE, *args],  # noqa: S603
                          check=True, capture_output=True, text=True, cwd=ROOT)
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def main() -> int:
    if sys.argv[1:2] == [MEASURE]:
        if sys.argv[2] == "junk":
            print(json.dumps(junk_stations(Path(sys.argv[3]))))
        else:
            print(json.dumps(measure(Path(sys.argv[2]), int(sys.argv[3]),
                                     sys.argv[4] == "ratio")))
        return 0
    print(f"Hostile files; target: refused within {TARGET_SECONDS:.0f} s and {TARGET_MB:.0f} MB")
    print("(ratio off: the compression-ratio check disabled, to measure the bounds behind it)")
    print(f"{'file':<40} {'on disk':>9} {'limit':>8} {'ratio':>5} {'seconds':>8} {'peak MB':>8}"
          "  reason")
    with tempfile.TemporaryDirectory(prefix="shafaf-hostile-") as directory:
        for what, path, limit in build(Path(directory)):
            for ratio in ("ratio", "off"):
                result = child(str(path), str(limit), ratio)
                seconds, mb = float(str(result["seconds"])), float(str(result["mb"]))
                verdict = "" if seconds < TARGET_SECONDS and mb < TARGET_MB else "  MISSES"
                print(f"{what:<40} {path.stat().st_size / 1024:>7,.0f} K {limit:>8,} "
                      f"{'on' if ratio == 'ratio' else 'off':>5} {seconds:>8.2f} {mb:>8.0f}  "
                      f"{result['reason']}{verdict}")
        junk = child("junk", directory)
        print(f"\nA CSV of a million junk rows ({float(str(junk['source_mb'])):.0f} MB) checked as "
              f"stations (refused at their 200,000-row limit): "
              f"{float(str(junk['seconds'])):.1f} s, peak {float(str(junk['mb'])):.0f} "
              f"MB; {junk['listed']:,} problems listed, {junk['written']:,} written to the "
              f"problems file ({float(str(junk['file_mb'])):.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
