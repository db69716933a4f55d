"""The centre lists' order as one stored string.

:func:`shafaf.core.arabic_names.voter_order_key` is a tuple; the database compares
one column. Its parts are joined with U+0001, which sorts before every character a
part can hold (the keys have no control characters, and names with one are refused
at import), so comparing the joined strings by code point compares the tuples.
PostgreSQL must compare them with ``COLLATE "C"``; SQLite compares by code point.
"""

from shafaf.core.arabic_names import voter_order_key

SEPARATOR = "\x01"


def stored_sort_key(first: str, father: str, grandfather: str, family: str,
                    voter_number: str) -> str:
    return SEPARATOR.join(voter_order_key(first, father, grandfather, family, voter_number))
