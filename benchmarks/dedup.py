"""How well and how fast ``shafaf register dedup`` finds one person entered twice.

What it measures: a synthetic register of N records (tests/register/make_names.py:
families with siblings and twins, about 5% of people entered again with the errors
clerks make) written to a CSV file outside the timed region, then three ways of
finding the duplicates on the same file, each timed from reading the file to the
clusters:

- **splink + Arabic normalisation**: the command's model (shafaf.duplicates);
- **exact on normalised names**: records grouped by the five folded names, sex and
  birth date, nothing probabilistic;
- **splink, raw names**: the same model on the names as typed;
- **splink, streamed (the app's job)**: the names folded row by row into a second
  CSV file that DuckDB reads itself (shafaf.duplicates.model.groups_of_csv, as the
  register's background job does), with ``--memory-limit`` as DuckDB's memory_limit;
- with ``--spark``, **splink on Spark local[2]**: the command's model on Splink's
  Spark backend (``--backend spark``), Java's start-up included.

Each way runs in its own child process; its peak resident memory (the child's
maximum RSS, the parent's pages at the fork included: the "baseline" line) is printed
beside its time.

Precision, recall and F1 are over pairs of records (a cluster of three is three
pairs). Figures are printed, never asserted. Targets (issue 10): 1,000,000 records in
under 3 minutes with F1 ≥ 0.97::

    .venv/bin/python benchmarks/dedup.py                     # 20,000 records (CI)
    .venv/bin/python benchmarks/dedup.py --records 1000000   # the full run
    .venv/bin/python benchmarks/dedup.py --spark             # DuckDB beside Spark
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.register.make_names import make, pairs, write  # noqa: E402

from shafaf.core.name_matching import match_key  # noqa: E402
from shafaf.duplicates import model, records  # noqa: E402
from shafaf.tabular import day  # noqa: E402


def splink(path: Path) -> list[list[str]]:
    with path.open("rb") as stream:
        return model.clusters(records.read(path.name, stream))


def splink_raw(path: Path) -> list[list[str]]:
    with path.open("rb") as stream:
        return model.clusters(records.read(path.name, stream, normalise=False))


def spark(path: Path) -> list[list[str]]:
    with path.open("rb") as stream:
        return model.clusters(records.read(path.name, stream), backend="spark")


def streamed(path: Path, *, memory_limit: str | None) -> list[list[str]]:
    folded = path.with_name("folded.csv")
    with path.open(encoding="utf-8", newline="") as source, \
            folded.open("w", encoding="utf-8", newline="") as out:
        rows = csv.DictReader(source)
        writer = csv.writer(out)
        writer.writerow(records.COLUMNS)
        for row in rows:
            # As the register holds them: names folded, the date ISO, the sex F or M.
            row["birth_date"] = day(row["birth_date"]).isoformat()  # type: ignore[union-attr]
            row["sex"] = records.SEXES[row["sex"]]
            writer.writerow([match_key(row[c]) if c in records.NAMES else row[c]
                             for c in records.COLUMNS])
    try:
        return [list(c.ids) for c in model.groups_of_csv(str(folded),
                                                         memory_limit=memory_limit)]
    finally:
        folded.unlink()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure(way: Callable[[Path], list[list[str]]], path: Path,
             truth: set[tuple[str, str]], out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    start = time.perf_counter()
    found = pairs(way(path))
    seconds = time.perf_counter() - start
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    out.put((seconds, precision, recall, f1, _peak_mb()))


def exact(path: Path) -> list[list[str]]:
    with path.open("rb") as stream:
        columns = records.read(path.name, stream).columns
    keys = ("first_name", "father_name", "grandfather_name", "family_name", "mother_name",
            "sex", "birth_date")
    groups: dict[tuple[str, ...], list[str]] = {}
    for i, voter in enumerate(columns["voter_id"]):
        groups.setdefault(tuple(columns[k][i] for k in keys), []).append(voter)
    return [ids for ids in groups.values() if len(ids) > 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--spark", action="store_true",
                        help="also run the model on Splink's Spark backend (local[2])")
    parser.add_argument("--memory-limit", default="1GB",
                        help="DuckDB's memory_limit for the streamed way (default 1GB)")
    parser.add_argument("--only", default="",
                        help="run only these ways, by the start of their names, separated "
                             "by | (e.g. \"splink +|splink, streamed\")")
    args = parser.parse_args()
    rows, truth = make(args.records, seed=args.seed)
    ways: dict[str, Callable[[Path], list[list[str]]]] = {
        "splink + Arabic normalisation": splink,
        "exact on normalised names": exact,
        "splink, raw names": splink_raw,
        f"splink, streamed ({args.memory_limit})": partial(streamed,
                                                          memory_limit=args.memory_limit),
    }
    if args.spark:
        ways["splink on Spark local[2]"] = spark
    if args.only:
        starts = tuple(part.strip() for part in args.only.split("|"))
        ways = {name: way for name, way in ways.items() if name.startswith(starts)}
    context = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.csv"
        write(path, rows)
        del rows
        print(f"dedup: {path.stat().st_size / 1e6:.1f} MB, {len(truth):,} true pairs "
              f"(threshold {model.THRESHOLD}); baseline {_peak_mb():,.0f} MB resident")
        print(f"{'method':<32}{'records':>10}{'seconds':>9}{'precision':>11}{'recall':>8}"
              f"{'F1':>8}{'peak MB':>9}")
        for name, way in ways.items():
            out = context.Queue()
            child = context.Process(target=_measure, args=(way, path, truth, out))
            child.start()
            seconds, precision, recall, f1, peak = out.get()
            child.join()
            print(f"{name:<32}{args.records:>10,}{seconds:>9.1f}{precision:>11.4f}"
                  f"{recall:>8.4f}{f1:>8.4f}{peak:>9,.0f}", flush=True)


if __name__ == "__main__":
    main()
