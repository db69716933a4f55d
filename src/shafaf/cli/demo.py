"""``shafaf demo``: set up the demo on the embedded database and serve it.

It first checks the allocation core against Anbar's official 2023 seats, then
creates (or updates) the SQLite database in the data directory: the 2023
governorate-council election, a synthetic but realistic set of districts,
polling centres and stations (real totals, clearly labelled synthetic) and one
demo user per role. Running it again duplicates nothing.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import time
from collections.abc import Sequence
from importlib import resources
from typing import Any

from shafaf.cli.allocate import print_report
from shafaf.cli.table import render
from shafaf.core import laws
from shafaf.core.allocation import Allocation, allocate
from shafaf.core.contest import Contest, ElectoralList, ListId

DATA = "demo_data/gc2023_anbar_final.csv"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo", help="set up the demo (SQLite, 2023 election, synthetic stations) and serve it",
        description="Set up Shafaf's demo on its embedded database and serve it on 127.0.0.1. "
                    "Running it twice duplicates nothing.",
    )
    parser.add_argument("--port", type=int, default=8000, help="port to serve on (8000)")
    parser.add_argument("--no-serve", action="store_true", help="set up, then stop")
    parser.add_argument("--anbar", action="store_true",
                        help="only print the Anbar 2023 allocation against the official seats")
    parser.set_defaults(run=run)


def anbar_check(*, full: bool) -> bool:
    """Allocate Anbar 2023 from its final results; True if it matches the official seats."""
    text = resources.files("shafaf").joinpath(DATA).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    law = laws.get("iraq-gc-2023")
    district = law.districts["IQ-AN"]
    contest = Contest(
        seats=district.general_seats,
        lists=tuple(ElectoralList(list_id=ListId(r["list_id"]), votes=int(r["votes"]))
                    for r in rows),
    )
    result = allocate(contest, rules=law.rules)
    if not isinstance(result, Allocation):  # the official figures hold no tie
        return False
    computed = {lst.list_id: lst.seats for lst in result.lists}
    matches = sum(computed[ListId(r["list_id"])] == int(r["official_seats"]) for r in rows)
    if full:
        print_report(result, law=law, district=district,
                     names={r["list_id"]: r["name_ar"] for r in rows}, fmt="text")
        table = [[r["list_id"], f"{int(r['votes']):,}", str(computed[ListId(r["list_id"])]),
                  r["official_seats"],
                  "yes" if computed[ListId(r["list_id"])] == int(r["official_seats"]) else "NO",
                  r["name"], r["name_ar"]] for r in rows]
        print("\nComparison with the official 2023 seats (IHEC final results, 28 December 2023)")
        print(render(["List", "Votes", "Computed", "Official", "Match", "Name", "الاسم"], table,
                     numeric=[False, True, True, True]))
    verdict = "match" if matches == len(rows) else "DIFFER"
    print(f"Anbar 2023: {matches} of {len(rows)} lists {verdict} the official seats.")
    return matches == len(rows)


# The update campaign's synthetic requests: enough for its charts to show days and
# governorates, few enough to cost the set-up a second or two.
DEMO_REQUESTS = 2_000


def run(args: argparse.Namespace) -> int:
    if not anbar_check(full=args.anbar):
        return 1
    if args.anbar:
        return 0
    from shafaf.cli.web import migrate, serve, setup_django

    setup_django("development")
    from django.conf import settings

    from shafaf.accounts.demo import DEMO_PASSWORD, ensure_demo_users
    from shafaf.elections import actions
    from shafaf.elections.demo_stations import load_demo_stations

    started, cpu = time.perf_counter(), time.process_time()
    print(f"Data directory: {settings.DATA_DIR}")
    migrate()
    actions.load_governorates(actor=None)
    election = actions.create_council_election_2023(actor=None)
    summary = load_demo_stations(election=election, progress=sys.stdout.isatty())
    print(summary)
    users = ensure_demo_users()
    from shafaf.entities.demo import demo_actors, load_demo_entities

    actors = demo_actors()
    standing = load_demo_entities(election=election, admin=actors["admin"],
                                  board=actors["commissioner"], agent=actors["agent"])
    print(f"{standing} synthetic entities, numbered by a published ballot-number draw")
    from shafaf.register.demo import create_register

    register = create_register(election)
    print(register)
    for number, year, centre, station in register.showcase:
        print(f"  where do I vote: {number} born {year} -> centre {centre}, station {station}")
    from shafaf.register.campaign_demo import create_requests
    from shafaf.register.models import CampaignRequest

    if not CampaignRequest.objects.filter(election=election).exists():  # once only
        made = create_requests(election, DEMO_REQUESTS)
        print(f"{made:,} synthetic requests of the update campaign (figures at /register/"
              "campaign/), and a registration centre in each governorate")
    from shafaf.register.demo_duplicates import plant_duplicates

    detection = plant_duplicates(election)
    if detection is not None:
        print(f"Planted duplicates in Kirkuk's register: {detection}")
    results = load_demo_results(election)
    from shafaf.observation.demo import load as load_observation

    observation = load_observation(election)
    print(observation or "Observation: already set up")
    if observation is not None:
        results += observation.lines
    results += load_posted_forms(election)
    results += load_pvt(election)
    print(f"Set-up time: {time.perf_counter() - started:.1f} s "
          f"({time.process_time() - cpu:.1f} s of processor time)")
    url = f"http://127.0.0.1:{args.port}/"
    print(f"\nShafaf demo: {url}  (staff area: {url}staff/)")
    print(f"Demo users, password {DEMO_PASSWORD!r}:")
    for username, role, governorate in users:
        print(f"  {username:<16} {role.label}" + (f" ({governorate})" if governorate else ""))
    for line in results:
        print(line)
    if args.no_serve:
        return 0
    return serve(host="127.0.0.1", port=args.port, workers=1, threads=8, jobs="development")


def load_demo_results(election: Any) -> list[str]:
    """The 2023 councils' results (Anbar's adding up to its official totals), then the
    Kurdistan Region Parliament 2024 set up with its own results; returns the lines
    that tell a visitor where to look."""
    from shafaf.entities.demo import ANBAR, anbar_lists
    from shafaf.entities.demo_krg import create_krg_2024
    from shafaf.results.demo import load_results

    lines = []
    official: dict[str, Sequence[int]] = {ANBAR: [int(row["votes"]) for row in anbar_lists()]}
    summary = load_results(election, bulk=True, official=official)
    print(summary or "Results of gc-2023: already recorded")
    krg, stations = create_krg_2024()
    print(f"Kurdistan Region Parliament 2024 ({krg.code}): {stations}")
    krg_summary = load_results(krg, bulk=False)
    print(krg_summary or f"Results of {krg.code}: already recorded")
    for line in publish_showcase([(election, ANBAR), (krg, "IQ-AR")]):
        print(line)
    for done in (summary, krg_summary):
        if done is None:
            continue
        for kind, codes in sorted(done.shown.items()):
            lines.append(f"  {done.election} {kind}: {', '.join(codes)}")
    if lines:
        lines.insert(0, "Stations to look at on /staff/results/ (at the audit centre, "
                        "in quarantine, late):")
    return lines


def load_posted_forms(election: Any) -> list[str]:
    """Observers' copies of a few of Anbar's posted forms, made from its published
    results, one differing (docs/observation-posted-forms.md): here because it joins
    results and observation, which do not import each other."""
    from shafaf.elections.models import Contest, PollingStation
    from shafaf.entities.demo import ANBAR
    from shafaf.observation import demo_posted
    from shafaf.observation.models import Organisation
    from shafaf.results import published_counts
    from shafaf.results.publication import latest_publication

    organisation = Organisation.objects.filter(election=election, code="CSO-001").first()
    contest = Contest.objects.filter(election=election, governorate__code=ANBAR).first()
    if organisation is None or contest is None:
        return []
    publication = latest_publication(contest)
    if publication is None:
        return []
    codes = list(PollingStation.objects.filter(centre__election=election,
                                               centre__governorate=contest.governorate)
                 .order_by("code").values_list("code", flat=True)[:20])
    counted = published_counts.station_counts(publication, codes)
    chosen = {code: counted[code] for code in sorted(counted)[:3]}
    return demo_posted.load(organisation, chosen, governorate=ANBAR)


def load_pvt(election: Any) -> list[str]:
    """The demo's first organisation draws its PVT sample; the sampled stations of
    Anbar whose results are published report their count (docs/pvt-app.md): here
    because it joins results and observation, which do not import each other."""
    from shafaf.accounts.models import User
    from shafaf.elections.models import Contest
    from shafaf.entities.demo import ANBAR
    from shafaf.observation import demo_pvt, pvt
    from shafaf.observation.models import Organisation
    from shafaf.results import published_counts
    from shafaf.results.publication import latest_publication

    organisation = Organisation.objects.filter(election=election, code="CSO-001").first()
    coordinator = User.objects.filter(username="cso").first()
    if organisation is None or coordinator is None:
        return []
    sample = demo_pvt.draw(organisation, coordinator)
    contest = Contest.objects.filter(election=election, governorate__code=ANBAR).first()
    publication = latest_publication(contest) if contest else None
    if sample is None or publication is None:
        return []
    codes = [s.station.code for s in pvt.sampled(sample) if s.stratum == ANBAR]
    counted = published_counts.station_counts(publication, codes)
    return demo_pvt.report(sample, counted, governorate=ANBAR)


# The demo's lot seed for the preliminary publications: synthetic candidates with no
# vote tie, and a tie is drawn from a public seed (docs/results-publication.md).
DEMO_LOT_SEED = "shafaf-demo-preliminary"


def publish_showcase(places: Sequence[tuple[Any, str]]) -> list[str]:
    """Publish preliminary results once for a governorate of each election (a PDF each
    costs a second or two: the others are published from the staff's tabulation page
    or `shafaf results publish`), so that the public results pages have something."""
    from shafaf.accounts.models import User
    from shafaf.elections.models import Contest
    from shafaf.results.models import Publication
    from shafaf.results.publication import publish

    admin = User.objects.get(username="admin")
    lines = []
    for election, code in places:
        contest = Contest.objects.get(election=election, governorate__code=code)
        if Publication.objects.filter(contest=contest).exists():
            continue
        done = publish(actor=admin, contest=contest, stage="preliminary",
                       lot_seed=DEMO_LOT_SEED)
        lines.append(f"Published preliminary results of {election.code} {code}: "
                     f"/results/{election.code}/{code}/ ({done.stations_counted} of "
                     f"{done.stations_total} stations counted)")
    return lines
