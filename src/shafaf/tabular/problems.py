"""One collector for the problems found in a file, with a cap.

Whoever prepared a file fixes it in one pass only if every problem is listed, but a
16-million-row register with a wrong column would list 16 million of them. The
collector keeps the first ``limit`` problems (1,000 unless told) and, beyond them,
a count per reason, so the page or the terminal can say "and 15,999,000 more:
3,000 of this kind, 12,000 of that". Nothing here needs Django: messages are worded
through the ``translate`` function the caller gives (Django's ``gettext`` in the web
apps, nothing at the command line, which speaks English).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import IO, Any

Translate = Callable[[str], str]
PROBLEMS_LIMIT = 1000
# Where every problem goes besides the capped list, while a :func:`recording` is
# open: the collectors are made deep inside the reader and each import, so the one
# who shows the problems (a page, the command line) opens the file around them.
Sink = Callable[["Problem"], None]
_RECORDING: ContextVar[Sink | None] = ContextVar("shafaf_problems_recording", default=None)


def _(message: str) -> str:
    """Marks a message for the catalogues; the collector's ``translate`` words it."""
    return message


def untranslated(message: str) -> str:
    return message


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    row: int | None  # the spreadsheet's row number (header = 1); None for the whole file
    column: str  # "" for the whole row or file
    reason: str
    translate: Translate = field(default=untranslated, compare=False, repr=False)

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.row is not None:
            where.append(self.translate(_("row %(row)d")) % {"row": self.row})
        if self.column:
            where.append(self.translate(_("column %(column)s")) % {"column": self.column})
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


@dataclass(frozen=True, slots=True)
class Unlisted:
    """Problems beyond the cap: how many of one reason, in one column of one file."""

    file: str
    column: str
    reason: str  # the message with its placeholders shown as "…"
    count: int

    def __str__(self) -> str:
        return f"{self.column}: {self.reason}" if self.column else self.reason


class ImportRejected(Exception):
    """The file has problems; nothing was written. ``problems`` lists the first of
    them (up to the collector's cap), ``unlisted`` counts the rest by reason."""

    def __init__(self, problems: Sequence[Problem], unlisted: Sequence[Unlisted] = ()) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = list(problems)
        self.unlisted = list(unlisted)

    @property
    def total(self) -> int:
        return len(self.problems) + sum(u.count for u in self.unlisted)


class Problems:
    """The problems of one file (or, at the command line, of several: ``file=``)."""

    def __init__(self, file: str = "", *, limit: int = PROBLEMS_LIMIT,
                 translate: Translate = untranslated) -> None:
        self.file = file
        self.limit = limit
        self.translate = translate
        self.found: list[Problem] = []
        self._unlisted: dict[tuple[str, str, str], int] = {}
        self.count = 0
        self._sink = _RECORDING.get()

    def add(self, row: int | None, column: str, message: str,
            params: Mapping[str, Any] | None = None, *, file: str | None = None) -> None:
        """Record a problem. ``message`` is worded by the collector's ``translate`` and
        filled with ``params``; problems of the same message and column are counted
        together once the cap is reached (and, while a :func:`recording` is open,
        every one of them goes to it as well)."""
        template = self.translate(message)
        where = self.file if file is None else file
        if len(self.found) < self.limit or self._sink is not None:
            reason = template % {name: _quoted(value) for name, value in params.items()} \
                if params else template
            problem = Problem(where, row, column, reason, self.translate)
            if self._sink is not None:
                self._sink(problem)
            self._keep(problem, template)
        else:
            self._count(where, column, template)

    def _keep(self, problem: Problem, template: str) -> None:
        if len(self.found) < self.limit:
            self.count += 1
            self.found.append(problem)
        else:
            self._count(problem.file, problem.column, template)

    def _count(self, file: str, column: str, template: str) -> None:
        self.count += 1
        key = (file, column, template)
        self._unlisted[key] = self._unlisted.get(key, 0) + 1

    def extend(self, other: Problems) -> None:
        """Take in another collector's problems (another file's, at the command line);
        a recording open around both has them already."""
        for problem in other.found:
            self._keep(problem, problem.reason)
        for key, count in other._unlisted.items():
            self.count += count
            self._unlisted[key] = self._unlisted.get(key, 0) + count

    def __bool__(self) -> bool:
        return self.count > 0

    @property
    def unlisted(self) -> list[Unlisted]:
        return [Unlisted(file, column, _shown(template), count)
                for (file, column, template), count in sorted(self._unlisted.items(),
                                                              key=lambda item: -item[1])]

    def rejected(self) -> ImportRejected:
        return ImportRejected(self.found, self.unlisted)

    def raise_if_any(self) -> None:
        if self.count:
            raise self.rejected()


# A problem quotes a value, never a whole field: a value of 100,000 characters in each
# of a thousand rows would otherwise make a page of a hundred megabytes.
QUOTED_LENGTH = 200


def _quoted(value: Any) -> Any:
    if isinstance(value, str) and len(value) > QUOTED_LENGTH:
        return value[:QUOTED_LENGTH - 1] + "…"
    return value


def _shown(template: str) -> str:
    """A message's placeholders as "…": the reason, without one row's values."""
    return re.sub(r"%\(\w+\)[sd]", "…", template)


@contextmanager
def recording(sink: Sink) -> Iterator[None]:
    """Every problem that any collector made inside the block finds, listed or not,
    is also given to ``sink`` as it is found: a file of them all is written while the
    page or the terminal shows the first :data:`PROBLEMS_LIMIT`."""
    token = _RECORDING.set(sink)
    try:
        yield
    finally:
        _RECORDING.reset(token)


class ProblemsCsv:
    """Problems as CSV rows (file, row, column, problem), written as they come: the
    whole list of a file wrong in every row, in the memory of one row."""

    HEADER = ("file", "row", "column", "problem")

    def __init__(self, out: IO[str]) -> None:
        self.writer = csv.writer(out)
        self.writer.writerow(self.HEADER)
        self.count = 0

    def __call__(self, problem: Problem) -> None:
        self.count += 1
        self.writer.writerow((problem.file, "" if problem.row is None else problem.row,
                              problem.column, problem.reason))
