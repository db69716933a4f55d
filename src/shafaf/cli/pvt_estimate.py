"""``shafaf pvt estimate``: each list's share and its 95% margin from the sampled
stations' reports, by the ratio estimator (:mod:`shafaf.core.pvt_estimate`;
docs/pvt-estimate.md), nationally and per stratum, beside the official result when
one is given.

Exit status: 0 done; 2 bad input (every bad row named, nothing computed). Nothing
here needs Django; the reader and the core are imported when the command runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shafaf.cli import problems_out

if TYPE_CHECKING:
    from shafaf.core.pvt_estimate import Comparison, Estimate, Ratio
    from shafaf.tabular import Problems

EXIT_BAD_INPUT = 2


def add_estimate(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``estimate`` to the ``pvt`` command's subcommands."""
    parser = commands.add_parser(
        "estimate", help="each list's share and 95%% margin from the sample's reports",
        description="Estimate each list's share of the vote, with its 95%% margin of error, "
                    "from the counts observers reported at a sample of the frame's "
                    "stations (the ratio estimator). Exit status 2 means bad input.")
    parser.add_argument("--frame", type=Path, required=True, metavar="CSV",
                        help="station_id,stratum: every station the sample was drawn from")
    parser.add_argument("--reports", type=Path, required=True, metavar="CSV",
                        help="station_id,list_id,votes: the counts reported")
    parser.add_argument("--official", type=Path, metavar="CSV",
                        help="list_id,votes: the official result, to compare with")
    parser.add_argument("--turnout", type=Path, metavar="CSV",
                        help="station_id,registered,voted: the sampled stations' voters "
                             "(a results forms.csv will do), to estimate turnout")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run_estimate)


# -- Reading ------------------------------------------------------------------------


def read_frame(path: Path, problems: Problems) -> dict[str, str]:
    """station_id → stratum, read as the draw reads the frame."""
    from shafaf.cli.pvt import frame_stations

    return {s.station_id: s.stratum for s in frame_stations(path, problems)}


def read_reports(path: Path, frame: dict[str, str], problems: Problems
                 ) -> dict[str, dict[str, int]]:
    """station_id → list_id → votes, for every station with a row."""
    from shafaf.cli.csv_input import read_records, whole_number
    from shafaf.tabular.normalise import shown

    reports: dict[str, dict[str, int]] = {}
    rows: dict[tuple[str, str], int] = {}
    for rec in read_records(path, ("station_id", "list_id", "votes"), problems):
        station, list_id = rec.values["station_id"], rec.values["list_id"]
        votes = whole_number(rec.values["votes"], "votes")
        ok = True
        if not station:
            problems.add(rec.row, "station_id", "station_id is empty", file=path.name)
            ok = False
        elif station not in frame:
            problems.add(rec.row, "station_id", "station %(id)s is not in the frame",
                         {"id": repr(shown(station))}, file=path.name)
            ok = False
        if not list_id:
            problems.add(rec.row, "list_id", "list_id is empty", file=path.name)
            ok = False
        if isinstance(votes, tuple):
            problems.add(rec.row, "votes", *votes, file=path.name)
            ok = False
        if not ok or isinstance(votes, tuple):
            continue
        if (station, list_id) in rows:
            problems.add(rec.row, "", "duplicate report: station %(station)s, list %(list)s "
                         "(first at row %(row)s)", {"station": station, "list": list_id,
                                                    "row": rows[station, list_id]},
                         file=path.name)
            continue
        rows[station, list_id] = rec.row
        reports.setdefault(station, {})[list_id] = votes
    return reports


def read_official(path: Path, problems: Problems) -> dict[str, int]:
    from shafaf.cli.csv_input import read_records, whole_number

    official: dict[str, int] = {}
    rows: dict[str, int] = {}
    for rec in read_records(path, ("list_id", "votes"), problems):
        list_id = rec.values["list_id"]
        votes = whole_number(rec.values["votes"], "votes")
        if not list_id:
            problems.add(rec.row, "list_id", "list_id is empty", file=path.name)
        elif list_id in rows:
            problems.add(rec.row, "list_id", "duplicate list_id %(id)s (first at row "
                         "%(row)s)", {"id": list_id, "row": rows[list_id]}, file=path.name)
        elif isinstance(votes, tuple):
            problems.add(rec.row, "votes", *votes, file=path.name)
        else:
            rows[list_id] = rec.row
            official[list_id] = votes
    if rows and not problems and not sum(official.values()):
        problems.add(None, "", "the official result has no votes", file=path.name)
    return official


