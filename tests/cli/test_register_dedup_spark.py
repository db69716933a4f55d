"""``shafaf register dedup --backend spark``: the same model on Splink's Spark backend
(local mode, Java 17) finds the same clusters as on DuckDB, and its JSON output stays
clean of Spark's logging."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.register.make_names import make, pairs, write

SHAFAF = Path(sys.executable).with_name("shafaf")


def test_spark_finds_the_same_clusters_as_duckdb(shafaf, tmp_path):
    assert shutil.which("java"), "Java 17 is installed by scripts/check"
    rows, truth = make(600, seed=11)
    path = tmp_path / "register.csv"
    write(path, rows)
    duckdb = shafaf("register", "dedup", path)
    assert duckdb.status == 0, duckdb.err
    # A separate process, as a user runs it: anything Spark's Java process printed on
    # standard output would break the JSON.
    run = subprocess.run([str(SHAFAF), "register", "dedup", str(path), "--backend", "spark"],
                         capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    spark = json.loads(run.stdout)
    assert spark["clusters"] == duckdb.json()["clusters"]
    assert spark["records"] == duckdb.json()["records"] == len(rows)
    # The clusters are the planted duplicates, not an agreement on nothing.
    assert len(pairs(spark["clusters"]) & truth) >= 0.9 * len(truth) > 0


def test_spark_refuses_a_bad_file_like_duckdb(shafaf, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("voter_id,first_name\n1,علي\n", encoding="utf-8")
    run = shafaf("register", "dedup", path, "--backend", "spark")
    assert run.status == 2
    assert "family_name" in run.err
