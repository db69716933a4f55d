"""The update campaign's figures: requests submitted and applied per governorate
and per day, by kind, and the charts that show them.

Two grouped counts read the whole campaign (one over the day submitted, one over
the day applied, each served by its index); everything else is summed here. The
charts are SVG drawn on the server: no script, no font or file from elsewhere.
Each is a stack of horizontal bars, one a row, that grow from the reading side
(from the right in Arabic and Kurdish); the table beside each chart holds the same
figures for a screen reader and for copying.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from shafaf.elections.models import Election, Governorate
from shafaf.register.models import CampaignRequest, RequestKind

KINDS = tuple(RequestKind)
# One colour a kind, told apart by people with the commonest colour blindness
# (Okabe and Ito's palette).
COLOURS: dict[str, str] = {RequestKind.NEW_REGISTRATION: "#0072B2", RequestKind.TRANSFER: "#E69F00",
           RequestKind.CORRECTION: "#009E73", RequestKind.REPLACEMENT_CARD: "#CC79A7",
           RequestKind.SPECIAL_VOTING: "#56B4E9", RequestKind.REMOVAL_OF_DECEASED: "#555555"}


def _by_kind() -> dict[str, int]:
    return dict.fromkeys(KINDS, 0)


@dataclass
class Row:
    """One bar: a day or a governorate, its counts by kind."""

    key: str
    label: str
    submitted: dict[str, int] = field(default_factory=_by_kind)
    applied: dict[str, int] = field(default_factory=_by_kind)

    @property
    def submitted_total(self) -> int:
        return sum(self.submitted.values())

    @property
    def applied_total(self) -> int:
        return sum(self.applied.values())

    def cells(self) -> list[tuple[int, int]]:
        """(submitted, applied) for each kind, in the kinds' order."""
        return [(self.submitted[kind], self.applied[kind]) for kind in KINDS]


@dataclass
class Figures:
    election: Election
    days: list[Row]
    governorates: list[Row]
    national: Row
    csv_rows: list[tuple[str, str, str, int, int]]


def figures(election: Election) -> Figures:
    submitted = (CampaignRequest.objects.filter(election=election)
                 .values_list("submitted_on", "governorate_id", "kind")
                 .annotate(n=Count("pk")).order_by())
    applied = (CampaignRequest.objects.filter(election=election, applied_on__isnull=False)
               .values_list("applied_on", "governorate_id", "kind")
               .annotate(n=Count("pk")).order_by())
    governorates = {g.pk: g for g in Governorate.objects.all()}
    days: dict[date, Row] = {}
    places: dict[int, Row] = {}
    national = Row("", "")
    cells: dict[tuple[date, int, str], list[int]] = defaultdict(lambda: [0, 0])
    for column, counts in ((0, submitted), (1, applied)):
        for day, governorate, kind, n in counts:
            day_row = days.get(day)
            if day_row is None:
                day_row = days[day] = Row(day.isoformat(), day.isoformat())
            place_row = places.get(governorate)
            if place_row is None:  # a name in the reader's language, once a governorate
                place = governorates[governorate]
                place_row = places[governorate] = Row(place.code, place.name)
            for row in (day_row, place_row, national):
                (row.submitted if column == 0 else row.applied)[kind] += n
            cells[day, governorate, kind][column] += n
    csv_rows = sorted((day.isoformat(), str(governorates[governorate].code), str(kind),
                       counts[0], counts[1])
                      for (day, governorate, kind), counts in cells.items())
    return Figures(election, [days[d] for d in sorted(days)],
                   sorted(places.values(), key=lambda row: row.key), national, csv_rows)


def figures_csv(found: Figures) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("day", "governorate", "kind", "submitted", "applied"))
    writer.writerows(found.csv_rows)
    return out.getvalue()


# --- the charts ----------------------------------------------------------------------

WIDTH = 640
LABEL = 150  # room for a row's label
BAR = 18
GAP = 6
TOTAL = 60  # room for the total after the bar


def bar_chart(rows: Sequence[Row], *, applied: bool, title: str, labels: Mapping[str, str],
              rtl: bool, ident: str, kinds: Sequence[str] = KINDS,
              colours: Mapping[str, str] = COLOURS) -> SafeString:
    """Stacked horizontal bars, one per row, a segment per kind, as inline SVG. Other
    figures (observation's awareness activities) pass their own kinds and colours."""
    counts = [row.applied if applied else row.submitted for row in rows]
    top = max((sum(c.values()) for c in counts), default=0) or 1
    span = WIDTH - LABEL - TOTAL
    height = max(1, len(rows)) * (BAR + GAP) + GAP
    # Anchors are physical (direction="ltr" on the drawing): in Arabic and Kurdish the
    # labels stand at the right edge and the bars grow leftwards from them.
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="campaign-chart" '
             f'viewBox="0 0 {WIDTH} {height}" width="100%" role="img" direction="ltr" '
             f'aria-labelledby="{ident}-title" preserveAspectRatio="xMinYMin meet">',
             f'<title id="{ident}-title">{escape(title)}</title>']
    label_x = WIDTH - 4 if rtl else LABEL - 6
    for index, (row, by_kind) in enumerate(zip(rows, counts, strict=True)):
        y = GAP + index * (BAR + GAP)
        parts.append(f'<text x="{label_x}" y="{y + BAR - 4}" font-size="12" '
                     f'text-anchor="end">{escape(row.label)}</text>')
        offset = 0.0
        for kind in kinds:
            n = by_kind.get(kind, 0)
            if not n:
                continue
            width = span * n / top
            x = (WIDTH - LABEL - offset - width) if rtl else (LABEL + offset)
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR}" '
                         f'fill="{colours[kind]}"><title>'
                         f'{escape(labels[kind])}: {n:,}</title></rect>')
            offset += width
        total = sum(by_kind.values())
        total_x = (WIDTH - LABEL - offset - 4) if rtl else (LABEL + offset + 4)
        parts.append(f'<text x="{total_x:.1f}" y="{y + BAR - 4}" font-size="12" '
                     f'text-anchor="{"end" if rtl else "start"}">{total:,}</text>')
    parts.append("</svg>")
    # Every value above is a number, a colour of ours or escaped text.
    return mark_safe("".join(parts))  # noqa: S308
