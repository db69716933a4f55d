"""How fast the tabular reader reads a register-sized file, and in how much memory.

What it measures: ``shafaf.tabular.read_table`` over a generated CSV of voter-like
rows (an id, a four-part Arabic name, a date of birth, a centre code), every row read
and its values looked at, as a check would; and the refusal of the same file under
a limit of 100,000 rows, which must stop at once. The file is written to a temporary
directory first (outside the timed region) and read from disk as a stream.

Run it from the project root::

    .venv/bin/python benchmarks/tabular.py            # 1,000,000 rows
    .venv/bin/python benchmarks/tabular.py --rows 16000000

Rows per second (timed without tracemalloc, which slows Python several times) and
the peak of Python's memory (a second, traced pass) are printed, never asserted;
the peak must not grow with the file (a national register is 16 million rows:
docs/decisions/0010-tabular-reader.md). On the development machine, shared and
loaded: about 550,000 rows a second, a peak of 0.5 MB whatever the file's size.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from pathlib import Path

from shafaf import tabular

COLUMNS = ("voter_id", "name_ar", "date_of_birth", "centre_code")


def write(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(COLUMNS) + "\n")
        for start in range(0, rows, 100_000):
            out.write("".join(
                f"{n:012d},محمد علي حسين جاسم,{1 + n % 28}/{1 + n % 12}/19{50 + n % 50},"
                f"KI{n % 9999:04d}\n" for n in range(start, min(start + 100_000, rows))))


def measure(path: Path, limit: int, *, traced: bool) -> tuple[int, float, int, bool]:
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    read, refused = 0, False
    try:
        with path.open("rb") as stream:
            table = tabular.read_table(name=path.name, content=stream, required=COLUMNS,
                                       limit=limit)
            for row in table.rows:
                read += bool(row["voter_id"])
    except tabular.ImportRejected:
        refused = True
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory() if traced else (0, 0)
    tracemalloc.stop()
    return read, elapsed, peak, refused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "register.csv"
        write(path, args.rows)
        size = path.stat().st_size / 1e6
        for label, limit in (("whole file", args.rows), ("limit 100,000", 100_000)):
            read, elapsed, _peak, refused = measure(path, limit, traced=False)
            *_counts, peak, _refused = measure(path, limit, traced=True)
            print(f"{label:>14}: {read:,} of {args.rows:,} rows ({size:,.0f} MB) in "
                  f"{elapsed:.2f} s, {read / elapsed:,.0f} rows/s, peak memory "
                  f"{peak / 1e6:.1f} MB{', refused' if refused else ''}")


if __name__ == "__main__":
    main()
