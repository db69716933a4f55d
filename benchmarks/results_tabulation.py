"""National tabulation from the running totals, on PostgreSQL.

1. The 2023 councils election: N polling stations (default 35,560) spread over the
   governorates in proportion to their general seats, and in each governorate lists
   of 12 candidates in proportion to its seats, so that every station carries its
   governorate's candidates: about 17.6 million candidate-level vote rows at the
   default size. Centres, stations, one adopted form per station and every vote row
   are loaded with ``COPY``; the stations' results and the running totals
   (``VoteTotal``, ``ContestTotal``) are built set-wise (one ``INSERT … SELECT …
   GROUP BY`` each), as adoption would have kept them; then ``ANALYZE``.
2. Times the tabulation of every governorate (``shafaf.results.tabulation.tabulate``:
   the running totals into the core's allocation and report, with the women's quota
   and the component seats), best of 3. Target: under 2 s.
3. Times the floor that running totals avoid: a bare ``SELECT nomination_id,
   candidate_id, SUM(votes) FROM results_formvote GROUP BY …`` over every vote row,
   best of 3, and prints both and their ratio.

    .venv/bin/python benchmarks/results_tabulation.py [--stations 35560]

Needs PostgreSQL: a database of its own (``shafaf_bench_publication_tabulation_<random>``)
on the server of BENCHMARK_DATABASE_URL, dropped at the end. Exits 0 whatever the
timings; 1 only if the tabulation disagrees with the vote rows.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

from bench_database import benchmark_database

SECRET = "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
STATIONS = 35_560
CANDIDATES_PER_LIST = 12
ROWS_TARGET = 17_600_000
CENTRE_SIZE = 8
BATCH_BYTES = 8 << 20


def plan(seats: dict[str, int], stations: int) -> tuple[dict[str, int], dict[str, int]]:
    """Stations and lists per governorate, both in proportion to its general seats,
    with as many lists as make about 17.6 million candidate rows at the national size."""
    total = sum(seats.values())
    per_gov = {code: max(1, round(STATIONS * n / total)) for code, n in seats.items()}
    # rows = sum(stations_g * lists_g * 12), lists_g = factor * seats_g
    weight = sum(per_gov[code] * n * CANDIDATES_PER_LIST for code, n in seats.items())
    factor = ROWS_TARGET / weight
    lists = {code: max(2, round(factor * n)) for code, n in seats.items()}
    scaled = {code: max(1, round(stations * n / total)) for code, n in seats.items()}
    return scaled, lists


def prepare(env: dict[str, str], stations_wanted: int) -> tuple[int, int]:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "shafaf.web.settings.production"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from shafaf.elections import actions
    from shafaf.elections.models import Contest, District, SubDistrict
    from shafaf.entities.models import Candidate, NominationList
    from shafaf.entities.synthetic import create_entities

    call_command("migrate", verbosity=0, interactive=False)
    actions.load_governorates(actor=None)
    election = actions.create_council_election_2023(actor=None)
    contests = {c.governorate.code: c for c in
                Contest.objects.filter(election=election).select_related("governorate")}
    seats = {code: c.general_seats for code, c in contests.items() if c.general_seats}
    per_gov, lists = plan(seats, stations_wanted)
    create_entities(election, lists=lists, candidates_per_list=CANDIDATES_PER_LIST)
    started = time.perf_counter()
    raw = connection.connection  # psycopg's own connection, for COPY
    now = timezone.now()
    with raw.cursor() as cursor:
        subs = {}
        for code in per_gov:
            governorate = contests[code].governorate
            district = District.objects.create(governorate=governorate, code=f"{code}-D",
                                               name_ar="قضاء")
            subs[code] = SubDistrict.objects.create(district=district, code=f"{code}-S",
                                                    name_ar="ناحية")
        with cursor.copy("COPY elections_pollingcentre (election_id, code, name_ar, name_ckb,"
                         " name_en, sub_district_id, governorate_id, kind, address)"
                         " FROM STDIN") as copy:
            for code, count in per_gov.items():
                sub = subs[code]
                for c in range(-(-count // CENTRE_SIZE)):
                    copy.write_row((election.pk, f"{code[3:]}{c:05d}", f"مدرسة {c}", "", "",
                                    sub.pk, contests[code].governorate_id, "general", ""))
        cursor.execute("SELECT p.id, g.code FROM elections_pollingcentre p JOIN"
                       " elections_governorate g ON g.id = p.governorate_id"
                       " WHERE p.election_id = %s ORDER BY p.id", (election.pk,))
        centres: dict[str, list[int]] = {}
        for pk, code in cursor.fetchall():
            centres.setdefault(code, []).append(pk)
        with cursor.copy("COPY elections_pollingstation (centre_id, number, code,"
                         " registered_voters) FROM STDIN") as copy:
            for code, count in per_gov.items():
                for n in range(count):
                    centre = centres[code][n // CENTRE_SIZE]
                    copy.write_row((centre, n % CENTRE_SIZE + 1, f"{centre}-{n:02d}", 600))
        # One adopted manual form per station; its valid ballots are set from its votes.
        cursor.execute(
            "INSERT INTO results_resultform (station_id, contest_id, component, source, state,"
            " registered, voted, ballots_received, ballots_in_box, ballots_spoiled,"
            " ballots_unused, invalid, valid, errors, warnings, created_at)"
            " SELECT s.id, c.id, '', 'manual', 'accepted', 600, 0, 0, 0, 0, 0, 0, 0,"
            " '[]'::jsonb, '[]'::jsonb, %s FROM elections_pollingstation s"
            " JOIN elections_pollingcentre p ON p.id = s.centre_id"
            " JOIN elections_contest c ON c.election_id = p.election_id"
            " AND c.governorate_id = p.governorate_id", (now,))
        cursor.execute("SELECT f.id, f.contest_id FROM results_resultform f ORDER BY f.id")
        forms = cursor.fetchall()
        ballot: dict[int, list[tuple[int, int | None]]] = {}
        for nomination in NominationList.objects.filter(contest__election=election):
            ballot.setdefault(nomination.contest_id, []).append((nomination.pk, None))
        for nomination_id, candidate_id, contest_id in Candidate.objects.filter(
                nomination__contest__election=election).values_list(
                "nomination_id", "pk", "nomination__contest_id"):
            ballot[contest_id].append((nomination_id, candidate_id))
        rows = candidate_rows = 0
        loaded = time.perf_counter()
        # The rows reference forms, lists and candidates just read back: skip the
        # per-row foreign key triggers while copying (the indexes are still kept).
        cursor.execute("SET session_replication_role = replica")
        with cursor.copy("COPY results_formvote (form_id, nomination_id, candidate_id, votes)"
                         " FROM STDIN") as copy:
            buffer: list[str] = []
            size = 0
            for form_id, contest_id in forms:
                for nomination_id, candidate_id in ballot[contest_id]:
                    votes = (form_id * 7919 + (candidate_id or nomination_id) * 104729) % 41
                    line = (f"{form_id}\t{nomination_id}\t"
                            f"{candidate_id if candidate_id else chr(92) + 'N'}\t{votes}\n")
                    buffer.append(line)
                    size += len(line)
                rows += len(ballot[contest_id])
                candidate_rows += sum(1 for _n, c in ballot[contest_id] if c)
                if size > BATCH_BYTES:
                    copy.write("".join(buffer).encode())
                    buffer, size = [], 0
            copy.write("".join(buffer).encode())
        cursor.execute("SET session_replication_role = DEFAULT")
        print(f"Vote rows: {rows:,} ({candidate_rows:,} for candidates, the rest for lists "
              f"alone) over {len(forms):,} stations, copied in "
              f"{time.perf_counter() - loaded:.1f} s", flush=True)
        cursor.execute(
            "UPDATE results_resultform f SET valid = t.total, ballots_in_box = t.total,"
            " voted = t.total, ballots_received = t.total FROM (SELECT form_id,"
            " SUM(votes) AS total FROM results_formvote GROUP BY form_id) t"
            " WHERE t.form_id = f.id")
        cursor.execute(
            "INSERT INTO results_stationresult (station_id, contest_id, component, outcome,"
            " audit_reason, adopted_form_id, board_order, note, updated_at)"
            " SELECT station_id, contest_id, '', 'adopted', '', id, '', '', %s"
            " FROM results_resultform", (now,))
        # The running totals, set-wise: what adoption keeps form by form.
        cursor.execute(
            "INSERT INTO results_votetotal (contest_id, component, nomination_id,"
            " candidate_key, votes) SELECT f.contest_id, '', v.nomination_id,"
            " COALESCE(v.candidate_id, 0), SUM(v.votes) FROM results_formvote v"
            " JOIN results_resultform f ON f.id = v.form_id"
            " GROUP BY f.contest_id, v.nomination_id, COALESCE(v.candidate_id, 0)")
        cursor.execute(
            "INSERT INTO results_contesttotal (contest_id, component, stations_counted,"
            " registered, voted, ballots_in_box, invalid, valid)"
            " SELECT contest_id, '', COUNT(*), SUM(registered), SUM(voted),"
            " SUM(ballots_in_box), SUM(invalid), SUM(valid) FROM results_resultform"
            " GROUP BY contest_id")
        raw.commit()
        cursor.execute("ANALYZE")
    raw.commit()
    print(f"Loaded {len(forms):,} stations in {len(per_gov)} governorates "
          f"({rows:,} vote rows) in {time.perf_counter() - started:.1f} s", flush=True)
    return len(forms), rows


def measure(url: str, stations: int) -> int:
    env = {"DATABASE_URL": url, "SHAFAF_SECRET_KEY": SECRET,
           "SHAFAF_ALLOWED_HOSTS": "127.0.0.1", "SHAFAF_DATA_DIR": tempfile.mkdtemp(
               prefix="shafaf-bench-")}
    prepare(env, stations)
    from django.db import connection

    from shafaf.elections.models import Contest
    from shafaf.results.tabulation import tabulate

    contests = list(Contest.objects.filter(general_seats__gt=0).select_related(
        "election", "governorate").order_by("governorate__code"))
    tabulations = []
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        tabulations = [tabulate(contest, lot_seed="benchmark") for contest in contests]
        best = min(best, time.perf_counter() - started)
    seats = sum(sum(lst["seats"] for lst in t.report["lists"]) for t in tabulations
                if t.report is not None)
    print(f"Tabulation of {len(contests)} governorates from the running totals: "
          f"{best:.3f} s (best of 3; {seats} general seats; target under 2 s)")
    floor = float("inf")
    with connection.cursor() as cursor:
        for _ in range(3):
            started = time.perf_counter()
            cursor.execute("SELECT nomination_id, candidate_id, SUM(votes)"
                           " FROM results_formvote GROUP BY nomination_id, candidate_id")
            summed = cursor.fetchall()
            floor = min(floor, time.perf_counter() - started)
    print(f"Bare SELECT … SUM(votes) … GROUP BY over every vote row: {floor:.3f} s "
          "(best of 3)")
    print(f"Ratio, tabulation / bare sum: {best / floor:.3f}")
    # The totals the tabulation read agree with the rows.
    total_rows = sum(row[2] for row in summed)
    total_tab = sum(sum(t.list_votes.values()) for t in tabulations)
    if total_rows != total_tab:
        print(f"MISMATCH: the vote rows sum to {total_rows:,}, the tabulation to "
              f"{total_tab:,}", file=sys.stderr)
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=STATIONS,
                        help=f"polling stations in the country ({STATIONS:,})")
    args = parser.parse_args()
    with benchmark_database("publication_tabulation") as url:
        return measure(url, args.stations)


if __name__ == "__main__":
    sys.exit(main())
