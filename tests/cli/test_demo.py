"""``shafaf demo``: the first thing a newcomer runs."""

import os
import sqlite3
import subprocess
import sys


def test_demo_anbar_reproduces_the_official_seats_and_says_so(shafaf):
    run = shafaf("demo", "--anbar")
    assert run.status == 0
    assert "Anbar 2023: 7 of 7 lists match the official seats." in run.out
    assert "تحالف الأنبار المتحد" in run.out
    assert "Quotient table" in run.out


def test_demo_sets_up_the_embedded_database_once(tmp_path):
    """Run as a user would, twice, in a fresh data directory: the second run adds nothing."""
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": ""}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE")
    runs = [subprocess.run([sys.executable, "-m", "shafaf", "demo", "--no-serve"],
                           capture_output=True, env=env, check=False, timeout=600)
            for _ in range(2)]
    for done in runs:
        assert done.returncode == 0, done.stderr.decode()
    first, second = (done.stdout.decode() for done in runs)
    assert (tmp_path / "shafaf" / "shafaf.sqlite3").exists()
    assert "Anbar 2023: 7 of 7 lists match" in first
    assert "35,560" in first
    assert "kirkuk.manager" in first
    assert "http://127.0.0.1:8000/" in first
    assert "created 0" in second or "no change" in second.lower()
    # The entities are numbered by a real, published draw, once.
    standing = [line for line in first.splitlines() if "synthetic entities" in line]
    assert standing
    assert standing == [line for line in second.splitlines() if "synthetic entities" in line]
    with sqlite3.connect(tmp_path / "shafaf" / "shafaf.sqlite3") as db:
        statuses = db.execute("SELECT status FROM entities_lotterydraw").fetchall()
        numbered = db.execute("SELECT COUNT(*) FROM entities_entity "
                              "WHERE ballot_number >= 201").fetchone()[0]
    assert statuses == [("published",)]
    assert str(numbered) in standing[0]
