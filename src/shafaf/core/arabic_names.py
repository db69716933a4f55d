"""The alphabetical order of voters' names, as the station lists print them.

A centre's voters are listed, and shared out among its stations, in Arabic
alphabetical order of their full names (docs/register.md, "Rules"). Clerks have
typed the same name in several ways for decades, so the order must not depend on
how a name was keyed in:

- **Marks are ignored**: the harakat, shadda, sukun, tanween, the superscript alif
  and every other combining mark, the tatweel (ـ), the zero-width joiners and the
  direction marks. Spaces are ignored too, so that "عبد الله" and "عبدالله" stand
  together.
- **Hamza forms sort as their seat**: أ إ آ ٱ as ا, ؤ as و, ئ as ي; a standalone ء
  sorts as ا, the letter hamza is written on at the start of a word, and so does ئ
  at the start of a word, where Kurdish writes it as the seat of an initial vowel
  (ئازاد sorts as ازاد, as آزاد does, not among the yaa; ئیمان as ايمان).
- ى sorts as ي, ة as ه (and the heh forms ھ ہ as ه), ی as ي, ک as ك: **interpretation**
  (the commission publishes no collation); it follows how these letters are used in
  place of each other in names.
- The letters of Kurdish and Persian follow the nearest Arabic letter:
  ب پ, ج چ, ر ڕ, ز ژ, ف ڤ, ك گ, ل ڵ, ه ە, و ۆ, ي ێ (see :data:`ALPHABET`). This is
  the Arabic order throughout, not the Kurdish one (which puts و before ه).
- Digits, Arabic-Indic (٠–٩) and Persian (۰–۹) alike, sort as the digits they are,
  before every letter. Any other character sorts by its code point, before the
  Arabic letters.

:func:`sort_key` gives the **primary** key, a string compared character by character
(Python's order, ``COLLATE "C"`` in PostgreSQL, ``BINARY`` in SQLite), so a database
can store and sort it. Names that differ only in what it ignores tie on it;
:func:`collation_key` and :func:`voter_order_key` break every tie with the text as
written, then (for voters) the voter number, so the order is total and the same
whatever order the voters came in. A name is always stored and printed as entered.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

ALPHABET: tuple[str, ...] = (
    "ا", "ب", "پ", "ت", "ث", "ج", "چ", "ح", "خ", "د", "ذ", "ر", "ڕ", "ز", "ژ", "س",
    "ش", "ص", "ض", "ط", "ظ", "ع", "غ", "ف", "ڤ", "ق", "ك", "گ", "ل", "ڵ", "م", "ن",
    "ه", "ە", "و", "ۆ", "ي", "ێ",
)
"""The letters in the order they sort, after the folds of :data:`SORTS_AS`."""

SORTS_AS: Mapping[str, str] = MappingProxyType({
    "ٱ": "ا", "ء": "ا", "ة": "ه", "ھ": "ه", "ہ": "ه", "ى": "ي", "ی": "ي", "ک": "ك",
    # What remains of ؤ ئ أ إ آ ۀ once their hamza or madda is taken off (below) is
    # their seat; these are only the letters Unicode does not decompose.
})
"""Letters that sort as another one."""

# Marks Unicode does not class as combining, and characters that show nothing.
_IGNORED = frozenset("\u0640\u200b\u200c\u200d\u200e\u200f\u061c"
                     "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
_INITIAL_YEH_HAMZA = "\u0626"

# The letters weigh as characters of the last private-use plane (U+100000 on):
# above every assigned character, and no noncharacter a database or a JSON
# reader might refuse.
_LETTER_BASE = 0x100000
_WEIGHT: Mapping[str, str] = MappingProxyType(
    {letter: chr(_LETTER_BASE + rank) for rank, letter in enumerate(ALPHABET)})


def _fold_character(character: str, following: str, *, word_start: bool) -> str:
    """One character (of NFKC text, not a space) as it sorts: empty when ignored."""
    if character == _INITIAL_YEH_HAMZA and word_start:
        # The seat of a word's first vowel: ئا sorts as ا (as آ does), ئی as اي.
        return "" if following == "ا" else "ا"
    if character in _IGNORED or unicodedata.combining(character):
        return ""
    if character.isdecimal():
        return str(unicodedata.decimal(character))
    # The hamza or madda of أ إ آ ؤ ئ ۀ is a combining mark once decomposed.
    return "".join(SORTS_AS.get(c, c) for c in unicodedata.normalize("NFD", character)
                   if not unicodedata.combining(c))


def _next_letter(text: str, i: int) -> str:
    """The first character after ``text[i]`` that is not ignored, or empty."""
    return next((c for c in text[i + 1:] if c not in _IGNORED and not unicodedata.combining(c)),
                "")


def collation_form(text: str) -> str:
    """``text`` as it sorts, in readable letters: marks and tatweel dropped, hamza
    forms on their seat, ى ة ی ک and the heh forms folded, digits in ASCII and runs
    of white space made one space. Applying it twice changes nothing more."""
    # NFKC first: presentation forms and ligatures (ﻻ, ﷲ) become their letters.
    text = unicodedata.normalize("NFKC", text)
    # A whole register is sorted: a name in plain Arabic script and ASCII, without
    # the one letter whose folding depends on its place, is folded in one pass.
    if _PLAIN.fullmatch(text):
        return " ".join(text.translate(_PLAIN_FOLDS).split())
    return _collation_form_by_character(text)


def _collation_form_by_character(text: str) -> str:
    """:func:`collation_form` of NFKC ``text``, character by character."""
    folded: list[str] = []
    word_start = True
    for i, character in enumerate(text):
        if character.isspace():
            word_start = True
            folded.append(" ")
            continue
        following = _next_letter(text, i) if character == _INITIAL_YEH_HAMZA else ""
        part = _fold_character(character, following, word_start=word_start)
        if part:
            word_start = False
            folded.append(part)
    return " ".join("".join(folded).split())


_PLAIN = re.compile(r"[\x20-\x7e\t\n\r\x0b\x0c\u0600-\u0625\u0627-\u06ff]*")
_PLAIN_FOLDS: Mapping[int, str] = MappingProxyType({
    code: " " if chr(code).isspace() else _fold_character(chr(code), "", word_start=False)
    for code in (*range(0x09, 0x0E), *range(0x20, 0x7F), *range(0x0600, 0x0700))
    if code != ord(_INITIAL_YEH_HAMZA)
})
_WEIGHTS: Mapping[int, str | None] = MappingProxyType(
    {ord(" "): None, **{ord(letter): weight for letter, weight in _WEIGHT.items()}})


def sort_key(text: str) -> str:
    """The primary key: :func:`collation_form` without its spaces, with the letters
    weighted in :data:`ALPHABET`'s order, to compare by code point."""
    return collation_form(text).translate(_WEIGHTS)


def collation_key(text: str) -> tuple[str, str]:
    """A key for sorting names: :func:`sort_key`, and the text as written to break
    its ties, so that two different texts never compare equal."""
    return sort_key(text), text


def fold_digits(text: str) -> str:
    """``text`` with its Arabic-Indic and Persian digits as ASCII digits."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def voter_order_key(first: str, father: str, grandfather: str, family: str,
                    voter_number: str) -> tuple[str, ...]:
    """The key of a voter in a centre's list: the four names' primary keys in order
    (first, father's, grandfather's, family), then the names as written, then the
    voter number (its digits folded, then as written). Voter numbers are unique, so
    no two voters of a register tie."""
    names = (first, father, grandfather, family)
    return (*(sort_key(name) for name in names), *names, fold_digits(voter_number),
            voter_number)
