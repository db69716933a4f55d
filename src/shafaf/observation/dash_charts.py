"""Observation's charts: horizontal bars drawn on the server as SVG, in the register
campaign's manner (shafaf.register.campaign_figures: the same measures, bars growing
from the reading side), one value a row; each page puts a table of the same figures
under its chart."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from shafaf.register.campaign_figures import BAR, GAP, LABEL, TOTAL, WIDTH

COLOUR = "#0072B2"


def bars(rows: Sequence[tuple[str, float, str]], *, title: str, rtl: bool, ident: str,
         top: float | None = None) -> SafeString:
    """One bar a row: (label, value, the value as shown). ``top`` is the full length
    (the largest value when not given; 1 for shares)."""
    top = top or max((value for _, value, _ in rows), default=0) or 1
    span = WIDTH - LABEL - TOTAL
    height = max(1, len(rows)) * (BAR + GAP) + GAP
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="campaign-chart" '
             f'viewBox="0 0 {WIDTH} {height}" width="100%" role="img" direction="ltr" '
             f'aria-labelledby="{escape(ident)}-title" preserveAspectRatio="xMinYMin meet">',
             f'<title id="{escape(ident)}-title">{escape(title)}</title>']
    label_x = WIDTH - 4 if rtl else LABEL - 6
    for index, (label, value, shown) in enumerate(rows):
        y = GAP + index * (BAR + GAP)
        width = span * max(0.0, min(float(value), top)) / top
        x = (WIDTH - LABEL - width) if rtl else LABEL
        text_x = (WIDTH - LABEL - width - 4) if rtl else (LABEL + width + 4)
        parts += [f'<text x="{label_x}" y="{y + BAR - 4}" font-size="12" '
                  f'text-anchor="end">{escape(label)}</text>',
                  f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR}" '
                  f'fill="{COLOUR}"><title>{escape(label)}: {escape(shown)}</title></rect>',
                  f'<text x="{text_x:.1f}" y="{y + BAR - 4}" font-size="12" '
                  f'text-anchor="{"end" if rtl else "start"}">{escape(shown)}</text>']
    parts.append("</svg>")
    # Every value above is a number, our colour or escaped text.
    return mark_safe("".join(parts))  # noqa: S308
