"""Where do I vote: a voter's polling centre and station from the voter number and
the year of birth (docs/register-lookup.md).

The answer names the centre, the station, the governorate and where the centre is,
never the voter: no name, no birth date, no category. Every failure (a number that
is not in the register, a wrong year, a voter who is not active) is one and the same
answer, so that nobody can learn from the lookup whether a number exists.

A client address that fails more than ``FAILURES_PER_MINUTE`` times in one minute is
refused until the minute ends. The count is a database row per address and minute,
upserted in one statement and only on a failure: it is shared by every server
process, and a successful lookup writes nothing.

This module is the lean path's core: one statement (the voter by its indexed number,
and the address's count by its unique key), no ORM objects, nothing that grows with
the register.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection

from shafaf.access.addresses import counted_address
from shafaf.register.models import VOTER_NUMBER_LENGTH, Status

FAILURES_PER_MINUTE = 10
VOTER_NUMBER_MAX: int = VOTER_NUMBER_LENGTH
BIRTH_YEAR_MIN = 1900
BIRTH_YEAR_MAX = 2100
LANGUAGES = ("ar", "ckb", "en")


@dataclass(frozen=True)
class Place:
    """What a voter may be told: where to vote, nothing about the voter."""

    centre_code: str
    centre_name: str
    station_number: int | None
    governorate_code: str
    governorate_name: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None

    @property
    def map_link(self) -> str:
        """The centre on OpenStreetMap (a plain link), when its location is known."""
        if self.latitude is None or self.longitude is None:
            return ""
        return (f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
                f"#map=17/{self.latitude}/{self.longitude}")


@dataclass(frozen=True)
class Throttled:
    """Too many failures from this address: try again after ``retry_after`` seconds."""

    retry_after: int


# Plain SQL on the tables' own names (checked against the models by a test).
# One statement answers both questions, the address's failures this minute and the
# voter's place: the one row of ``o`` always comes back, so a failure still reads
# the count.
_QUERY = (
    "SELECT f.failures, x.* FROM (SELECT 1 AS one) o"
    " LEFT JOIN register_lookupfailures f ON f.address = %s AND f.minute = %s"
    " LEFT JOIN (SELECT v.birth_date, c.code, c.name_ar, c.name_ckb, c.name_en, c.address,"
    " c.latitude, c.longitude, s.number, g.code AS g_code, g.name_ar AS g_ar,"
    " g.name_ckb AS g_ckb, g.name_en AS g_en"
    " FROM register_voter v"
    " JOIN elections_pollingcentre c ON c.id = v.centre_id"
    " JOIN elections_governorate g ON g.id = c.governorate_id"
    " LEFT JOIN elections_pollingstation s ON s.id = v.station_id"
    " WHERE v.voter_number = %s AND v.status = %s) x ON 1 = 1"
)
TABLES = ("register_voter", "elections_pollingcentre", "elections_governorate",
          "elections_pollingstation", "register_lookupfailures")
# One statement on both databases (SQLite 3.35 and later, PostgreSQL 9.5 and later).
_COUNT_FAILURE = (
    "INSERT INTO register_lookupfailures (address, minute, failures) VALUES (%s, %s, 1)"
    " ON CONFLICT (address, minute) DO UPDATE SET failures ="
    " register_lookupfailures.failures + 1 RETURNING failures"
)
_FORGET = "DELETE FROM register_lookupfailures WHERE minute < %s"


def _name(row: tuple[object, ...], first: int, language: str) -> str:
    names = {"ar": row[first], "ckb": row[first + 1], "en": row[first + 2]}
    return str(names.get(language) or row[first])


def _decimal(value: object) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _year(value: object) -> int | None:
    text = str(value)  # a date from PostgreSQL, "YYYY-MM-DD" from SQLite
    return int(text[:4]) if text[:4].isdigit() else None


def _read(where: str, minute: int, voter_number: str) -> tuple[Any, ...] | None:
    """The statement's one row. On PostgreSQL a prepared statement, kept by each
    database connection: planning five joined tables costs several times what
    running the statement does (Django binds parameters on the client, and so
    never prepares)."""
    params: list[str | int] = [where, minute, voter_number, Status.ACTIVE.value]
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(_QUERY, params, prepare=True)
            row: tuple[Any, ...] | None = cursor.fetchone()
            return row
    with connection.cursor() as cursor:
        cursor.execute(_QUERY, params)
        row = cursor.fetchone()
        return row


def lookup(voter_number: str, birth_year: int, *, address: str | None,
           language: str = "ar", now: float | None = None) -> Place | Throttled | None:
    """The voter's polling place; ``None`` for every failure (which is counted), or
    ``Throttled`` once this address has failed more than ``FAILURES_PER_MINUTE``
    times in the current minute."""
    now = time.time() if now is None else now
    minute = int(now // 60)
    retry_after = max(1, 60 - int(now % 60))
    where = counted_address(address)
    found = _read(where, minute, voter_number)
    with connection.cursor() as cursor:
        if found is not None and found[0] is not None and found[0] > FAILURES_PER_MINUTE:
            return Throttled(retry_after)
        row = found[1:] if found is not None else ()
        if row and row[0] is not None and _year(row[0]) == birth_year:
            return Place(
                centre_code=str(row[1]), centre_name=_name(row, 2, language),
                station_number=None if row[8] is None else int(row[8]),
                governorate_code=str(row[9]), governorate_name=_name(row, 10, language),
                address=str(row[5] or ""), latitude=_decimal(row[6]),
                longitude=_decimal(row[7]))
        cursor.execute(_COUNT_FAILURE, [where, minute])
        counted = cursor.fetchone()
        failures = int(counted[0]) if counted else 1
        if failures == 1:
            # The address's first failure this minute: counts of earlier minutes say
            # nothing any more.
            cursor.execute(_FORGET, [minute - 1])
    if failures > FAILURES_PER_MINUTE:
        return Throttled(retry_after)
    return None
