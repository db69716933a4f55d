"""The forensics' plots as SVG, drawn by the server with matplotlib (docs/forensics.md).

Three plots from :mod:`shafaf.core.forensics`' results: the last digits against the
uniform, the turnout histogram, and the turnout × vote-share fingerprint. They are
files like any published artefact: no script, no third-party origin, printable.

Labels are numbers and short English axis names only: matplotlib draws Arabic
letters unjoined and left to right (it does not shape or reorder them), so a plot's
Arabic or Kurdish caption belongs in the page around it, where the browser shapes
it. The text is SVG text (``svg.fonttype: none``), so the reader's fonts draw it.

The output is the same for the same input (a fixed hash salt, no date), so a
published plot can be checked by drawing it again with the same matplotlib.
"""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: never a GUI backend on a server

from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from shafaf.core.forensics import Fingerprint, LastDigit, TurnoutHistogram

_STYLE: Any = {"svg.hashsalt": "shafaf", "svg.fonttype": "none", "font.size": 9,
          "axes.spines.top": False, "axes.spines.right": False}
_BAR = "#2b6c8f"
_REFERENCE = "#c0392b"


def _svg(figure: Figure) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return out.getvalue()


def _figure(width: float = 5.0, height: float = 3.2, *, right: float = 0.97) -> Figure:
    # Fixed margins, not a layout engine: the labels are short and known, and a
    # layout engine would draw every plot twice.
    figure = Figure(figsize=(width, height))
    figure.subplots_adjust(left=0.13, right=right, bottom=0.15, top=0.9)
    return figure


def last_digit_svg(result: LastDigit) -> str:
    """How many counts end in each digit, with the uniform's expectation as a line."""
    with matplotlib.rc_context(_STYLE):
        figure = _figure()
        axes = figure.add_subplot()
        digits = list(range(10))
        axes.bar(digits, result.frequencies, color=_BAR, width=0.7)
        axes.axhline(result.counts_used / 10, color=_REFERENCE, linestyle="--", linewidth=1)
        axes.set_xticks(digits)
        axes.set_xlabel("last digit")
        axes.set_ylabel("counts")
        p_value = "—" if result.p_value is None else f"{result.p_value:.3g}"
        axes.set_title(f"n = {result.counts_used:,}   χ² = {float(result.chi2):.2f}   "
                       f"p = {p_value}", fontsize=9)
        return _svg(figure)


def turnout_svg(result: TurnoutHistogram) -> str:
    """Stations by turnout, 0 to 100%; those over 100% in a bar of their own."""
    with matplotlib.rc_context(_STYLE):
        figure = _figure()
        axes = figure.add_subplot()
        n = len(result.bins)
        width = 100 / n
        # One filled outline, not a hundred bars.
        axes.stairs(result.bins, [i * width for i in range(n + 1)], fill=True, color=_BAR)
        if result.over_100:
            axes.bar([100 + width], [result.over_100], width=width * 2, align="edge",
                     color=_REFERENCE, linewidth=0)
        axes.set_xlim(0, 100 + 4 * width if result.over_100 else 100)
        axes.set_xlabel("turnout (%)")
        axes.set_ylabel("stations")
        axes.set_title(f"stations = {sum(result.bins) + result.over_100:,}   "
                       f"over 100% = {result.over_100:,}", fontsize=9)
        return _svg(figure)


def fingerprint_svg(result: Fingerprint) -> str:
    """The stations in the turnout × vote-share plane, darker where there are more
    (a logarithmic scale: one station shows as well as a thousand)."""
    with matplotlib.rc_context(_STYLE):
        figure = _figure(4.6, 4.0, right=0.9)
        axes = figure.add_subplot()
        grid: list[list[float]] = [[value or float("nan") for value in row]
                                   for row in result.grid]
        peak = max((max(row) for row in result.grid), default=0)
        options: dict[str, Any] = {"origin": "lower", "extent": (0, 100, 0, 100),
                                   "interpolation": "nearest", "cmap": "viridis",
                                   "aspect": "equal"}
        if peak > 1:
            options["norm"] = LogNorm(vmin=1, vmax=peak)
        image = axes.imshow(grid, **options)
        bar = figure.colorbar(image, ax=axes, label="stations", shrink=0.8,
                              format=FuncFormatter(lambda value, _: f"{value:g}"))
        bar.minorticks_off()
        axes.set_xlabel("turnout (%)")
        axes.set_ylabel("vote share (%)")
        axes.set_title(f"stations = {result.stations_used:,}", fontsize=9)
        return _svg(figure)
