"""A ballot paper drawn: the HTML that WeasyPrint lays out and writes as an A3 PDF in
Arabic (docs/ballots.md). What is on the ballot is decided in
:mod:`shafaf.entities.ballots`; this module only draws it.

WeasyPrint's Pango/HarfBuzz text layout shapes Arabic and orders right-to-left text;
the paper is always in Arabic, whatever the language of the page that links to it.
"""

from __future__ import annotations

import base64
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from shafaf.entities import logos

if TYPE_CHECKING:
    from shafaf.entities.ballots import Ballot, BallotList

TEMPLATE = "entities/ballot.html"


@dataclass(frozen=True)
class RenderedBallot:
    pdf: bytes
    pages: int


def logo_uri(logo: bytes | memoryview | None) -> str | None:
    """The logo as a data: URI, or None when there is none or it does not decode in
    full as a PNG or JPEG picture (:func:`shafaf.entities.logos.printable`): a
    ballot leaves a broken logo off rather than print a black box."""
    if not logo:
        return None
    data = bytes(logo)
    kind = logos.printable(data).kind
    if kind is None:
        return None
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


# The candidate numbers of a list are drawn as one small SVG picture (a grid of numbered
# squares, right to left) rather than as 1,500 boxes of the page's layout: WeasyPrint
# lays out the picture once per distinct grid (most lists share one, 1..N), which keeps
# Baghdad's ballot to seconds. The numbers stay text in the PDF.
PER_ROW = 4  # lists across an A3 page
GRID_COLUMNS = 8
CELL_MM = 7.8


@functools.lru_cache(maxsize=256)
def grid_uri(sequences: tuple[int, ...]) -> str:
    """The grid of a list's candidate numbers as a data: URI (SVG, millimetres)."""
    rows = max(1, -(-len(sequences) // GRID_COLUMNS))
    width, height = GRID_COLUMNS * CELL_MM, rows * CELL_MM
    side = CELL_MM - 0.8
    squares, numbers = [], []
    for index, sequence in enumerate(sequences):
        row, column = divmod(index, GRID_COLUMNS)
        x = width - (column + 1) * CELL_MM + 0.4  # the first number on the right
        y = row * CELL_MM + 0.4
        squares.append(f'<rect x="{x:.2f}" y="{y:.2f}" width="{side:.2f}" height="{side:.2f}"/>')
        numbers.append(f'<text x="{x + side / 2:.2f}" y="{y + side / 2 + 1.25:.2f}">'
                       f'{sequence}</text>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}mm" height="{height:g}mm" '
           f'viewBox="0 0 {width:g} {height:g}">'
           f'<g fill="none" stroke="#000" stroke-width="0.3">{"".join(squares)}</g>'
           f'<g font-family="Noto Sans, Noto Sans Arabic, sans-serif" font-size="3.5" '
           f'text-anchor="middle" fill="#000">{"".join(numbers)}</g></svg>')
    return f"data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode('ascii')}"


def _css_string(text: str) -> str:
    """A CSS string literal, safe inside a <style> element."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>&' or ord(c) < 0x20 else c for c in text)
    return f'"{escaped}"'


def _page_of_css() -> SafeString:
    """``content`` for the page footer, "Page X of Y" in the translators' word order."""
    text = _("Page %(page)s of %(pages)s")
    parts = []
    for piece in re.split(r"(%\((?:page|pages)\)s)", text):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append(_css_string(piece))
    return mark_safe(" ".join(parts))  # noqa: S308 - every piece is escaped above


def _rows(lists: tuple[BallotList, ...]) -> list[list[BallotList | None]]:
    """The lists by rows of PER_ROW, the last row filled with empty places."""
    padded: list[BallotList | None] = [*lists, *[None] * (-len(lists) % PER_ROW)]
    return [padded[i:i + PER_ROW] for i in range(0, len(padded), PER_ROW)]


def html(ballot: Ballot, *, specimen: bool) -> str:
    """The ballot as an HTML document for WeasyPrint, in Arabic."""
    with translation.override("ar"):
        return render_to_string(TEMPLATE, {
            "ballot": ballot, "specimen": specimen, "page_of": _page_of_css(),
            "rows": _rows(ballot.lists),
        })


def _fetcher() -> Any:
    """The ballot loads nothing but its own data: URIs (logos): no file and no network
    request can come out of an entity's logo, an SVG's links included."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), allow_redirects=False)


def render(ballot: Ballot, *, specimen: bool) -> RenderedBallot:
    """The ballot as PDF. ``specimen`` marks every page as a specimen, not for voting
    (the public pages always do)."""
    import weasyprint

    document = weasyprint.HTML(string=html(ballot, specimen=specimen),
                               base_url=str(Path(__file__).parent),
                               url_fetcher=_fetcher()).render()
    return RenderedBallot(pdf=document.write_pdf(), pages=len(document.pages))
