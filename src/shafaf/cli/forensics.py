"""``shafaf forensics``: election forensics on published station results, without a
database (docs/forensics.md).

``last-digit`` runs the last-digit test on each station's total per list of a results
``votes.csv``; ``report`` writes, for every governorate and for all of them, a JSON
summary (last digits, counts ending in 0 or 5, turnout, the fingerprint) and its SVG
plots. The votes file is read by the results commands' reader
(:mod:`shafaf.cli.results_files`), set-wise when clean (:mod:`shafaf.cli.forensics_fast`).

Exit status: 0 done; 2 bad input (every bad row named, nothing computed).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shafaf.cli import problems_out

if TYPE_CHECKING:
    from shafaf.core.forensics import LastDigit
    from shafaf.tabular import Problems

EXIT_BAD_INPUT = 2
ALL = "all"  # the group of every station


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "forensics", help="election forensics on published station results",
        description="Screens of published station results: last digits, round numbers, "
                    "turnout and the turnout × vote-share fingerprint. A departure is a "
                    "reason to look, not a proof (docs/forensics.md).")
    commands = parser.add_subparsers(title="forensics commands", metavar="COMMAND",
                                     required=True)
    digits = commands.add_parser(
        "last-digit", help="the last-digit test of each station's list totals",
        description="The last digits of each station's total per list (list-alone and "
                    "candidate votes together), counts of 10 or more, against the uniform: "
                    "chi-square with 9 degrees of freedom (Beber & Scacco 2012). Exit "
                    "status 2 means bad input.")
    digits.add_argument("--votes", type=Path, required=True, metavar="CSV",
                        help="station_id,list_id,candidate_id,votes (a results votes.csv)")
    digits.add_argument("--format", choices=("text", "json"), default="text")
    digits.set_defaults(run=run_last_digit)

    report = commands.add_parser(
        "report", help="every governorate's forensics as JSON and SVG plots",
        description="Write summary.json and the SVG plots (last digits, turnout, "
                    "fingerprint) for all stations and for each governorate. Exit status "
                    "2 means bad input.")
    report.add_argument("--votes", type=Path, required=True, metavar="CSV",
                        help="station_id,list_id,candidate_id,votes (a results votes.csv)")
    report.add_argument("--forms", type=Path, metavar="CSV",
                        help="a results forms.csv: registered and voted give turnout (without "
                             "it, only the digit tests)")
    report.add_argument("--stations", type=Path, metavar="CSV",
                        help="station_id,governorate (or station_id,stratum: a PVT frame): "
                             "one summary per governorate")
    report.add_argument("--list", dest="list_id", metavar="ID",
                        help="the list of the fingerprint (default: each group's first list "
                             "by votes)")
    report.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="the directory to write into (made if missing)")
    report.add_argument("--plots", choices=("each", "all"), default="each",
                        help="draw the plots of each governorate and of all stations "
                             "(each, the default) or of all stations only (all); the "
                             "summaries are written for every group either way")
    report.set_defaults(run=run_report)


# -- Reading ------------------------------------------------------------------------


def list_totals(path: Path, problems: Problems, *,
                forms: Mapping[str, tuple[int, dict[str, int]]] | None = None
                ) -> dict[str, dict[str, int]]:
    """Each station's total per list (list-alone and candidate votes together;
    component votes, on their own ballot, are left out). With ``forms``, every station
    must be in it; without, any station is taken."""
    from shafaf.cli import forensics_fast
    from shafaf.cli.results_files import _read_votes

    fast = forensics_fast.list_totals(path, stations=forms)
    if fast is not None:
        return fast
    votes = _read_votes(path, dict(forms or {}), None, False, problems, known_lists=None,
                        components=None, candidate_lists=None, any_station=forms is None)
    totals: dict[str, dict[str, int]] = {}
    for station, counts in votes.items():
        per_list: dict[str, int] = {}
        for (list_id, _), count in counts.items():
            if list_id is not None:
                per_list[list_id] = per_list.get(list_id, 0) + count
        totals[station] = per_list
    return totals


def read_groups(path: Path, problems: Problems) -> dict[str, str]:
    """station_id → governorate (from a ``governorate`` column, else ``stratum``)."""
    from shafaf.cli.csv_input import read_records
    from shafaf.tabular import Problems as FileProblems
    from shafaf.tabular import key, rows

    column = "governorate"
    try:
        with path.open("rb") as stream:
            first = next(rows(name=path.name, content=stream, problems=FileProblems()), None)
        if first is not None and "governorate" not in [key(c) for c in first[1]]:
            column = "stratum"
    except OSError:
        pass  # read_records names it
    groups: dict[str, str] = {}
    seen: dict[str, int] = {}
    for rec in read_records(path, ("station_id", column), problems):
        station, group = rec.values["station_id"], rec.values[column]
        if not station:
            problems.add(rec.row, "station_id", "station_id is empty", file=path.name)
        elif station in seen:
            problems.add(rec.row, "station_id", "duplicate station_id %(id)s (first at row "
                         "%(row)s)", {"id": station, "row": seen[station]}, file=path.name)
        elif not group:
            problems.add(rec.row, column, f"{column} is empty", file=path.name)
        else:
            seen[station] = rec.row
            groups[station] = group
    return groups


def _rejected(command: str, exc: Any) -> int:
    return problems_out.rejected(f"forensics {command}", exc, "nothing was computed.")


def _counts(totals: Iterable[Mapping[str, int]]) -> Iterator[int]:
    for per_list in totals:
        yield from per_list.values()


def last_digit_json(result: LastDigit) -> dict[str, Any]:
    return {"counts_used": result.counts_used, "frequencies": list(result.frequencies),
            "chi2": float(result.chi2), "p_value": result.p_value}


# -- last-digit -----------------------------------------------------------------------


def run_last_digit(args: argparse.Namespace) -> int:
    from shafaf.core.forensics import last_digit
    from shafaf.tabular import ImportRejected, Problems

    problems = Problems()
    try:
        totals = list_totals(args.votes, problems)
        problems.raise_if_any()
    except ImportRejected as exc:
        return _rejected("last-digit", exc)
    result = last_digit_json(last_digit(_counts(totals.values())))
    if args.format == "json":
        import json

        json.dump(result, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    print(f"Last digits of {result['counts_used']:,} station list totals of 10 or more "
          "(Beber & Scacco 2012):")
    used = result["counts_used"] or 1
    for digit, count in enumerate(result["frequencies"]):
        print(f"  {digit}: {count:>10,}  {100 * count / used:6.2f}%  (uniform: 10.00%)")
    p_value = result["p_value"]
    print(f"chi-square {result['chi2']:.3f} with 9 degrees of freedom, p-value "
          f"{'—' if p_value is None else f'{p_value:.4g}'}")
    print("A small p-value says the digits are uneven, not that the counts were invented "
          "(docs/forensics.md).")
    return 0


# -- report ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    slug: str  # safe in a file name
    stations: list[str]


_SAFE = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def _groups(stations: Iterable[str], governorate: Mapping[str, str] | None) -> list[Group]:
    ordered = sorted(stations)
    groups = [Group(ALL, ALL, ordered)]
    if governorate is None:
        return groups
    members: dict[str, list[str]] = {}
    for station in ordered:
        members.setdefault(governorate[station], []).append(station)
    for number, name in enumerate(sorted(members), start=1):
        safe = _SAFE.fullmatch(name) and name != ALL and not name.startswith(".")
        groups.append(Group(name, name if safe else f"group-{number}", members[name]))
    return groups


def _summary(group: Group, totals: Mapping[str, Mapping[str, int]],
             forms: Mapping[str, tuple[int, dict[str, int]]] | None,
             list_id: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The group's JSON summary and what its plots need."""
    from shafaf.core.forensics import fingerprint, last_digit, round_numbers, turnout_histogram

    per_station = [totals.get(station, {}) for station in group.stations]
    digits = last_digit(_counts(per_station))
    rounded = round_numbers(digits)
    summary: dict[str, Any] = {
        "name": group.name, "stations": len(group.stations),
        "last_digit": last_digit_json(digits),
        "zero_or_five": {"counts_used": rounded.counts_used,
                         "ending_in_0_or_5": rounded.ending_in_0_or_5,
                         "share": None if rounded.share is None else float(rounded.share),
                         "expected": float(rounded.expected), "z": rounded.z},
    }
    plots: dict[str, Any] = {"last_digit": digits}
    if forms is not None:
        numbers = [forms[station][1] for station in group.stations if station in forms]
        histogram = turnout_histogram((n["voted"], n["registered"]) for n in numbers)
        summary["turnout"] = {"bins": list(histogram.bins), "over_100": histogram.over_100,
                              "no_registered": histogram.no_registered}
        plots["turnout"] = histogram
        chosen = list_id or _leader(per_station)
        if chosen is not None:
            print_ = fingerprint(
                (forms[s][1]["registered"], forms[s][1]["voted"],
                 totals.get(s, {}).get(chosen, 0), sum(totals.get(s, {}).values()))
                for s in group.stations if s in forms)
            summary["fingerprint"] = {"list_id": chosen, "stations_used": print_.stations_used,
                                      "left_out": print_.left_out}
            plots["fingerprint"] = print_
    return summary, plots


