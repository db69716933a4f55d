"""``--problems-out FILE``: every problem of the input in a CSV file (file, row,
column, problem), however many there are, while the terminal lists the first
thousand and counts the rest."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shafaf.tabular import ImportRejected, ProblemsCsv

# The reader is imported when a file is read, not for ``--help``.


def add_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--problems-out", type=Path, metavar="FILE",
                        help="write every problem of the input to this CSV file (file, row, "
                             "column, problem); the terminal lists the first 1,000")


@contextmanager
def problems_file(path: Path | None) -> Iterator[ProblemsCsv | None]:
    """Record the problems found inside the block into ``path`` (nothing without
    one). Raises OSError if the file cannot be written."""
    from shafaf.tabular import ProblemsCsv, recording

    if path is None:
        yield None
        return
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = ProblemsCsv(out)
        with recording(writer):
            yield writer


def told(writer: ProblemsCsv | None, path: Path | None) -> str:
    """The line that points to the file, when it holds anything."""
    if writer is None or path is None or not writer.count:
        return ""
    return f"All {writer.count:,} problem(s) are listed in {path}."


def report(rejected: ImportRejected, *, name: str, written: ProblemsCsv | None,
           path: Path | None, outcome: str) -> list[str]:
    """The lines a command prints for a rejected file: its problems (the first
    thousand, the rest counted by reason), their number with ``outcome`` ("nothing
    was written."), and where the whole list is, if it was asked for."""
    lines = [str(problem) for problem in rejected.problems]
    lines += [f"{more.file}: {more.count} more like this: {more}" for more in rejected.unlisted]
    count = rejected.total
    lines.append(f"{count} problem{'s' if count != 1 else ''} in {name}: {outcome}")
    if line := told(written, path):
        lines.append(line)
    return lines


def rejected(command: str, exc: ImportRejected, outcome: str = "nothing was computed.",
             written: ProblemsCsv | None = None, path: Path | None = None) -> int:
    """Print a rejected input's problems on stderr as every command does (the first
    thousand, the rest counted by reason); the exit status for bad input, 2."""
    print(f"shafaf {command}: {exc.total} problem(s) in the input; {outcome}",
          file=sys.stderr)
    for problem in exc.problems:
        print(f"  {problem}", file=sys.stderr)
    for more in exc.unlisted:
        print(f"  {more.file}: {more.count} more like this: {more}", file=sys.stderr)
    if line := told(written, path):
        print(line, file=sys.stderr)
    return 2
