"""The final register's canonical listing, whose SHA-256 is published.

Anyone holding the register can recompute the hash (docs/register-exhibition.md
has a worked example). The listing is:

- one line per voter **in the register** (status ``active``: removed and
  transferred-away records are not in it), ordered by voter number compared
  byte by byte in UTF-8 (which is code-point order);
- each line the :data:`FIELDS` in that order, separated by one TAB (U+0009) and
  ended by one LINE FEED (U+000A), including the last line;
- the birth date as ``YYYY-MM-DD``; sex ``F`` or ``M``; the centre and governorate
  by their codes; an empty family name is an empty field;
- the whole line normalised to Unicode NFC, then encoded in UTF-8, no BOM.

The register's values hold no TAB or line break (the import refuses control
characters), so the fields need no escaping.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence

__all__ = ["FIELDS", "canonical_line", "canonical_sha256"]

FIELDS = ("voter_number", "first_name", "father_name", "grandfather_name", "family_name",
          "mother_name", "sex", "birth_date", "governorate", "centre", "category")


def canonical_line(values: Sequence[str]) -> bytes:
    """One voter's line of the listing, its values in :data:`FIELDS`' order."""
    if len(values) != len(FIELDS):
        raise ValueError(f"a line has {len(FIELDS)} fields, not {len(values)}")
    return unicodedata.normalize("NFC", "\t".join(values) + "\n").encode("utf-8")


def canonical_sha256(rows: Iterable[Sequence[str]], *, batch: int = 8192) -> tuple[str, int]:
    """The SHA-256 (hex) of the listing of ``rows``, given already in voter-number
    order, and how many lines it has.

    Lines are joined and normalised ``batch`` at a time: a LINE FEED composes with
    nothing, so normalising a batch of whole lines gives the lines' own NFC forms."""
    digest = hashlib.sha256()
    count = 0
    lines: list[str] = []
    width = len(FIELDS)

    def feed() -> None:
        text = "\n".join(lines) + "\n"
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        digest.update(text.encode("utf-8"))
        lines.clear()

    for values in rows:
        if len(values) != width:
            raise ValueError(f"a line has {width} fields, not {len(values)}")
        lines.append("\t".join(values))
        count += 1
        if len(lines) == batch:
            feed()
    if lines:
        feed()
    return digest.hexdigest(), count