def _leader(per_station: Iterable[Mapping[str, int]]) -> str | None:
    """The list with the most votes (equal votes: the smaller id)."""
    sums: dict[str, int] = {}
    for per_list in per_station:
        for list_id, count in per_list.items():
            sums[list_id] = sums.get(list_id, 0) + count
    return min(sums, key=lambda i: (-sums[i], i)) if sums else None


def run_report(args: argparse.Namespace) -> int:
    import json

    from shafaf.cli.results_files import _read_forms
    from shafaf.publication import forensics_plots
    from shafaf.tabular import ImportRejected, Problems
    from shafaf.tabular.normalise import shown

    problems = Problems()
    try:
        forms = None if args.forms is None else _read_forms(args.forms, problems)
        governorate = None if args.stations is None else read_groups(args.stations, problems)
        problems.raise_if_any()
        totals = list_totals(args.votes, problems, forms=forms)
        if forms is not None:
            totals.update({station: {} for station in forms if station not in totals})
        if args.list_id is not None and not any(args.list_id in per_list
                                                for per_list in totals.values()):
            problems.add(None, "", "list %(id)s has no vote in the file",
                         {"id": repr(shown(args.list_id))}, file="--list")
        if governorate is not None:
            for station in sorted(set(totals) - set(governorate)):
                problems.add(None, "station_id", "station %(id)s has results but no "
                             "governorate", {"id": repr(shown(station))},
                             file=args.stations.name)
        problems.raise_if_any()
    except ImportRejected as exc:
        return _rejected("report", exc)
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        written = []
        for number, group in enumerate(_groups(totals, governorate)):
            summary, plots = _summary(group, totals, forms, args.list_id)
            files = {}
            if number > 0 and args.plots == "all":
                plots = {}  # the first group is all stations
            for kind, draw in (("last_digit", forensics_plots.last_digit_svg),
                               ("turnout", forensics_plots.turnout_svg),
                               ("fingerprint", forensics_plots.fingerprint_svg)):
                if kind in plots:
                    name = f"{group.slug}-{kind.replace('_', '-')}.svg"
                    (args.out / name).write_text(draw(plots[kind]), encoding="utf-8")
                    files[kind] = name
            summary["plots"] = files
            written.append(summary)
        out = {"all": written[0], "governorates": written[1:]}
        (args.out / "summary.json").write_text(
            json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        print(f"shafaf forensics report: cannot write {exc.filename}: {exc.strerror}",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"Wrote summary.json and {sum(len(s['plots']) for s in written)} plot(s) for "
          f"{len(written) - 1} governorate(s) and all stations to {args.out}")
    return 0
