"""The ``shafaf`` command line.

Each command's module is imported only when that command runs: ``shafaf allocate``
loads the allocation and the core's rules, not Django, the web apps or rich, so that
an analyst re-deriving every governorate does not wait for imports it never uses.
``shafaf --help`` lists every command from the table below without importing any.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import sys
from collections.abc import Sequence
from typing import NamedTuple

from shafaf import __version__


class Command(NamedTuple):
    module: str  # the module that defines the command's parser
    register: str  # its function that adds the parser (and its siblings') to subparsers
    help: str  # the line ``shafaf --help`` shows; the same as the module's own


COMMANDS: dict[str, Command] = {
    "demo": Command("shafaf.cli.demo", "add_parser",
                    "set up the demo (SQLite, 2023 election, synthetic stations) and serve it"),
    "allocate": Command("shafaf.cli.allocate", "add_parser",
                        "compute the seats of one contest from CSV files"),
    "serve": Command("shafaf.cli.commands", "add_parsers",
                     "serve the application in production (gunicorn)"),
    "audit": Command("shafaf.cli.commands", "add_parsers", "the tamper-evident audit log"),
    "manage": Command("shafaf.cli.commands", "add_parsers", "run a Django management command"),
    "worker": Command("shafaf.cli.commands", "add_parsers",
                      "run background jobs (imports, duplicate detection) as they are queued"),
    "lottery": Command("shafaf.cli.lottery", "add_parser", "the public ballot-number draw"),
    "import": Command("shafaf.cli.imports", "add_parser",
                      "import geography or polling stations from a CSV or XLSX file"),
    "ballots": Command("shafaf.cli.ballots", "add_parser",
                       "write a governorate's ballot paper as PDF"),
    "publish": Command("shafaf.cli.ballots", "add_publish_parser",
                       "draw the public files once, before anyone asks for them"),
    "register": Command("shafaf.cli.register", "add_parser",
                        "the voter register's tools"),
    "results": Command("shafaf.cli.results", "add_parser",
                       "check and tabulate station results, verify a publication"),
    "pvt": Command("shafaf.cli.pvt", "add_parser",
                   "the parallel vote tabulation: the public sample, the estimate"),
    "forensics": Command("shafaf.cli.forensics", "add_parser",
                         "election forensics on published station results"),
}

def _chosen(argv: Sequence[str]) -> str | None:
    """The command named on the line: the first word that is not an option (the root
    parser's only options, --help and --version, take no value)."""
    return next((word for word in argv if not word.startswith("-")), None)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
             name: str) -> None:
    """Add the full parser of command ``name`` (importing its module)."""
    command = COMMANDS[name]
    module = importlib.import_module(command.module)
    getattr(module, command.register)(subparsers)


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The root parser, with the full parser of ``command`` (if one of COMMANDS) and,
    for every other command, an entry that only names it in the help."""
    root = argparse.ArgumentParser(
        prog="shafaf",
        description="Shafaf (شفاف): run an election the way Iraq's electoral commission does, "
                    "and let anyone check every step.",
    )
    root.add_argument("--version", action="version", version=f"shafaf {__version__}")
    subparsers = root.add_subparsers(title="commands", metavar="COMMAND", required=True)
    if command in COMMANDS:
        register(subparsers, command)
    for name, entry in COMMANDS.items():
        if name not in subparsers.choices:
            subparsers.add_parser(name, help=entry.help, add_help=False)
    return root


def _utf8(stream: object) -> None:
    # Arabic names must come out whatever the locale (a C locale would fail on them).
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    _utf8(sys.stdout)
    _utf8(sys.stderr)
    words = list(sys.argv[1:] if argv is None else argv)
    args = parser(_chosen(words)).parse_args(words)
    try:
        status: int = args.run(args)
    except BrokenPipeError:
        # The reader (``| head``) has gone: stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as error:
        # Only a command that started Django can raise it, so only then is it imported.
        web = sys.modules.get("shafaf.cli.web")
        if web is None or not isinstance(error, web.DatabaseNotReady):
            raise
        print(f"shafaf: {error}", file=sys.stderr)
        return 2
    return status
