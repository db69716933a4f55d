"""The centre lists' order as one stored string.

:func:`shafaf.core.arabic_names.voter_order_key` is a tuple; the database compares
one column. Its parts are joined with U+0001, which sorts before every character a
part can hold (the keys have no control characters, and names with one are refused
at import), so comparing the joined strings by code point compares the tuples.
PostgreSQL must compare them with ``COLLATE "C"``; SQLite compares by code point.
"""

from functools import lru_cache

from shafaf.core.arabic_names import fold_digits, sort_key

SEPARATOR = "\x01"

# A register repeats its names endlessly (a few thousand first names for 16 million
# voters): each name's key is computed once.
_name_key = lru_cache(maxsize=1 << 16)(sort_key)
# The key of one name part, as stored_sort_key computes it.
name_key = _name_key


def stored_sort_key(first: str, father: str, grandfather: str, family: str,
                    voter_number: str) -> str:
    """``SEPARATOR.join(voter_order_key(...))``, with the names' keys cached."""
    return SEPARATOR.join((_name_key(first), _name_key(father), _name_key(grandfather),
                           _name_key(family), first, father, grandfather, family,
                           fold_digits(voter_number), voter_number))