def read_turnout(path: Path, frame: dict[str, str], problems: Problems
                 ) -> dict[str, tuple[int, int]]:
    """station_id → (voted, registered)."""
    from shafaf.cli.csv_input import read_records, whole_number
    from shafaf.tabular.normalise import shown

    turnout: dict[str, tuple[int, int]] = {}
    rows: dict[str, int] = {}
    for rec in read_records(path, ("station_id", "registered", "voted"), problems):
        station = rec.values["station_id"]
        voted = whole_number(rec.values["voted"], "voted")
        registered = whole_number(rec.values["registered"], "registered")
        for column, number in (("voted", voted), ("registered", registered)):
            if isinstance(number, tuple):
                problems.add(rec.row, column, *number, file=path.name)
        if not station:
            problems.add(rec.row, "station_id", "station_id is empty", file=path.name)
        elif station not in frame:
            problems.add(rec.row, "station_id", "station %(id)s is not in the frame",
                         {"id": repr(shown(station))}, file=path.name)
        elif station in rows:
            problems.add(rec.row, "station_id", "duplicate station_id %(id)s (first at row "
                         "%(row)s)", {"id": station, "row": rows[station]}, file=path.name)
        elif isinstance(voted, int) and isinstance(registered, int):
            rows[station] = rec.row
            turnout[station] = (voted, registered)
    return turnout


# -- Output -------------------------------------------------------------------------


def _ratio(r: Ratio) -> dict[str, Any]:
    out: dict[str, Any] = {"share": None if r.share is None else float(r.share),
                           "moe95": r.moe}
    if r.no_margin is not None:
        out["moe95_missing"] = str(r.no_margin)
    return out


def _lists(result: Estimate, compared: tuple[Comparison, ...] | None) -> list[dict[str, Any]]:
    rows = []
    official = {c.list_id: c for c in compared or ()}
    for share in result.lists:
        row = {"list_id": share.list_id, **_ratio(share.ratio)}
        if compared is not None:
            c = official[share.list_id]
            row["official_share"] = float(c.official_share)
            row["outside"] = c.outside
        rows.append(row)
    return rows


def _turnout(result: Estimate) -> dict[str, Any] | None:
    if result.turnout is None:
        return None
    return {"stations_reported": result.stations_with_turnout, **_ratio(result.turnout)}


def as_json(national: Estimate, strata: dict[str, Estimate],
            official: dict[str, int] | None) -> dict[str, Any]:
    from shafaf.core.pvt_estimate import compare

    def one(result: Estimate) -> dict[str, Any]:
        compared = None if official is None else compare(result, official)
        out: dict[str, Any] = {"stations_reported": result.stations_reported,
                               "stations_in_frame": result.stations_in_frame,
                               "lists": _lists(result, compared)}
        if result.turnout is not None:
            out["turnout"] = _turnout(result)
        return out

    report = one(national)
    report["strata"] = [{"stratum": stratum, **one(result)}
                        for stratum, result in strata.items()]
    return report


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.2f}%"


def as_text(report: dict[str, Any]) -> str:
    from shafaf.cli.table import render

    lines = []

    def block(title: str, part: dict[str, Any]) -> None:
        lines.append(f"{title}: {part['stations_reported']} of {part['stations_in_frame']} "
                     "stations reported")
        official = any("official_share" in row for row in part["lists"])
        headers = ["List", "Share", "± 95%"] + (["Official", "Outside"] if official else [])
        rows = []
        for row in part["lists"]:
            cells = [row["list_id"], _percent(row["share"]), _percent(row["moe95"])]
            if official:
                outside = row["outside"]
                cells += [_percent(row["official_share"]),
                          "—" if outside is None else ("yes" if outside else "no")]
            rows.append(cells)
        lines.append(render(headers, rows, numeric=[False, True, True, True, False]))
        if (turnout := part.get("turnout")) is not None:
            lines.append(f"  Turnout: {_percent(turnout['share'])} ± "
                         f"{_percent(turnout['moe95'])} ({turnout['stations_reported']} "
                         "stations)")
        missing = {row["moe95_missing"] for row in part["lists"] if "moe95_missing" in row}
        if "fewer_than_two_stations" in missing:
            lines.append("  No margin: fewer than two stations reported.")
        lines.append("")

    block("All strata", report)
    for part in report["strata"]:
        block(f"Stratum {part['stratum']}", part)
    return "\n".join(lines)


def run_estimate(args: argparse.Namespace) -> int:
    from shafaf.core.pvt_estimate import by_stratum, estimate
    from shafaf.tabular import ImportRejected, Problems

    problems = Problems()
    try:
        frame = read_frame(args.frame, problems)
        reports = read_reports(args.reports, frame, problems)
        official = None if args.official is None else read_official(args.official, problems)
        turnout = None if args.turnout is None else read_turnout(args.turnout, frame,
                                                                   problems)
        problems.raise_if_any()
    except ImportRejected as exc:
        return problems_out.rejected("pvt estimate", exc)
    lists = set(official or ())
    national = estimate(reports, stations_in_frame=len(frame), lists=lists, turnout=turnout)
    strata = by_stratum(reports, frame=frame, lists=lists, turnout=turnout)
    report = as_json(national, strata, official)
    if args.format == "json":
        import json

        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(as_text(report))
    return 0
