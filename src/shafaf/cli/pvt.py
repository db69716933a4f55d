"""``shafaf pvt``: the parallel vote tabulation's tools, without a database.

``pvt sample`` draws the public sample of stations (shafaf-sample/1,
docs/pvt-sample.md) from a frame file and a seed; ``pvt verify-sample`` redoes a
published draw and names the first difference; ``pvt estimate`` estimates the result
from the sampled stations' reports (:mod:`shafaf.cli.pvt_estimate`,
docs/pvt-estimate.md).

Exit status: 0 drawn or verified; 1 a published draw that does not match (the first
difference is named); 2 bad input (every bad row of the frame is named).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from shafaf.cli import problems_out
from shafaf.cli.csv_input import InputError, Problems, read_records
from shafaf.cli.pvt_estimate import add_estimate
from shafaf.cli.table import render
from shafaf.core.pvt_sample import (
    ALGORITHM,
    FrameStation,
    MismatchKind,
    SampleError,
    draw,
    frame_sha256,
    spans_lines,
    to_json,
    verify,
)

EXIT_MISMATCH = 1
EXIT_BAD_INPUT = 2

WHAT = {
    MismatchKind.MALFORMED: "the draw is not in the published form",
    MismatchKind.ALGORITHM: f"the algorithm is not {ALGORITHM}",
    MismatchKind.FRAME_SHA256: "the draw was made from another frame file (frame_sha256 "
                               "does not match the file given)",
    MismatchKind.SEED_SHA256: "the draw was made with another seed (seed_sha256 does not "
                              "match the seed given)",
    MismatchKind.SIZE: "the strata's shares do not add up to the stations listed, or the "
                       "list is empty or longer than the frame",
    MismatchKind.STRATA: "a stratum's share is not the one the frame gives",
    MismatchKind.STATIONS: "a station is not the one the draw gives",
}


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pvt = subparsers.add_parser(
        "pvt", help="the parallel vote tabulation: the public sample, the estimate",
        description="A parallel vote tabulation: observers' counts at a random sample of "
                    "stations drawn in public, and the estimate they give.")
    commands = pvt.add_subparsers(title="pvt commands", metavar="COMMAND", required=True)
    add_sample_parsers(commands)
    add_estimate(commands)


def add_sample_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sampling = commands.add_parser(
        "sample", help="draw the public sample of stations (shafaf-sample/1)",
        description="Draw a sample of stations, split across strata in proportion to "
                    "their stations, with shafaf-sample/1. Exit status 2 means bad input.")
    sampling.add_argument("--frame", type=Path, required=True, metavar="CSV",
                          help="station_id,stratum (more columns are ignored)")
    sampling.add_argument("--seed", required=True, help="the seed built in public")
    sampling.add_argument("--size", type=int, required=True, metavar="N",
                          help="how many stations to draw")
    sampling.add_argument("--format", choices=("text", "json"), default="text")
    sampling.set_defaults(run=run_sample)
    checking = commands.add_parser(
        "verify-sample", help="redo a published sample; exit 1 naming the first difference",
        description="Redo a published shafaf-sample/1 draw from its frame file and seed.")
    checking.add_argument("draw", type=Path, metavar="DRAW_JSON")
    checking.add_argument("--frame", type=Path, required=True, metavar="CSV",
                          help="the frame file the draw was made from")
    checking.add_argument("--seed", required=True, help="the seed the draw was made with")
    checking.set_defaults(run=run_verify)


def read_frame(path: Path) -> tuple[list[FrameStation], str]:
    """The frame's stations and the SHA-256 of the file's bytes; every bad row is
    collected (InputError) before anything is drawn."""
    problems = Problems()
    stations = frame_stations(path, problems)
    problems.raise_if_any()
    return stations, frame_sha256(path.read_bytes())


def frame_stations(path: Path, problems: Problems) -> list[FrameStation]:
    """The frame file's stations, each bad row added to ``problems``: the one reader of
    a frame, for the draw and for the estimate."""
    stations: list[FrameStation] = []
    seen: dict[str, int] = {}
    for rec in read_records(path, ("station_id", "stratum"), problems):
        ident, stratum = rec.values["station_id"], rec.values["stratum"]
        if not ident:
            problems.add(rec.row, "station_id", "station_id is empty", file=path.name)
        elif spans_lines(ident):
            problems.add(rec.row, "station_id", "station_id spans several lines", file=path.name)
        elif ident in seen:
            problems.add(rec.row, "station_id",
                         "duplicate station_id %(id)s (first at row %(row)s)",
                         {"id": ident, "row": seen[ident]}, file=path.name)
        elif not stratum:
            problems.add(rec.row, "stratum", "stratum is empty", file=path.name)
        elif spans_lines(stratum):
            problems.add(rec.row, "stratum", "stratum spans several lines", file=path.name)
        else:
            seen[ident] = rec.row
            stations.append(FrameStation(station_id=ident, stratum=stratum))
    if not problems and not stations:
        problems.add(None, "", "the frame has no stations", file=path.name)
    return stations


def _rejected(command: str, exc: InputError) -> int:
    return problems_out.rejected(f"pvt {command}", exc, "nothing was drawn.")


def run_sample(args: argparse.Namespace) -> int:
    try:
        frame, frame_hash = read_frame(args.frame)
        sample = draw(frame, seed=args.seed, size=args.size)
    except InputError as exc:
        return _rejected("sample", exc)
    except SampleError as exc:
        print(f"shafaf pvt sample: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.format == "json":
        sys.stdout.write(json.dumps(to_json(sample, frame_hash=frame_hash),
                                    ensure_ascii=False, indent=2) + "\n")
        return 0
    strata = {station.station_id: station.stratum for station in frame}
    print(f"{ALGORITHM}: {len(sample.stations)} of {len(frame)} stations")
    print(f"frame sha256: {frame_hash}")
    print(f"seed sha256:  {sample.seed_sha256}\n")
    sizes: dict[str, int] = {}
    for station in frame:
        sizes[station.stratum] = sizes.get(station.stratum, 0) + 1
    print(render(["Sampled", "Stations", "Stratum"],
                 [[str(n), str(sizes[name]), name] for name, n in sample.strata.items()],
                 numeric=[True, True]))
    print()
    print(render(["Station", "Ticket", "Stratum"],
                 [[ident, sample.tickets[ident][:16] + "…", strata[ident]]
                  for ident in sample.stations]))
    return 0


def run_verify(args: argparse.Namespace) -> int:
    try:
        published = json.loads(args.draw.read_text(encoding="utf-8"))
    # ValueError: also a number of more than 4,300 digits, which json will not read.
    except (OSError, ValueError) as exc:
        print(f"shafaf pvt verify-sample: cannot read {args.draw}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        frame, frame_hash = read_frame(args.frame)
        mismatch = verify(published, frame=frame, seed=args.seed, frame_hash=frame_hash)
    except InputError as exc:
        return _rejected("verify-sample", exc)
    except SampleError as exc:
        print(f"shafaf pvt verify-sample: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if mismatch is None:
        stations = published["stations"]
        print(f"The sample is verified: {len(stations)} of {len(frame)} stations in "
              f"{sum(1 for n in published['strata'].values() if n)} strata, "
              f"frame {frame_hash}, seed {published.get('seed_sha256') or 'as given'}.")
        if "frame_sha256" not in published:
            print("The draw does not publish frame_sha256: compare the frame file's "
                  f"SHA-256 ({frame_hash}) with the one published beside it.")
        return 0
    where = ""
    if mismatch.kind is MismatchKind.STRATA:
        where = f" for stratum {mismatch.where}"
    elif mismatch.kind is MismatchKind.STATIONS:
        where = f" at place {mismatch.where} of the list"
    elif mismatch.kind is MismatchKind.MALFORMED:
        where = f" ({mismatch.where})"
    print(f"MISMATCH: {WHAT[mismatch.kind]}{where}.", file=sys.stderr)
    if mismatch.expected or mismatch.found:
        print(f"  expected: {mismatch.expected}\n  found:    {mismatch.found}", file=sys.stderr)
    return EXIT_MISMATCH
