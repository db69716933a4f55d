"""Ballot papers: one PDF per governorate for the general seats, and one per component
with candidacies there (domain brief, sections 2 and 4; docs/ballots.md).

A ballot shows every certified list in ballot-number order: its number, its Arabic
name, its logo, and the sequence numbers of its approved candidates. The voter marks
one list and, optionally, one candidate number of that list, as on IHEC's 2023
ballot. Candidates' names are not printed (1,500 names would not stay legible on
Baghdad's ballot); they are published with the lists.

A ballot can only be made once every list on it has its number from the lottery
and every candidate their sequence number: until then :class:`BallotNotReady`.
The PDF is rendered with WeasyPrint, whose Pango/HarfBuzz text layout shapes Arabic
and orders right-to-left text; the paper is always in Arabic, whatever the language
of the page that links to it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from shafaf import __version__
from shafaf.core.certification import CandidateState, ListState
from shafaf.elections.models import Component, Contest, Election, Governorate
from shafaf.entities.logos import image_type
from shafaf.entities.models import Candidate, ListKind, NominationList

TEMPLATE = "entities/ballot.html"
CACHE_SECONDS = 24 * 3600
# The general ballot holds the general lists and the individual candidacies; each
# component's candidacies are on a ballot of their own.
GENERAL_KINDS = (ListKind.GENERAL, ListKind.INDIVIDUAL)
# Logos WeasyPrint can draw, recognised by their first bytes.
class BallotUnavailable(Exception):
    """There is no ballot to give for this request; ``str()`` says why in the active
    language."""


class NoSuchBallot(BallotUnavailable):
    """Unknown governorate or component, or no certified list stands on that ballot."""

    def __init__(self, *, governorate: str, component: str | None, reason: str) -> None:
        self.governorate = governorate
        self.component = component
        self.reason = reason  # "governorate", "component" or "empty"
        super().__init__(governorate, component, reason)

    def __str__(self) -> str:
        if self.reason == "governorate":
            return _("This election has no contest in the governorate %(code)s.") % {
                "code": self.governorate}
        if self.reason == "component":
            return _("There is no component %(component)s.") % {"component": self.component}
        return _("No certified list stands on this ballot in %(code)s.") % {
            "code": self.governorate}


class BallotNotReady(BallotUnavailable):
    """Some list on the ballot has no ballot number yet (the lottery is not drawn or
    not published), or some candidate no sequence number: printing now would print
    the wrong ballot."""

    def __init__(self, *, unnumbered: list[str], unsequenced: int) -> None:
        self.unnumbered = unnumbered  # the Arabic names of the lists without a number
        self.unsequenced = unsequenced  # approved candidates without a sequence number
        super().__init__(unnumbered, unsequenced)

    def __str__(self) -> str:
        parts = []
        if self.unnumbered:
            parts.append(_("%(count)d list(s) on this ballot have no ballot number yet: "
                           "the lottery of ballot numbers has not been drawn and published.")
                         % {"count": len(self.unnumbered)})
        if self.unsequenced:
            parts.append(_("%(count)d candidate(s) on this ballot have no sequence number "
                           "yet.") % {"count": self.unsequenced})
        return " ".join(parts)


@dataclass(frozen=True, kw_only=True)
class BallotList:
    """One list as printed: its ballot number, Arabic name and logo (a data: URI), and
    its candidates' sequence numbers. An individual candidacy has no candidate grid:
    marking the list is marking the candidate."""

    number: int
    code: str
    name: str
    logo: str | None
    individual: bool
    candidates: tuple[int, ...]

    @property
    def grid(self) -> str:
        return grid_uri(self.candidates)


@dataclass(frozen=True, kw_only=True)
class Ballot:
    election_code: str
    election_name: str
    governorate_code: str
    governorate_name: str
    component: str | None
    component_name: str
    lists: tuple[BallotList, ...]

    @property
    def candidate_count(self) -> int:
        return sum(len(entry.candidates) for entry in self.lists)

    @property
    def filename(self) -> str:
        suffix = f"-{self.component}" if self.component else ""
        return f"ballot-{self.election_code}-{self.governorate_code}{suffix}.pdf"

    def fingerprint(self) -> str:
        """SHA-256 of everything printed: equal fingerprints, equal ballots."""
        text = json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class RenderedBallot:
    pdf: bytes
    pages: int


@dataclass(frozen=True, kw_only=True)
class BallotLink:
    """One ballot of a governorate in the index: ``ready`` once every list on it has
    its number."""

    component: str | None
    lists: int
    ready: bool

    @property
    def label(self) -> str:
        """The component's name in the reader's language ("" for the general ballot)."""
        return str(Component(self.component).label) if self.component else ""


@dataclass(frozen=True, kw_only=True)
class GovernorateBallots:
    governorate: Governorate
    general: BallotLink | None
    components: tuple[BallotLink, ...]


def normalise_component(value: str) -> str:
    """``Sabean-Mandaean``, ``sabean mandaean`` and ``sabean_mandaean`` are one code."""
    return re.sub(r"[\s-]+", "_", value.strip().lower())


def build(*, election: Election, governorate: str, component: str | None = None) -> Ballot:
    """The ballot of ``governorate`` (an ISO code such as ``IQ-BG``) for the general
    seats, or for ``component``'s seats. Three queries whatever the size."""
    code = governorate.strip().upper()
    component = normalise_component(component) if component else None
    if component is not None and component not in Component.values:
        raise NoSuchBallot(governorate=code, component=component, reason="component")
    contest = (Contest.objects.select_related("governorate")
               .filter(election=election, governorate__code=code).first())
    if contest is None:
        raise NoSuchBallot(governorate=code, component=component, reason="governorate")
    lists = NominationList.objects.filter(contest=contest, status=ListState.CERTIFIED)
    lists = (lists.filter(kind=ListKind.COMPONENT, component=component) if component
             else lists.filter(kind__in=GENERAL_KINDS))
    nominations = list(lists.select_related("entity")
                       .order_by("entity__ballot_number", "entity__code"))
    if not nominations:
        raise NoSuchBallot(governorate=code, component=component, reason="empty")
    sequences: dict[int, list[int | None]] = {n.pk: [] for n in nominations}
    for nomination_id, sequence in (
            Candidate.objects.filter(nomination__in=[n.pk for n in nominations],
                                     status=CandidateState.APPROVED)
            .order_by("nomination_id", "sequence", "position")
            .values_list("nomination_id", "sequence")):
        sequences[nomination_id].append(sequence)
    unnumbered = [n.entity.name_ar for n in nominations if n.entity.ballot_number is None]
    unsequenced = sum(s is None for numbers in sequences.values() for s in numbers)
    if unnumbered or unsequenced:
        raise BallotNotReady(unnumbered=unnumbered, unsequenced=unsequenced)
    with translation.override("ar"):
        component_name = str(Component(component).label) if component else ""
    return Ballot(
        election_code=election.code, election_name=election.name_ar,
        governorate_code=code, governorate_name=contest.governorate.name_ar,
        component=component, component_name=component_name,
        lists=tuple(
            BallotList(number=n.entity.ballot_number or 0, code=n.entity.code,
                       name=n.entity.name_ar, logo=logo_uri(n.entity.logo),
                       individual=n.kind == ListKind.INDIVIDUAL,
                       candidates=tuple(s for s in sequences[n.pk] if s is not None))
            for n in nominations))


