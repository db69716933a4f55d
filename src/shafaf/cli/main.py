"""The ``shafaf`` command line."""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence

from shafaf import __version__
from shafaf.cli import allocate, ballots, commands, demo, imports, lottery


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="shafaf",
        description="Shafaf (شفاف): run an election the way Iraq's electoral commission does, "
                    "and let anyone check every step.",
    )
    root.add_argument("--version", action="version", version=f"shafaf {__version__}")
    subparsers = root.add_subparsers(title="commands", metavar="COMMAND", required=True)
    demo.add_parser(subparsers)
    allocate.add_parser(subparsers)
    commands.add_parsers(subparsers)
    lottery.add_parser(subparsers)
    imports.add_parser(subparsers)
    ballots.add_parser(subparsers)
    return root


def _utf8(stream: object) -> None:
    # Arabic names must come out whatever the locale (a C locale would fail on them).
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    _utf8(sys.stdout)
    _utf8(sys.stderr)
    args = parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except BrokenPipeError:
        # The reader (``| head``) has gone: stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status
