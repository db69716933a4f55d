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

``bidi_controls`` finds the characters a name may not hold: the embedding, override
and isolate controls of Unicode's bidirectional algorithm (UAX #9). Each reorders
the text after it up to its closing control or the end of the paragraph, so a name
holding one can print as another name, or turn a number or a name next to it round
in a CSV file, a terminal or a PDF. The marks LRM, RLM and ALM (U+200E, U+200F,
U+061C) only give a direction to the characters around them, are typed in ordinary
Arabic and Kurdish text, and stay allowed (docs/decisions/0019-logos-and-names.md).
"""

from __future__ import annotations

import unicodedata

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


# LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def bidi_controls(text: str) -> tuple[str, ...]:
    """The embedding, override and isolate controls in ``text``, each once, in the
    order they first appear; empty for a name that may be stored."""
    return tuple(dict.fromkeys(c for c in text if c in BIDI_CONTROLS))


def without_bidi_controls(text: str) -> str:
    """``text`` with its embedding, override and isolate controls taken out: how a
    name stored before they were refused is printed where it must read as entered
    (a ballot)."""
    return "".join(c for c in text if c not in BIDI_CONTROLS)


def character_label(character: str) -> str:
    """A character as Unicode names it: ``U+202E RIGHT-TO-LEFT OVERRIDE``."""
    return f"U+{ord(character):04X} {unicodedata.name(character, '')}".rstrip()


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
