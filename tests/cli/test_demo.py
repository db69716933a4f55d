"""``shafaf demo``: the first thing a newcomer runs."""

import csv
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from shafaf.core import laws
from shafaf.core.allocation import Allocation, allocate
from shafaf.core.contest import Contest, ElectoralList, ListId

DOCS = Path(__file__).resolve().parents[2] / "docs" / "demo.md"
ANBAR = Path(__file__).resolve().parents[2] / "src/shafaf/demo_data/gc2023_anbar_final.csv"
# What each row of docs/demo.md's table of stations to look at means.
SHOWN = {"difference": ("audit", "difference"), "quarantine": ("audit", "quarantine"),
         "late": ("adopted", "late")}


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

    # Results: both elections, recorded once.
    assert "Results of gc-2023: 35,560 stations, 71,105 forms" in first
    assert "Results of krg-2024: 160 stations" in first
    assert "Results of gc-2023: already recorded" in second
    assert "Set-up time:" in first
    # The first organisation's PVT sample, drawn once, with Anbar's stations reporting.
    assert "PVT: a sample of 60 stations drawn" in first
    assert "PVT: a sample" not in second
    with sqlite3.connect(tmp_path / "shafaf" / "shafaf.sqlite3") as db:
        _the_results_are_what_the_docs_say(db)

    # Anbar's preliminary results are published once, and anyone re-derives them from
    # the published files with the verifier (the same files the site serves).
    assert "Published preliminary results of gc-2023 IQ-AN" in first
    assert "Published preliminary results" not in second
    out = tmp_path / "published"
    snapshot = subprocess.run([sys.executable, "-m", "shafaf", "results", "snapshot",
                               "--election", "gc-2023", "--out", str(out)],
                              capture_output=True, env=env, check=False, timeout=600)
    assert snapshot.returncode == 0, snapshot.stderr.decode()
    verified = subprocess.run([sys.executable, "-m", "shafaf", "results", "verify", str(out)],
                              capture_output=True, env=env, check=False, timeout=600)
    assert verified.returncode == 0, verified.stdout.decode() + verified.stderr.decode()
    assert "every file and every seat agree (IQ-AN)" in verified.stdout.decode()
    # One vote added to the published files is caught.
    votes = out / "IQ-AN" / "votes.csv"
    lines = votes.read_text(encoding="utf-8").splitlines()
    station, list_id, candidate, count = lines[1].split(",")
    lines[1] = ",".join((station, list_id, candidate, str(int(count) + 1)))
    votes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tampered = subprocess.run([sys.executable, "-m", "shafaf", "results", "verify", str(out)],
                              capture_output=True, env=env, check=False, timeout=600)
    assert tampered.returncode == 1, tampered.stdout.decode() + tampered.stderr.decode()
    assert "votes.csv" in tampered.stdout.decode() + tampered.stderr.decode()


def _the_results_are_what_the_docs_say(db: sqlite3.Connection) -> None:
    assert {code for (code,) in db.execute("SELECT code FROM elections_election")} == {
        "gc-2023", "krg-2024"}
    # Anbar's running totals are the official totals of its seven lists...
    totals = dict(db.execute("""
        SELECT e.code, SUM(t.votes) FROM results_votetotal t
        JOIN entities_nominationlist n ON n.id = t.nomination_id
        JOIN entities_entity e ON e.id = n.entity_id
        JOIN elections_contest c ON c.id = t.contest_id
        JOIN elections_governorate g ON g.id = c.governorate_id
        JOIN elections_election el ON el.id = c.election_id
        WHERE g.code = 'IQ-AN' AND el.code = 'gc-2023' GROUP BY e.code"""))
    official = list(csv.DictReader(ANBAR.read_text(encoding="utf-8").splitlines()))
    assert totals == {f"anbar-{row['list_id'].lower()}": int(row["votes"]) for row in official}
    # ... so the core's allocation from them, as `shafaf allocate` does, gives the
    # official seats.
    law = laws.get("iraq-gc-2023")
    result = allocate(Contest(seats=law.districts["IQ-AN"].general_seats, lists=tuple(
        ElectoralList(list_id=ListId(code), votes=votes) for code, votes in totals.items())),
        rules=law.rules)
    assert isinstance(result, Allocation)
    assert {lst.list_id: lst.seats for lst in result.lists} == {
        f"anbar-{row['list_id'].lower()}": int(row["official_seats"]) for row in official}
    # The stations at the audit centre, in quarantine and late are docs/demo.md's.
    shown = set(db.execute("""
        SELECT el.code, s.code, r.outcome, r.audit_reason FROM results_stationresult r
        JOIN elections_pollingstation s ON s.id = r.station_id
        JOIN elections_contest c ON c.id = r.contest_id
        JOIN elections_election el ON el.id = c.election_id
        WHERE r.outcome != 'adopted' OR r.audit_reason != ''"""))
    documented = set()
    for election, kind, codes in re.findall(
            r"^\| (gc-2023|krg-2024) \| (difference|quarantine|late) \| ([^|]+) \|$",
            DOCS.read_text(encoding="utf-8"), flags=re.MULTILINE):
        documented |= {(election, code.strip(), *SHOWN[kind]) for code in codes.split(",")}
    assert len(documented) == 14 + 14 + 15 + 4 + 4 + 3
    assert shown == documented
    counted, stations = db.execute("""
        SELECT SUM(t.stations_counted), (SELECT COUNT(*) FROM elections_pollingstation)
        FROM results_contesttotal t""").fetchone()
    assert counted == stations - 14 - 14 - 4 - 4
