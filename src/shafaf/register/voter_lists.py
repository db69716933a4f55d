"""The station voter lists as PDF, in Arabic, right to left (docs/register-stations.md).

Two kinds: the list **posted** at the centre (each voter's number in the station's
list and full four-part name, in list order) and the **polling-day** list the
station's staff hold (the same, with the voter's card number and a column to sign or
thumbprint). Every page is headed with the election, governorate, centre and
station, and numbered "page X of Y" within its station.

A whole centre is printed one station at a time, each laid out on its own by
WeasyPrint and appended to one PDF: memory follows the largest station, never the
centre. Every print is an audited action (who, which centre and station, which kind;
never a name).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models.functions import Collate
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from shafaf.access.checks import governorate_scope, require
from shafaf.access.people import Visitor
from shafaf.access.roles import Capability
from shafaf.audit.actions import record
from shafaf.elections.models import PollingCentre, PollingStation
from shafaf.register.models import Status, Voter

TEMPLATE = "register/stations_voter_list.html"


class Kind(StrEnum):
    POSTED = "posted"
    POLLING_DAY = "polling-day"


@dataclass(frozen=True)
class Row:
    number: int
    voter_number: str
    name: str


@dataclass(frozen=True)
class Printed:
    """What was printed: the counts of its audit event."""

    centre: str
    station: int | None
    kind: Kind
    stations: int
    voters: int
    pages: int


def _css_string(text: str) -> str:
    """A CSS string literal, safe inside a <style> element."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>&' or ord(c) < 0x20 else c for c in text)
    return f'"{escaped}"'


def _page_of_css() -> SafeString:
    """``content`` for the page footer, "Page X of Y" in the translators' word order."""
    parts = []
    for piece in re.split(r"(%\((?:page|pages)\)s)", str(gettext("Page %(page)s of %(pages)s"))):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append(_css_string(piece))
    return mark_safe(" ".join(parts))  # noqa: S308 - every piece is escaped above


def full_name(first: str, father: str, grandfather: str, family: str) -> str:
    return " ".join(part for part in (first, father, grandfather, family) if part)


def station_rows(station: PollingStation) -> Iterator[Row]:
    """The station's active voters in the centre's list order, numbered from 1."""
    collation = "C" if connection.vendor == "postgresql" else "BINARY"
    voters = (Voter.objects.filter(station=station, status=Status.ACTIVE)
              .order_by(Collate("sort_key", collation))
              .values_list("voter_number", "first_name", "father_name", "grandfather_name",
                           "family_name"))
    for number, (voter_number, *names) in enumerate(voters.iterator(chunk_size=2_000),
                                                     start=1):
        yield Row(number, voter_number, full_name(*names))


def html(station: PollingStation, kind: Kind, rows: list[Row]) -> str:
    centre = station.centre
    with translation.override("ar"):
        return render_to_string(TEMPLATE, {
            "election": centre.election.name, "governorate": centre.governorate.name,
            "centre": centre, "station": station, "rows": rows, "count": len(rows),
            "polling_day": kind == Kind.POLLING_DAY, "page_of": _page_of_css()})


def _fetcher() -> Any:
    """The lists load nothing: no file and no network request."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=(), allow_redirects=False)


def render_station(station: PollingStation, kind: Kind) -> tuple[bytes, int, int]:
    """One station's list: (PDF, pages, voters)."""
    import weasyprint

    rows = list(station_rows(station))
    document = weasyprint.HTML(string=html(station, kind, rows),
                               base_url=str(Path(__file__).parent),
                               url_fetcher=_fetcher()).render()
    return document.write_pdf(), len(document.pages), len(rows)


def _stations(centre: PollingCentre, number: int | None) -> list[PollingStation]:
    stations = (PollingStation.objects.filter(centre=centre)
                .select_related("centre__election", "centre__governorate").order_by("number"))
    if number is not None:
        stations = stations.filter(number=number)
    return list(stations)


def print_lists(*, actor: Visitor | None, centre: PollingCentre, kind: Kind,
                out: IO[bytes], station: int | None = None) -> Printed:
    """Write one station's list (``station``: its number) or the whole centre's, one
    PDF, to ``out``; one audit event. Outside the actor's governorate:
    PermissionDenied (the pages answer 404 before they call this)."""
    if actor is not None:
        actor = require(actor, Capability.EXPORT_REGISTER)
        scope = governorate_scope(actor)
        if scope is not None and centre.governorate_id != scope:
            raise PermissionDenied
    stations = _stations(centre, station)
    if station is not None and not stations:
        raise PollingStation.DoesNotExist
    with transaction.atomic():
        pages = voters = 0
        if len(stations) == 1:
            pdf, pages, voters = render_station(stations[0], kind)
            out.write(pdf)
        else:
            from pypdf import PdfWriter

            writer = PdfWriter()
            for one in stations:
                pdf, station_pages, station_voters = render_station(one, kind)
                writer.append(io.BytesIO(pdf))
                pages += station_pages
                voters += station_voters
            if not stations:  # a centre without stations: one empty page says so
                pdf, pages, voters = _empty_centre(centre, kind)
                out.write(pdf)
            else:
                writer.write(out)
        printed = Printed(centre=centre.code, station=station, kind=kind,
                          stations=len(stations), voters=voters, pages=pages)
        record(actor=actor, action="register.print_voter_lists", target=centre,
               data={"election": centre.election.code, "centre": centre.code,
                     "station": station, "kind": str(kind), "stations": len(stations),
                     "voters": voters, "pages": pages})
    return printed


def _empty_centre(centre: PollingCentre, kind: Kind) -> tuple[bytes, int, int]:
    import weasyprint

    placeholder = PollingStation(centre=centre, number=0, code=centre.code)
    document = weasyprint.HTML(string=html(placeholder, kind, []),
                               url_fetcher=_fetcher()).render()
    return document.write_pdf(), len(document.pages), 0
