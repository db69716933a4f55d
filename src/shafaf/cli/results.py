"""``shafaf results``: station results' tools (docs/results.md).

Each part of results adds its subcommands from its own module, listed in its own
block of :data:`PARTS`; a part's module is imported only to build the parser, and
the tools that need no database (check, tabulate, verify) never start Django.
"""

from __future__ import annotations

import argparse
import importlib

# Modules whose ``add_subcommands(commands)`` adds their subcommands.
PARTS: list[str] = [
    # Checking and tabulating files, verifying a publication (no database)
    "shafaf.cli.results_files",

    # Counting devices and their transmissions
    "shafaf.cli.results_devices",

    # Publication
    "shafaf.cli.results_publication",

]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "results", help="check and tabulate station results, verify a publication",
        description="Station results: check forms and tabulate seats from CSV files "
                    "(no database), verify a publication, and the commission's tools.")
    commands = parser.add_subparsers(title="results commands", metavar="COMMAND",
                                     required=True)
    for module in PARTS:
        importlib.import_module(module).add_subcommands(commands)
