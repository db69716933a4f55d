"""``shafaf register``: the voter register's tools that need no database.

``shafaf register dedup FILE`` finds records of one person entered twice in a
register extract (docs/register-dedup.md). Exit status: 0 done (clusters or none);
2 bad input (every bad row named, nothing matched).

``shafaf register remove-deceased FILE --election CODE --as USER`` is the one that
writes to the database: the ministries' file of the deceased, all or nothing
(docs/register-campaign.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

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
    parser = subparsers.add_parser("register", help="the voter register's tools (no database)",
                                   description="The voter register's tools that need no "
                                               "database.")
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
    problems_out.add_argument(dedup)
    dedup.set_defaults(run=run_dedup)
    add_remove_deceased(commands)


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
    found = model.clusters(extract, threshold=args.threshold)
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
