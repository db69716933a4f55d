"""How a governorate's results read on a page and in the PDF: lists and seats, the
seat chart (a parliament-style half circle, drawn by the server as SVG), the elected
candidates with each quota replacement in words, turnout and stations counted. Built
from an allocation report (a publication's ``allocation.json`` or the live tabulation)
so the public page shows exactly what was published."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

# Distinct colours that read on white and in grey print (with the list's number).
PALETTE = ("#1b6ca8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#16a085", "#7f8c8d",
           "#b7950b", "#2c3e50", "#e84393", "#6d4c41", "#00838f")
OTHER = "#bdbdbd"


@dataclass(frozen=True, kw_only=True)
class Seat:
    x: float
    y: float
    colour: str
    label: str


@dataclass(frozen=True, kw_only=True)
class ListLine:
    list_id: str
    name: str
    votes: int
    share: str
    seats: int
    colour: str
    below_threshold: bool


@dataclass(frozen=True, kw_only=True)
class ElectedLine:
    candidate_id: str
    name: str
    list_name: str
    component: str | None
    votes: int
    basis: str


def percent(part: int, whole: int) -> str:
    if not whole:
        return "0.0"
    return f"{part * 100 / whole:.1f}"


def seat_positions(count: int, *, width: float = 300.0) -> list[tuple[float, float]]:
    """``count`` seat centres on concentric half circles, filled left to right by angle
    (as a parliament chart reads), in a box ``width`` wide and half as high."""
    if count <= 0:
        return []
    rows = max(1, min(8, math.ceil(math.sqrt(count / 2.2))))
    outer = width / 2 - 8
    inner = outer * (0.4 if rows > 1 else 1.0)
    radii = [inner + (outer - inner) * (i / (rows - 1) if rows > 1 else 0) for i in range(rows)]
    total_radius = sum(radii)
    per_row = [max(1, round(count * r / total_radius)) for r in radii]
    per_row[-1] += count - sum(per_row)
    while per_row[-1] < 1:  # rounding gave the inner rows too many
        biggest = per_row.index(max(per_row[:-1]))
        per_row[biggest] -= 1
        per_row[-1] += 1
    seats: list[tuple[float, float, float]] = []
    for radius, n in zip(radii, per_row, strict=True):
        for k in range(n):
            angle = math.pi * (1 - (k / (n - 1) if n > 1 else 0.5))
            seats.append((angle, width / 2 + radius * math.cos(angle),
                          width / 2 - radius * math.sin(angle)))
    seats.sort(key=lambda s: (-round(s[0], 6), s[1]))
    return [(round(x, 1), round(y, 1)) for _a, x, y in seats]


def replacement_sentence(r: dict[str, Any], list_names: dict[str, str]) -> str:
    elected = r["elected"]
    replaced = r["replaced"]
    values = {
        "woman": elected.get("name") or elected["candidate_id"],
        "woman_votes": elected["votes"],
        "man": replaced.get("name") or replaced["candidate_id"],
        "man_votes": replaced["votes"],
        "list": list_names.get(r["list_id"]) or r["list_id"],
        "man_list": list_names.get(replaced.get("list_id") or "") or replaced.get("list_id"),
    }
    if r["reason"] == "list_below_its_share":
        text = _("%(woman)s (%(woman_votes)s votes) takes the seat %(man)s (%(man_votes)s "
                 "votes) won on %(list)s: the list had fewer women than the quota asks of "
                 "its seats.")
    else:
        text = _("%(woman)s (%(woman_votes)s votes, %(list)s) takes the seat of %(man)s "
                 "(%(man_votes)s votes, %(man_list)s): the governorate had fewer women "
                 "elected than its quota.")
    return text % values


def basis_label(basis: str) -> str:
    if basis == "votes":
        return _("on votes")
    if basis == "component":
        return _("component seat")
    return _("women's quota")


def view(*, report: dict[str, Any], stations: dict[str, Any],
         turnout: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything a results page or the PDF shows, from an allocation report."""
    total_votes = sum(int(lst["votes"]) for lst in report["lists"])
    ordered = sorted(report["lists"], key=lambda lst: (-int(lst["seats"]), -int(lst["votes"]),
                                                       lst["list_id"]))
    colours = {lst["list_id"]: PALETTE[i % len(PALETTE)] for i, lst in enumerate(ordered)}
    list_names = {lst["list_id"]: lst.get("name") or lst["list_id"] for lst in report["lists"]}
    lines = [ListLine(list_id=lst["list_id"], name=list_names[lst["list_id"]],
                      votes=int(lst["votes"]), share=percent(int(lst["votes"]), total_votes),
                      seats=int(lst["seats"]), colour=colours[lst["list_id"]],
                      below_threshold=bool(lst.get("below_threshold")))
             for lst in ordered]
    component_seats = dict(report.get("component_seats") or {})
    seat_labels: list[tuple[str, str]] = []
    for line in lines:
        seat_labels += [(line.colour, f"{line.name} ({line.list_id})")] * line.seats
    for component, n in component_seats.items():
        seat_labels += [(OTHER, component)] * n
    positions = seat_positions(len(seat_labels))
    seats = [Seat(x=x, y=y, colour=c, label=label)
             for (x, y), (c, label) in zip(positions, seat_labels, strict=True)]
    elected = [ElectedLine(candidate_id=e["candidate_id"], name=e.get("name") or e["candidate_id"],
                           list_name=list_names.get(e.get("list_id") or "", ""),
                           component=e.get("component"), votes=int(e["votes"]),
                           basis=basis_label(e["basis"]))
               for e in report["elected"]]
    turnout = turnout or {}
    registered = int(turnout.get("registered") or 0)
    voted = int(turnout.get("voted") or 0)
    return {
        "lists": lines,
        "seats": seats,
        "seat_count": len(seats),
        "general_seats": report["seats"],
        "component_seats": component_seats,
        "elected": elected,
        "replacements": [replacement_sentence(r, list_names) for r in report["replacements"]],
        "women_quota": report.get("women_quota"),
        "disqualified": report.get("disqualified") or [],
        "total_votes": total_votes,
        "stations_total": int(stations.get("total") or 0),
        "stations_counted": int(stations.get("counted") or 0),
        "stations_share": percent(int(stations.get("counted") or 0),
                                  int(stations.get("total") or 0)),
        "quarantined": list(stations.get("quarantined") or []),
        "registered": registered,
        "voted": voted,
        "turnout": percent(voted, registered) if registered else None,
    }
