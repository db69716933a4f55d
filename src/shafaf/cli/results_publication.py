"""``shafaf results publish`` and ``shafaf results certify``: publish a governorate's
results as an immutable snapshot, or certify them as the Board
(docs/results-publication.md). Exit status 0 done, 2 bad input or refused."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

EXIT_BAD_INPUT = 2


def add_subcommands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    publish = commands.add_parser(
        "publish", help="publish results as a snapshot in the open data layout",
        description="Publish each governorate's results (or one's) as an immutable snapshot: "
                    "manifest, CSV files, allocation, NIST SP 1500-100 results and PDF; the "
                    "manifest's SHA-256 enters the audit chain.")
    publish.add_argument("--election", required=True, metavar="CODE")
    publish.add_argument("--governorate", metavar="CODE",
                         help="one governorate (default: every governorate of the election)")
    publish.add_argument("--stage", required=True, choices=("preliminary", "certified"))
    publish.add_argument("--lot-seed", metavar="SEED",
                         help="public seed that draws deciding ties (preliminary stage)")
    publish.add_argument("--as", dest="username", required=True, metavar="USER",
                         help="the administrator who publishes")
    publish.set_defaults(run=run_publish)
    certify = commands.add_parser(
        "certify", help="certify a governorate's results (the Board)",
        description="Record the Board's certification of a governorate's allocation; "
                    "refused while any station awaits its count or is at the audit centre.")
    certify.add_argument("--election", required=True, metavar="CODE")
    certify.add_argument("--governorate", required=True, metavar="CODE")
    certify.add_argument("--lot-seed", metavar="SEED",
                         help="public seed that draws deciding ties")
    certify.add_argument("--as", dest="username", required=True, metavar="USER",
                         help="the commissioner who certifies")
    certify.set_defaults(run=run_certify)
    snapshot = commands.add_parser(
        "snapshot", help="write an election's published results to a directory",
        description="Write the latest publication of each governorate of an election (or "
                    "one's) to DIR, in the open data layout the site serves: DIR/manifest.json "
                    "indexes DIR/<governorate>/. Any web server can serve the directory on "
                    "results night, and 'shafaf results verify DIR' re-derives it.")
    snapshot.add_argument("--election", required=True, metavar="CODE")
    snapshot.add_argument("--governorate", metavar="CODE",
                          help="one governorate (default: every one published)")
    snapshot.add_argument("--out", required=True, type=Path, metavar="DIR",
                          help="the directory to write (created; files in it are replaced)")
    snapshot.set_defaults(run=run_snapshot)


def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


def _setup() -> None:
    from shafaf.cli.web import setup_django

    setup_django(migrated=True)


def _contests(args: argparse.Namespace, *, all_allowed: bool) -> list[Any] | None:
    from shafaf.elections.models import Contest, Election

    election = Election.objects.filter(code=args.election).first()
    if election is None:
        known = ", ".join(Election.objects.values_list("code", flat=True)) or "none"
        _stderr(f"No election {args.election!r} (elections: {known}). Nothing was done.")
        return None
    contests = Contest.objects.filter(election=election).select_related(
        "governorate", "election").order_by("governorate__code")
    if args.governorate:
        contests = contests.filter(governorate__code=args.governorate.strip().upper())
        if not contests:
            _stderr(f"No governorate {args.governorate!r} in {election.code}. Nothing was done.")
            return None
    elif not all_allowed:
        _stderr("Give --governorate CODE.")
        return None
    return list(contests)


def _actor(username: str) -> Any:
    from shafaf.accounts.models import User

    actor = User.objects.filter(username=username, is_active=True).first()
    if actor is None:
        _stderr(f"No active user {username!r}. Nothing was done.")
    return actor


def run_publish(args: argparse.Namespace) -> int:
    _setup()
    from django.utils import translation

    from shafaf.refusals import explain
    from shafaf.results.publication import publish
    from shafaf.results.refusals import ResultsRefused

    with translation.override("en"):
        actor = _actor(args.username)
        contests = _contests(args, all_allowed=True)
        if actor is None or contests is None:
            return EXIT_BAD_INPUT
        status = 0
        for contest in contests:
            code = contest.governorate.code
            try:
                done = publish(actor=actor, contest=contest, stage=args.stage,
                               lot_seed=args.lot_seed)
            except ResultsRefused as refused:
                _stderr(f"{code}: {explain(refused).message} Not published.")
                status = EXIT_BAD_INPUT
                continue
            print(f"{code}: published {done.stage}, {done.stations_counted} of "
                  f"{done.stations_total} stations counted; manifest SHA-256 "
                  f"{done.manifest_sha256}")
        return status


def run_certify(args: argparse.Namespace) -> int:
    _setup()
    from django.utils import translation

    from shafaf.refusals import explain
    from shafaf.results.publication import certify
    from shafaf.results.refusals import ResultsRefused

    with translation.override("en"):
        actor = _actor(args.username)
        contests = _contests(args, all_allowed=False)
        if actor is None or contests is None:
            return EXIT_BAD_INPUT
        [contest] = contests
        try:
            done = certify(actor=actor, contest=contest, lot_seed=args.lot_seed)
        except ResultsRefused as refused:
            _stderr(f"{explain(refused).message} Not certified.")
            return EXIT_BAD_INPUT
        print(f"{contest.governorate.code}: certified; allocation SHA-256 {done.sha256}")
        return 0


def run_snapshot(args: argparse.Namespace) -> int:
    """Read-only: the publications' stored bytes, exactly as the site serves them."""
    _setup()
    from shafaf.results.publication import FILES, election_index, latest_publication, published_file

    contests = _contests(args, all_allowed=True)
    if contests is None:
        return EXIT_BAD_INPUT
    written = []
    for contest in contests:
        publication = latest_publication(contest)
        if publication is None:
            continue
        folder = args.out / contest.governorate.code
        folder.mkdir(parents=True, exist_ok=True)
        for name in FILES:
            stored = published_file(publication, name)
            if stored is not None:
                (folder / name).write_bytes(bytes(stored.content))
        written.append(contest.governorate.code)
    if not written:
        _stderr(f"Nothing of {args.election} is published yet. Nothing was written.")
        return EXIT_BAD_INPUT
    index = election_index(contests[0].election)
    index["governorates"] = [g for g in index["governorates"] if g["governorate"] in written]
    (args.out / "manifest.json").write_text(json.dumps(index, ensure_ascii=False, indent=2)
                                            + "\n", encoding="utf-8")
    print(f"Wrote {', '.join(written)} of {args.election} to {args.out}")
    return 0
