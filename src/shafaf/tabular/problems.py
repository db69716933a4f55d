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

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Translate = Callable[[str], str]
PROBLEMS_LIMIT = 1000


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

    def add(self, row: int | None, column: str, message: str,
            params: Mapping[str, Any] | None = None, *, file: str | None = None) -> None:
        """Record a problem. ``message`` is worded by the collector's ``translate`` and
        filled with ``params``; problems of the same message and column are counted
        together once the cap is reached."""
        self.count += 1
        template = self.translate(message)
        if len(self.found) < self.limit:
            reason = template % params if params else template
            self.found.append(Problem(self.file if file is None else file, row, column,
                                      reason, self.translate))
        else:
            key = (self.file if file is None else file, column, template)
            self._unlisted[key] = self._unlisted.get(key, 0) + 1

    def extend(self, other: Problems) -> None:
        """Take in another collector's problems (another file's, at the command line)."""
        for problem in other.found:
            self.add(problem.row, problem.column, problem.reason, file=problem.file)
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


def _shown(template: str) -> str:
    """A message's placeholders as "…": the reason, without one row's values."""
    return re.sub(r"%\(\w+\)[sd]", "…", template)
