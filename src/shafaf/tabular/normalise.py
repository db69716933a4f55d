"""One normalisation of the names, codes, numbers and dates people write in files.

Headers, labels and codes are compared by :func:`key`: "Sabean-Mandaean",
"sabean mandaean" and "SABEAN_MANDAEAN" are one component; "date_of_birth", "Date of
birth" are one column; "إعدادية" and "اعدادية", or Arabic "ي"/"ك" and Kurdish
"ی"/"ک", are one word. Every reader of a file and the command line use it, so what
one accepts the other accepts. Its Arabic letter folding is the search's
(:func:`shafaf.core.names.fold`), so a name and a label fold alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date

from shafaf.core.names import fold

# Beyond the search folding of :mod:`shafaf.core.names` (alef forms, taa marbuta,
# alef maqsura, Persian yeh and keheh, tatweel), which a label shares with a name:
# Kurdish letter forms a person means as the same letter, and invisible marks.
_LETTERS = str.maketrans({
    "ې": "ي", "ە": "ه", "ھ": "ه",
    "\u200c": None, "\u200d": None, "\u200e": None, "\u200f": None, "\u061c": None,
    "\ufeff": None,
})
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_SEPARATORS = re.compile(r"[\W_]+")


def key(text: str) -> str:
    """The form in which two spellings of a header, label or code compare equal:
    case, accents and harakat, hamza on alef, Arabic or Kurdish letter forms, and
    spaces, hyphens, underscores and brackets do not count."""
    text = fold(unicodedata.normalize("NFKC", text).casefold()).translate(_LETTERS)
    text = "".join(c for c in unicodedata.normalize("NFD", text)
                   if unicodedata.category(c) != "Mn")
    return _SEPARATORS.sub("_", text.translate(_DIGITS)).strip("_")


def spellings(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """A lookup from each spelling's :func:`key` to its code."""
    return {key(spelling): code for spelling, code in pairs if key(spelling)}


def lookup(table: Mapping[str, str], text: str) -> str | None:
    """The code ``text`` names in a table built by :func:`spellings`."""
    return table.get(key(text))


def ascii_digits(text: str) -> str:
    """Arabic-Indic (٤٠٠) and Eastern Arabic-Indic (۴۰۰) digits as 0–9."""
    return text.translate(_DIGITS)


def _(message: str) -> str:
    return message


# More digits than any count Shafaf keeps (PostgreSQL's bigint has 19): such a
# value is out of range before it is converted, and Python refuses to convert one
# of more than 4,300 digits at all (a ValueError, which would be a server error).
DIGITS_LIMIT = 30


def shown(value: str, length: int = 24) -> str:
    """A value as a problem quotes it: a long one cut short."""
    return value if len(value) <= length else value[:length - 4] + "…"


def whole(value: str, limits: tuple[int, int]) -> int | tuple[str, dict[str, object]]:
    """The whole number in ``value``, or why it is not one: a message (for a problem
    collector to word) and its parameters. Arabic-Indic and Eastern Arabic-Indic
    digits (٤٠٠, ۴۰۰) are the same numbers."""
    low, high = limits
    if value[:1] in ("-", "\u2212") and value[1:].isdecimal():
        return _("%(value)s is negative"), {"value": shown(value)}
    if not value.isdecimal():
        return _("%(value)s is not a whole number"), {"value": shown(value)}
    if len(value.lstrip("0")) > DIGITS_LIMIT or not low <= int(value) <= high:
        return _("%(value)s is out of range: it must be from %(low)s to %(high)s"), {
            "value": shown(value), "low": low, "high": high}
    return int(value)


def count(value: str, limits: tuple[int, int],
          translate: Callable[[str], str] = lambda message: message) -> int | str:
    """:func:`whole`, its reason worded by ``translate``."""
    number = whole(value, limits)
    if isinstance(number, tuple):
        message, params = number
        return translate(message) % params
    return number


_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


def day(text: str) -> date | None:
    """A date as people write it in Iraq: 2001-03-02, 2/3/2001, 02/03/2001, 2.3.2001
    (day first, never month first), in any digits; a spreadsheet's date cell
    ("2001-03-02 00:00:00") too. None if it is not a date."""
    text = ascii_digits(text.strip())
    if match := _ISO.fullmatch(text):
        year, month, number = match.groups()
    elif match := _DAY_FIRST.fullmatch(text):
        number, month, year = match.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(number))
    except ValueError:
        return None