def index(election: Election) -> list[GovernorateBallots]:
    """Every governorate of the election with the ballots it will have: the general
    one and one per component with certified candidacies. One query for the lists."""
    counts = (NominationList.objects
              .filter(contest__election=election, status=ListState.CERTIFIED)
              .values("contest_id", "component")
              .annotate(lists=Count("pk"),
                        unnumbered=Count("pk", filter=Q(entity__ballot_number__isnull=True)))
              .order_by("contest_id", "component"))
    by_contest: dict[int, list[BallotLink]] = {}
    for row in counts:
        by_contest.setdefault(row["contest_id"], []).append(BallotLink(
            component=row["component"] or None, lists=row["lists"],
            ready=row["unnumbered"] == 0))
    contests = Contest.objects.filter(election=election).select_related("governorate")
    governorates = []
    for contest in contests.order_by("governorate__code"):
        links = by_contest.get(contest.pk, [])
        governorates.append(GovernorateBallots(
            governorate=contest.governorate,
            general=next((link for link in links if link.component is None), None),
            components=tuple(link for link in links if link.component is not None)))
    return governorates


def logo_uri(logo: bytes | memoryview | None) -> str | None:
    """The logo as a data: URI, or None when there is none or it is not a PNG, JPEG,
    GIF or SVG picture. The type is read from the bytes themselves, not from what the
    upload claimed."""
    if not logo:
        return None
    data = bytes(logo)
    kind = image_type(data)
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


def specimen_key(ballot: Ballot) -> str:
    """Names the public specimen's PDF: its content and the version that drew it (the
    cache key, and the page's ETag)."""
    return hashlib.sha256(f"{__version__}:{ballot.fingerprint()}".encode()).hexdigest()


def specimen_pdf(ballot: Ballot) -> bytes:
    """The public specimen's PDF, rendered once per content (Django's cache): a
    governorate's ballot takes seconds to draw, and everyone downloads the same."""
    key = f"shafaf:ballot:{specimen_key(ballot)}"
    pdf: bytes | None = cache.get(key)
    if pdf is None:
        pdf = render(ballot, specimen=True).pdf
        cache.set(key, pdf, timeout=CACHE_SECONDS)
    return pdf
