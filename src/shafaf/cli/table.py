"""Plain-text tables that line up with Arabic and Kurdish text in them.

Columns are padded by display width, not by code points: Arabic vowel marks
and other combining characters take no column, wide characters take two. The
text stays in logical order (what a file, a pipe or a bidi-aware terminal
expects), and a table's right-to-left names go in its last column, so a
terminal's reordering of them cannot shift the columns before them
(docs/decisions/0002-arabic-in-the-terminal.md).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def display_width(text: str) -> int:
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def render(headers: Sequence[str], rows: Sequence[Sequence[str]], *,
           numeric: Sequence[bool] = (), indent: str = "  ") -> str:
    """A table with a header rule; columns marked ``numeric`` are right-aligned.
    A left-aligned last column is not padded, so a trailing name carries no spaces."""
    right = list(numeric) + [False] * (len(headers) - len(numeric))
    widths = [max([display_width(h)] + [display_width(r[i]) for r in rows])
              for i, h in enumerate(headers)]
    lines = []
    for cells in [list(headers), ["─" * w for w in widths], *map(list, rows)]:
        last = len(cells) - 1
        parts = [cell if i == last and not right[i] else pad(cell, widths[i], right=right[i])
                 for i, cell in enumerate(cells)]
        lines.append(indent + "  ".join(parts).rstrip())
    return "\n".join(lines)
