"""``shafaf import geography|registration-centres FILE``, ``shafaf import
stations|voters|registration-links FILE --election CODE``.

The same actions as the import page, run at the server: by default as the system
itself (an operator with a shell on the server may already do anything), or with
``--as USERNAME`` under that user's role and governorate. Exit status 0 with a
summary; 2 listing every problem when nothing was written.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shafaf.cli import problems_out
from shafaf.cli.web import stderr

if TYPE_CHECKING:
    from shafaf.elections.imports import Progress

FORMATS = "CSV (UTF-8) or XLSX with a header row; see docs/imports.md"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "import", help="import geography or polling stations from a CSV or XLSX file",
        description="Import a whole file or nothing: every problem of every row is listed "
                    "and nothing is written until the file has none. Importing the same file "
                    "again changes nothing; rows absent from the file are kept, never "
                    "deleted.")
    what = parser.add_subparsers(metavar="WHAT", required=True)
    geography = what.add_parser(
        "geography", help="districts and sub-districts, one row per sub-district",
        description=f"Districts and sub-districts. {FORMATS}.")
    stations = what.add_parser(
        "stations", help="an election's polling centres and stations, one row per station",
        description=f"Polling centres and stations of one election. {FORMATS}.")
    stations.add_argument("--election", required=True, metavar="CODE",
                          help="the election's code, e.g. gc-2023")
    voters = what.add_parser(
        "voters", help="an election's voter register, one row per voter",
        description="The voter register: CSV, plain or gzip (.csv.gz), with the columns "
                    "voter_number, first_name, father_name, grandfather_name, family_name, "
                    "mother_name, sex (F|M), birth_date (YYYY-MM-DD), centre_code and "
                    "optionally category; see docs/register.md.")
    voters.add_argument("--election", required=True, metavar="CODE",
                        help="the election's code, e.g. gc-2023")
    centres = what.add_parser(
        "registration-centres", help="registration centres, one row per centre",
        description="Registration centres: code, name_ar, governorate_code and optionally "
                    f"name_ku, name_en, address. {FORMATS}.")
    links = what.add_parser(
        "registration-links", help="each polling centre's registration centre",
        description="The registration centre of each of an election's polling centres: "
                    f"centre_code, registration_centre_code. {FORMATS}.")
    links.add_argument("--election", required=True, metavar="CODE",
                       help="the election's code, e.g. gc-2023")
    for command, kind in ((geography, "geography"), (stations, "stations"),
                          (voters, "voters"), (centres, "registration-centres"),
                          (links, "registration-links")):
        command.add_argument("file", type=Path, metavar="FILE", help="the file to import")
        command.add_argument("--as", dest="username", metavar="USERNAME",
                             help="import as this user, within their role and governorate "
                                  "(default: the system)")
        problems_out.add_argument(command)
        command.set_defaults(run=run, what=kind)


def run(args: argparse.Namespace) -> int:
    from shafaf.cli.web import setup_django

    setup_django(migrated=True)
    from django.utils import translation

    # The command line speaks English, like Shafaf's other commands.
    with translation.override("en"):
        return _import(args)


# The imports that go into one election (the others are national).
INTO_ELECTION = ("stations", "voters", "registration-links")


def _import(args: argparse.Namespace) -> int:
    from django.core.exceptions import PermissionDenied

    from shafaf.accounts.models import User
    from shafaf.elections.models import Election
    from shafaf.refusals.command_line import REFUSED
    from shafaf.tabular import ImportRejected

    path: Path = args.file
    actor = None
    if args.username:
        actor = User.objects.filter(username=args.username).first()
        if actor is None:
            stderr(f"No user {args.username!r}. Nothing was written.")
            return 2
    election = None
    if args.what in INTO_ELECTION:
        election = Election.objects.filter(code=args.election).first()
        if election is None:
            known = ", ".join(Election.objects.values_list("code", flat=True)) or "none"
            stderr(f"No election {args.election!r} (elections: {known}). Nothing was written.")
            return 2
    written = None
    try:
        with problems_out.problems_file(args.problems_out) as written:
            summary = _load(args.what, actor=actor, election=election, path=path)
    except ImportRejected as rejected:
        for line in problems_out.report(rejected, name=path.name, written=written,
                                        path=args.problems_out, outcome="nothing was written."):
            stderr(line)
        return REFUSED
    except OSError as exc:  # the file, or the --problems-out file
        stderr(f"Cannot read or write {exc.filename or path}: {exc.strerror}. "
               "Nothing was written.")
        return 2
    except PermissionDenied:
        stderr(f"{args.username} may not import {args.what}"
               + (f" into {election.code}" if election else "") + ". Nothing was written.")
        return 2
    print(summary)
    return 0


def _load(what: str, *, actor: Any, election: Any, path: Path) -> str:
    """Run one kind of import; its summary. The register is read from the open file,
    never whole into memory, with a progress line on stderr every 100,000 voters; the
    other files are small enough to read whole."""
    if what == "voters":
        from shafaf.register import actions as register

        def voters(done: int, total: int) -> None:
            if done % 100_000 == 0 or (total and done == total):
                stderr(f"voters: {done:,} {'written' if total else 'read and checked'}")

        with path.open("rb") as stream:
            return register.import_voters(actor=actor, election=election, name=path.name,
                                          content=stream, progress=voters).text()
    content = path.read_bytes()
    if what.startswith("registration-"):
        from shafaf.elections import registration_centres

        if election is None:
            return registration_centres.import_registration_centres(
                actor=actor, name=path.name, content=content).text("registration centres")
        return registration_centres.link_registration_centres(
            actor=actor, election=election, name=path.name,
            content=content).text("polling centres linked")
    from shafaf.elections import actions
    from shafaf.elections.imports import terminal_progress

    bar: contextlib.AbstractContextManager[Progress | None] = (
        terminal_progress(f"Importing {what}") if sys.stdout.isatty()
        else contextlib.nullcontext())
    with bar as progress:
        if election is None:
            return actions.import_geography(actor=actor, name=path.name, content=content,
                                            progress=progress).text()
        return actions.import_stations(actor=actor, election=election, name=path.name,
                                       content=content, progress=progress).text()
