"""``shafaf ballots --election CODE --governorate IQ-XX [--component NAME] --out FILE``
and ``shafaf publish ballots --election CODE``.

Writes one governorate's ballot paper as PDF, from the database: the general ballot,
or a component's with ``--component``. Exit status 0 with a summary line; 2 for an
unknown election, governorate or component (or a file that cannot be written); 3
when the ballot cannot be printed yet (ballot numbers not drawn). docs/ballots.md.

``shafaf publish ballots`` draws every public specimen that can be printed into the
publication directory, so that no reader waits for one (shafaf.publication).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

from shafaf.cli.web import stderr

# Exit statuses, as for `shafaf allocate`: 2 bad input, 3 not decided yet.
BAD_INPUT = 2
NOT_READY = 3


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "ballots", help="write a governorate's ballot paper as PDF",
        description="Write the ballot paper of one governorate (the general seats, or one "
                    "component's seats) as an A3 PDF in Arabic: every certified list in "
                    "ballot-number order with its number, name, logo and candidate numbers. "
                    "Refused until every list on it has its ballot number.")
    parser.add_argument("--election", required=True, metavar="CODE",
                        help="the election's code, e.g. gc-2023")
    parser.add_argument("--governorate", required=True, metavar="CODE",
                        help="the governorate's ISO code, e.g. IQ-BG")
    parser.add_argument("--component", metavar="NAME",
                        help="the component's ballot instead of the general one, e.g. "
                             "christian, sabean_mandaean, faili_kurd, yazidi, shabak")
    parser.add_argument("--out", required=True, type=Path, metavar="FILE",
                        help="the PDF file to write")
    parser.add_argument("--specimen", action="store_true",
                        help="mark every page as a specimen, not for voting (as the "
                             "public pages do)")
    parser.set_defaults(run=run)


def add_publish_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    publish = subparsers.add_parser(
        "publish", help="draw the public files once, before anyone asks for them",
        description="Draw every public artefact of an election that can be published "
                    "into the publication directory (by default published/ in the data "
                    "directory), each with its SHA-256. What is "
                    "already published and unchanged is not drawn again.")
    what = publish.add_subparsers(metavar="WHAT", required=True)
    ballots = what.add_parser("ballots", help="every ballot specimen that can be printed")
    ballots.add_argument("--election", required=True, metavar="CODE",
                         help="the election's code, e.g. gc-2023")
    ballots.set_defaults(run=run_publish)


def run_publish(args: argparse.Namespace) -> int:
    from shafaf.cli.web import setup_django

    setup_django(migrated=True)
    from django.utils import translation

    from shafaf.elections.models import Election
    from shafaf.entities import ballots

    election = Election.objects.filter(code=args.election).first()
    if election is None:
        stderr(f"shafaf publish: no election {args.election!r}.")
        return BAD_INPUT
    with translation.override("en"):
        _warn_unprintable_logos(ballots.election_unprintable_logos(election), "publish")
        done = ballots.publish_all(election)
    for governorate, component, result in done:
        name = f"{governorate} {component}" if component else governorate
        if isinstance(result, str):
            print(f"{name}: not published: {result}")
        else:
            print(f"{name}: {result.path} sha256 {result.sha256}")
    published = sum(not isinstance(result, str) for *_, result in done)
    print(f"{published} of {len(done)} ballots published.")
    return 0


def run(args: argparse.Namespace) -> int:
    from shafaf.cli.web import setup_django

    setup_django(migrated=True)
    from django.utils import translation

    # Messages in English, like Shafaf's other commands; the ballot is Arabic anyway.
    with translation.override("en"):
        return _write(args)


def _warn_unprintable_logos(found: Iterable[object], command: str) -> None:
    """A warning on standard error for each logo the ballots leave off: the ballot is
    still right (its number and name identify the list), so the exit status stays 0,
    but the Commission must know before it prints (docs/ballots.md)."""
    for logo in found:
        stderr(f"shafaf {command}: warning: {logo}")


def _write(args: argparse.Namespace) -> int:
    from shafaf.elections.models import Election
    from shafaf.entities import ballot_paper, ballots
    from shafaf.entities.models import Entity

    election = Election.objects.filter(code=args.election).first()
    if election is None:
        known = ", ".join(Election.objects.values_list("code", flat=True)) or "none"
        stderr(f"shafaf ballots: no election {args.election!r} (elections: {known}).")
        return BAD_INPUT
    try:
        ballot = ballots.build(election=election, governorate=args.governorate,
                               component=args.component)
    except ballots.NoSuchBallot as missing:
        stderr(f"shafaf ballots: {missing}")
        return BAD_INPUT
    except ballots.BallotNotReady as not_ready:
        stderr(f"shafaf ballots: {not_ready} Nothing was written.")
        for name in not_ready.unnumbered:
            stderr(f"  no ballot number: {name}")
        return NOT_READY
    _warn_unprintable_logos(ballots.unprintable_logos(
        Entity.objects.filter(election=election, code__in=[e.code for e in ballot.lists])
        .order_by("code")), "ballots")
    rendered = ballot_paper.render(ballot, specimen=args.specimen)
    path: Path = args.out
    try:
        path.write_bytes(rendered.pdf)
    except OSError as exc:
        stderr(f"shafaf ballots: cannot write {path}: {exc.strerror}.")
        return BAD_INPUT
    what = f"{ballot.component} ballot" if ballot.component else "ballot"
    print(f"{path}: {what} of {ballot.governorate_code}, {len(ballot.lists)} lists, "
          f"{ballot.candidate_count} candidates, {rendered.pages} "
          f"page{'s' if rendered.pages != 1 else ''} (A3)")
    return 0
