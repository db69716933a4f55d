"""``shafaf register``: the voter register's tools.

``shafaf register dedup FILE`` finds records of one person entered twice in a
register extract (docs/register-dedup.md), without a database. Exit status: 0 done
(clusters or none); 2 bad input (every bad row named, nothing matched).

``shafaf register hash --election CODE`` prints the SHA-256 of the register's canonical
listing, from the database, and compares it with the final register's
(docs/register-exhibition.md).

``shafaf register stations --election CODE`` fills the polling stations from the
register and ``shafaf register lists --election CODE --centre CODE --out FILE.pdf``
prints a centre's voter lists (docs/register-stations.md): both use the database, as
the system or ``--as USERNAME``. Exit status: 0 done; 2 refused or bad input.

``shafaf register remove-deceased FILE --election CODE --as USER`` removes the deceased
in the ministries' file, all or nothing (docs/register-campaign.md).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shafaf.cli import problems_out

EXIT_BAD_INPUT = 2


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.5 <= value < 1:
        raise argparse.ArgumentTypeError("a match probability from 0.5 up to (not including) 1")
    return value


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("register", help="the voter register's tools",
                                   description="The voter register's tools: dedup needs no "
                                               "database; hash, stations and lists use it.")
    commands = parser.add_subparsers(title="register commands", metavar="COMMAND",
                                     required=True)
    dedup = commands.add_parser(
        "dedup", help="find records of one person entered twice",
        description="Find records of one person entered twice in a register extract (CSV, "
                    "plain or gzip, columns voter_id, first_name, father_name, "
                    "grandfather_name, family_name, mother_name, sex, birth_date, "
                    "governorate). Exit status 2 means bad input: every bad row is named.")
    dedup.add_argument("file", type=Path, metavar="FILE")
    dedup.add_argument("--format", choices=("json", "text"), default="json",
                       help="json (default): {\"clusters\": [[ids...], ...], ...}; text: a table")
    from shafaf.duplicates.model import THRESHOLD  # no Splink: the model imports it lazily

    dedup.add_argument("--threshold", type=_probability, default=THRESHOLD, metavar="P",
                       help=f"the match probability from which two records are one person "
                            f"(default {THRESHOLD})")
    dedup.add_argument("--backend", choices=("duckdb", "spark"), default="duckdb",
                       help="duckdb (default): one machine; spark: Splink's Spark backend "
                            "(local mode, or SHAFAF_SPARK_MASTER), the same model, for the "
                            "national register; needs pyspark and Java 17")
    problems_out.add_argument(dedup)
    dedup.set_defaults(run=run_dedup)
    # The final register's hash (docs/register-exhibition.md): reads the database.
    hashing = commands.add_parser(
        "hash", help="the SHA-256 of an election's register, in its canonical listing",
        description="Print the SHA-256 of the canonical listing of an election's register "
                    "as it stands in the database (docs/register-exhibition.md), and whether "
                    "it matches the hash published when the register was finalised. Exit "
                    "status: 0 computed (and matching, once final); 1 the register no longer "
                    "matches its published hash; 2 no such election.")
    hashing.add_argument("--election", required=True, metavar="CODE")
    hashing.set_defaults(run=run_hash)
    _add_station_parsers(commands)
    add_remove_deceased(commands)


def _add_station_parsers(
        commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    stations = commands.add_parser(
        "stations", help="fill the polling stations from the register",
        description="Fill every centre's polling stations (or one governorate's) from the "
                    "register: each centre's active voters, in the lists' order, in even "
                    "runs of at most SHAFAF_VOTERS_PER_STATION (docs/register-stations.md). "
                    "Running it again changes nothing. Progress goes to stderr.")
    stations.add_argument("--governorate", metavar="CODE",
                          help="only this governorate's centres, e.g. IQ-KI")
    lists = commands.add_parser(
        "lists", help="print a centre's station voter lists as one PDF",
        description="Print a centre's station voter lists (every station, or one) as one "
                    "PDF, in Arabic: the list posted at the centre, or the polling-day "
                    "list with a column to sign or thumbprint. Every print is recorded in "
                    "the audit log.")
    lists.add_argument("--centre", required=True, metavar="CODE",
                       help="the polling centre's code")
    lists.add_argument("--station", type=int, metavar="NUMBER",
                       help="only this station (its number in the centre)")
    lists.add_argument("--kind", choices=("posted", "polling-day"), default="posted",
                       help="posted (default): for posting at the centre; polling-day: "
                            "with the card number and a column to sign")
    lists.add_argument("--out", required=True, type=Path, metavar="FILE.pdf",
                       help="where to write the PDF")
    for command, run in ((stations, run_stations), (lists, run_lists)):
        command.add_argument("--election", required=True, metavar="CODE",
                             help="the election's code, e.g. gc-2023")
        command.add_argument("--as", dest="username", metavar="USERNAME",
                             help="act as this user, within their role and governorate "
                                  "(default: the system)")
        command.set_defaults(run=run)


def _database_command(args: argparse.Namespace, body: Callable[..., int]) -> int:
    """Start Django, find the election and the user, and run ``body(args, election,
    actor)``, in English; a refusal exits 2 with its reason."""
    from shafaf.cli.web import setup_django

    setup_django(migrated=True)
    from django.core.exceptions import PermissionDenied
    from django.utils import translation

    from shafaf.accounts.models import User
    from shafaf.core.refusal import Refused
    from shafaf.elections.models import Election
    from shafaf.refusals.command_line import REFUSED, exit_status

    with translation.override("en"):
        actor = None
        if args.username:
            actor = User.objects.filter(username=args.username).first()
            if actor is None:
                _stderr(f"No user {args.username!r}. Nothing was done.")
                return EXIT_BAD_INPUT
        election = Election.objects.filter(code=args.election).first()
        if election is None:
            known = ", ".join(Election.objects.values_list("code", flat=True)) or "none"
            _stderr(f"No election {args.election!r} (elections: {known}). Nothing was done.")
            return EXIT_BAD_INPUT
        try:
            return body(args, election, actor)
        except Refused as refused:
            return exit_status(refused, write=_stderr)
        except PermissionDenied:
            _stderr(f"{args.username} may not do this in {election.code}. Nothing was done.")
            return REFUSED


def run_stations(args: argparse.Namespace) -> int:
    return _database_command(args, _stations)


def _stations(args: argparse.Namespace, election: Any, actor: Any) -> int:
    from shafaf.elections.models import Governorate
    from shafaf.register.stations import assign_stations

    governorate = None
    if args.governorate:
        governorate = Governorate.objects.filter(code=args.governorate).first()
        if governorate is None:
            _stderr(f"No governorate {args.governorate!r}. Nothing was done.")
            return EXIT_BAD_INPUT
    reported = [0]

    def progress(done: int, total: int) -> None:
        if done - reported[0] >= 100_000 or done == total:
            reported[0] = done
            _stderr(f"stations: {done:,} of {total:,} voters placed")

    summary = assign_stations(actor=actor, election=election, governorate=governorate,
                              progress=progress)
    print(summary.text())
    return 0


def run_lists(args: argparse.Namespace) -> int:
    return _database_command(args, _lists)


def _lists(args: argparse.Namespace, election: Any, actor: Any) -> int:
    from shafaf.elections.models import PollingCentre, PollingStation
    from shafaf.register.voter_lists import Kind, print_lists

    centre = PollingCentre.objects.filter(election=election, code=args.centre).first()
    if centre is None:
        _stderr(f"No polling centre {args.centre!r} in {election.code}. Nothing was printed.")
        return EXIT_BAD_INPUT
    out: Path = args.out
    partial = out.with_name(out.name + ".partial")
    try:
        with partial.open("wb") as stream:
            printed = print_lists(actor=actor, centre=centre, kind=Kind(args.kind), out=stream,
                                  station=args.station)
        partial.replace(out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        _stderr(f"Cannot write {exc.filename or out}: {exc.strerror}. Nothing was printed.")
        return EXIT_BAD_INPUT
    except PollingStation.DoesNotExist:
        partial.unlink(missing_ok=True)
        _stderr(f"No station {args.station} in centre {centre.code}. Nothing was printed.")
        return EXIT_BAD_INPUT
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    print(f"{out}: {printed.voters:,} voters in {printed.stations} station(s) of centre "
          f"{centre.code}, {printed.pages} page(s).")
    return 0


def add_remove_deceased(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    remove = commands.add_parser(
        "remove-deceased", help="remove the deceased in the ministries' file (database)",
        description="Remove from the register every voter in the ministries' file of the "
                    "deceased (CSV or XLSX, columns voter_number, death_date, reference): "
                    "all of them, or nobody when any row has a problem (every bad row is "
                    "named). Exit status 2 means bad input or a refusal (a final register).")
    remove.add_argument("file", type=Path, metavar="FILE")
    remove.add_argument("--election", required=True, metavar="CODE",
                        help="the election whose register it is")
    remove.add_argument("--as", dest="username", required=True, metavar="USER",
                        help="the user who removes them (an office manager or administrator)")
    problems_out.add_argument(remove)
    remove.set_defaults(run=run_remove_deceased)


def run_remove_deceased(args: argparse.Namespace) -> int:
    from shafaf.cli.web import setup_django

    setup_django(migrated=True)
    from django.utils import translation

    with translation.override("en"):
        return _remove_deceased(args)


def _remove_deceased(args: argparse.Namespace) -> int:
    from django.core.exceptions import PermissionDenied

    from shafaf.accounts.models import User
    from shafaf.elections.models import Election
    from shafaf.refusals import explain, explains
    from shafaf.refusals.command_line import REFUSED
    from shafaf.register.campaign import remove_deceased
    from shafaf.tabular import ImportRejected

    path: Path = args.file
    actor = User.objects.filter(username=args.username, is_active=True).first()
    if actor is None:
        _stderr(f"No active user {args.username!r}. Nobody was removed.")
        return EXIT_BAD_INPUT
    election = Election.objects.filter(code=args.election).first()
    if election is None:
        known = ", ".join(Election.objects.values_list("code", flat=True)) or "none"
        _stderr(f"No election {args.election!r} (elections: {known}). Nobody was removed.")
        return EXIT_BAD_INPUT
    written = None
    try:
        with path.open("rb") as content, \
                problems_out.problems_file(args.problems_out) as written:
            summary = remove_deceased(actor=actor, election=election, name=path.name,
                                      content=content)
    except ImportRejected as rejected:
        for line in problems_out.report(rejected, name=path.name, written=written,
                                        path=args.problems_out, outcome="nobody was removed."):
            _stderr(line)
        return EXIT_BAD_INPUT
    except OSError as exc:
        _stderr(f"Cannot read or write {exc.filename}: {exc.strerror}. Nobody was removed.")
        return EXIT_BAD_INPUT
    except PermissionDenied:
        _stderr(f"{args.username} may not remove voters. Nobody was removed.")
        return EXIT_BAD_INPUT
    except Exception as error:
        if not explains(error):
            raise
        _stderr(f"{explain(error).message} Nobody was removed.")
        return REFUSED
    print(summary.text())
    return 0


def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


def run_dedup(args: argparse.Namespace) -> int:
    from shafaf.duplicates import model, records
    from shafaf.tabular import ImportRejected

    path: Path = args.file
    try:
        stream = path.open("rb")
    except OSError as exc:
        _stderr(f"shafaf register dedup: cannot read {path}: {exc.strerror}")
        return EXIT_BAD_INPUT
    try:
        with stream, problems_out.problems_file(args.problems_out) as written:
            extract = records.read(path.name, stream)
    except ImportRejected as rejected:
        for line in problems_out.report(rejected, name=path.name, written=written,
                                        path=args.problems_out, outcome="nothing was matched."):
            _stderr(line)
        return EXIT_BAD_INPUT
    except OSError as exc:
        _stderr(f"shafaf register dedup: cannot write {exc.filename}: {exc.strerror}")
        return EXIT_BAD_INPUT
    if args.backend == "spark" and importlib.util.find_spec("pyspark") is None:
        _stderr("shafaf register dedup: --backend spark needs pyspark: "
                "pip install 'shafaf[spark]' (and Java 17)")
        return EXIT_BAD_INPUT
    found = model.clusters(extract, threshold=args.threshold, backend=args.backend)
    if args.format == "json":
        # One cluster a line: a file of thousands stays readable and diffable.
        groups = ",\n  ".join(json.dumps(ids) for ids in found)
        rest = json.dumps({"records": len(extract),
                           "records_in_clusters": sum(len(c) for c in found),
                           "threshold": args.threshold})
        sys.stdout.write(f'{{"clusters": [\n  {groups}\n ],\n {rest[1:-1]}}}\n'
                         if found else f'{{"clusters": [], {rest[1:]}\n')
    else:
        print(f"{len(found)} group(s) of records judged one person, among "
              f"{len(extract):,} records (match probability ≥ {args.threshold}):")
        for number, ids in enumerate(found, start=1):
            print(f"{number:>6}  {'  '.join(ids)}")
    return 0


EXIT_MISMATCH = 1


def run_hash(args: argparse.Namespace) -> int:
    from shafaf.cli.web import setup_django

    setup_django(migrated=True)
    from shafaf.elections.models import Election
    from shafaf.register.finalising import canonical_hash
    from shafaf.register.models import Finalisation

    election = Election.objects.filter(code=args.election).first()
    if election is None:
        known = ", ".join(Election.objects.values_list("code", flat=True)) or "none"
        _stderr(f"shafaf register hash: no election {args.election!r} (elections: {known})")
        return EXIT_BAD_INPUT
    sha256, voters = canonical_hash(election)
    print(f"{sha256}  {election.code}: {voters:,} voters")
    final = Finalisation.objects.filter(election=election).first()
    if final is None:
        print("The register is not final: no published hash to compare with.")
        return 0
    if final.sha256 == sha256 and final.voters == voters:
        print(f"Matches the final register published on {final.at:%Y-%m-%d %H:%M} UTC.")
        return 0
    print(f"Does NOT match the final register published on {final.at:%Y-%m-%d %H:%M} UTC: "
          f"{final.sha256} ({final.voters:,} voters).")
    return EXIT_MISMATCH
