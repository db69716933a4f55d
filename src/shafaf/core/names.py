"""Arabic names as a reader searches them: one folding of the spellings people type
interchangeably, for the candidate directory today and the register's name matching
next.

Written Arabic has several letters that readers and clerks use in place of each
other: the forms of alif with and without hamza or madda, taa marbuta and haa, alif
maqsura and yaa, and, in text typed on Persian or Kurdish keyboards, the Persian yeh
and keheh for the Arabic yaa and kaf. The tatweel (kashida) only stretches a word.
``fold`` maps every variant to one letter, so that "أحمد" finds "احمد" and "فاطمة"
finds "فاطمه". This is an interpretation for search, not a rule of the law: a name is
always stored and printed as it was entered.

``FOLDS`` is a table of plain replacements so that a database can apply the same
folding to stored names (``REPLACE`` exists in SQLite and PostgreSQL alike).
"""

from __future__ import annotations

# (variant, the letter it folds to); applied in this order.
FOLDS: tuple[tuple[str, str], ...] = (
    ("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"),
    ("ة", "ه"), ("ى", "ي"), ("ی", "ي"), ("ک", "ك"), ("ـ", ""),
)


def fold(text: str) -> str:
    """``text`` with every spelling variant of ``FOLDS`` replaced by its letter."""
    for old, new in FOLDS:
        text = text.replace(old, new)
    return text


def search_text(query: str, *, max_length: int) -> str:
    """A reader's query folded, its runs of white space made one space, and cut to
    ``max_length`` characters."""
    return " ".join(fold(query).split())[:max_length]


def search_terms(text: str, *, max_terms: int) -> tuple[str, ...]:
    """The first ``max_terms`` words of a folded query."""
    return tuple(text.split()[:max_terms])


def as_number(text: str) -> int | None:
    """The number a query is, if it is only digits: ASCII, Arabic-Indic (٣) or
    Persian (۳) alike; else None."""
    # int() reads every Unicode decimal digit.
    return int(text) if text.isdecimal() else None
