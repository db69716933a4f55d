"""How well and how fast ``shafaf register dedup`` finds one person entered twice.

What it measures: a synthetic register of N records (tests/register/make_names.py:
families with siblings and twins, about 5% of people entered again with the errors
clerks make) written to a CSV file outside the timed region, then three ways of
finding the duplicates on the same file, each timed from reading the file to the
clusters:

- **splink + Arabic normalisation**: the command's model (shafaf.duplicates);
- **exact on normalised names**: records grouped by the five folded names, sex and
  birth date, nothing probabilistic;
- **splink, raw names**: the same model on the names as typed.

Precision, recall and F1 are over pairs of records (a cluster of three is three
pairs). Figures are printed, never asserted. Targets (issue 10): 1,000,000 records in
under 3 minutes with F1 ≥ 0.97::

    .venv/bin/python benchmarks/dedup.py                     # 20,000 records (CI)
    .venv/bin/python benchmarks/dedup.py --records 1000000   # the full run
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.register.make_names import make, pairs, write  # noqa: E402

from shafaf.duplicates import model, records  # noqa: E402


def splink(path: Path) -> list[list[str]]:
    with path.open("rb") as stream:
        return model.clusters(records.read(path.name, stream))


def splink_raw(path: Path) -> list[list[str]]:
    with path.open("rb") as stream:
        return model.clusters(records.read(path.name, stream, normalise=False))


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
    args = parser.parse_args()
    rows, truth = make(args.records, seed=args.seed)
    ways: dict[str, Callable[[Path], list[list[str]]]] = {
        "splink + Arabic normalisation": splink,
        "exact on normalised names": exact,
        "splink, raw names": splink_raw,
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.csv"
        write(path, rows)
        del rows
        print(f"dedup: {path.stat().st_size / 1e6:.1f} MB, {len(truth):,} true pairs "
              f"(threshold {model.THRESHOLD})")
        print(f"{'method':<32}{'records':>10}{'seconds':>9}{'precision':>11}{'recall':>8}"
              f"{'F1':>8}")
        for name, way in ways.items():
            start = time.perf_counter()
            found = pairs(way(path))
            seconds = time.perf_counter() - start
            hits = len(found & truth)
            precision = hits / len(found) if found else 0.0
            recall = hits / len(truth) if truth else 0.0
            f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
            print(f"{name:<32}{args.records:>10,}{seconds:>9.1f}{precision:>11.4f}"
                  f"{recall:>8.4f}{f1:>8.4f}", flush=True)


if __name__ == "__main__":
    main()
