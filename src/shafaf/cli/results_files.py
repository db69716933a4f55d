"""``shafaf results check``, ``tabulate`` and ``verify``: station results from files,
without a database (docs/results-cli.md).

``check`` gives every station's errors and warnings; ``tabulate`` adds up the
stations without an error (or all of them with ``--include-quarantined``) and
allocates the seats by the one code path of ``shafaf allocate``; ``verify``
re-derives a publication's seats (:mod:`shafaf.cli.results_verify`).

Exit status: 0 done; 2 bad input (every bad row named, nothing computed); 3 a tie
decides a seat and no lot was given to draw it. Like ``shafaf allocate``, nothing
here imports Django, and the rules and the reader are imported when a command runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shafaf.cli import problems_out
from shafaf.core import laws

if TYPE_CHECKING:
    from shafaf.core.allocation import Undecided
    from shafaf.core.contest import CandidateId, Component, ListId
    from shafaf.core.laws.profile import LawProfile
    from shafaf.core.tabulation import Roster, StationForm, Totals, VoteKey
    from shafaf.tabular import ImportRejected, Problems

EXIT_BAD_INPUT = 2
EXIT_TIE = 3
# A governorate's forms: Baghdad had about 6,300 of the 35,560 stations of 2023.
FORMS_LIMIT = 100_000
# A governorate's votes, one row per station and candidate: more than the whole
# country's 17.6 million rows of 2023.
VOTES_LIMIT = 30_000_000
FORM_COLUMNS = ("registered", "voted", "ballots_received", "ballots_in_box",
                "ballots_spoiled", "ballots_unused", "invalid", "valid")
VOTE_COLUMNS = ("station_id", "list_id", "candidate_id", "votes")


def add_subcommands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = commands.add_parser(
        "check", help="every station's errors and warnings, from CSV files",
        description="Check every station of a forms file and its votes: the errors that "
                    "put a form in quarantine and the warnings. Exit status 2 means bad "
                    "input.")
    _files(check, roster_required=False)
    check.add_argument("--format", choices=("text", "json"), default="text")
    problems_out.add_argument(check)
    check.set_defaults(run=run_check)

    tabulate = commands.add_parser(
        "tabulate", help="add up station results and allocate the seats, from CSV files",
        description="Add up the stations' votes (stations with an error are left out "
                    "unless --include-quarantined) and allocate the seats as shafaf "
                    "allocate does. Exit status 2 means bad input, 3 an undecided tie.")
    tabulate.add_argument("--law", required=True, choices=sorted(laws.PROFILES),
                          help="the law profile")
    tabulate.add_argument("--governorate", metavar="CODE",
                          help="district code, e.g. IQ-AN: general and component seats come "
                               "from the law's table")
    tabulate.add_argument("--seats", type=int, metavar="N",
                          help="number of general seats (with --governorate, overrides its "
                               "general seats)")
    _files(tabulate, roster_required=True)
    tabulate.add_argument("--include-quarantined", action="store_true",
                          help="count the stations whose form has an error too")
    tabulate.add_argument("--disqualify", default="", metavar="ID,ID...",
                          help="candidates whose votes are struck before allocating")
    tabulate.add_argument("--lot-seed", metavar="SEED",
                          help="public seed that draws deciding ties (shafaf-lottery/1)")
    tabulate.add_argument("--draw", action="append", default=[], metavar="ID,ID...",
                          help="result of a physical draw: the tied ids in the order drawn "
                               "(repeatable)")
    tabulate.add_argument("--format", choices=("text", "json"), default="text")
    problems_out.add_argument(tabulate)
    tabulate.set_defaults(run=run_tabulate)

    verify = commands.add_parser(
        "verify", help="re-derive a publication's seats from its open data",
        description="Download a publication (URL) or read it (directory), check every "
                    "file against its manifest's SHA-256 and re-derive every seat. Exit "
                    "status 0: all agree; 1: differences, each named; 2: bad input or "
                    "unreachable.")
    verify.add_argument("source", metavar="URL-or-directory",
                        help="an election's or a governorate's publication: its directory, "
                             "its manifest.json, or their http(s) address")
    verify.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                        help="give up on a download silent this long (default 30)")
    verify.set_defaults(run=_run_verify)


def _files(parser: argparse.ArgumentParser, *, roster_required: bool) -> None:
    parser.add_argument("--lists", type=Path, required=roster_required, metavar="CSV",
                        help="list_id,name")
    parser.add_argument("--candidates", type=Path, metavar="CSV",
                        help="candidate_id,list_id,name,sex")
    parser.add_argument("--components", type=Path, metavar="CSV",
                        help="candidate_id,component,name,sex")
    parser.add_argument("--forms", type=Path, required=True, metavar="CSV",
                        help="station_id,registered,voted,ballots_received,ballots_in_box,"
                             "ballots_spoiled,ballots_unused,invalid,valid")
    parser.add_argument("--votes", type=Path, required=True, metavar="CSV",
                        help="station_id,list_id,candidate_id,votes")


def _run_verify(args: argparse.Namespace) -> int:
    from shafaf.cli.results_verify import run

    return run(args)


# -- Reading ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Files:
    lists: Path | None
    candidates: Path | None
    components: Path | None
    forms: Path
    votes: Path


@dataclass(frozen=True, slots=True)
class Tally:
    """How ``tabulate`` counts: the set-wise reading of a clean votes file
    (:mod:`shafaf.cli.results_fast`) gives the totals straight away."""

    box_over_voted_tolerance: int
    include_quarantined: bool


@dataclass(slots=True)
class Input:
    """What the files hold, every row valid: each station's form, or (``totals``) the
    stations' totals when the votes file was summed set-wise (``stations`` is then
    empty)."""

    roster: Roster | None
    names: dict[str, str]
    stations: list[StationForm]
    totals: Totals | None = None


def read(files: Files, *, component_seats: dict[Component, int] | None,
         tally: Tally | None = None) -> Input:
    """Every file read and checked; raises ImportRejected naming every bad row.
    ``component_seats`` are the district's (None: components are not checked
    against a seat table, as ``check`` reads them). With ``tally``, a clean votes
    file of a full roster is summed set-wise (``Input.totals``); any other is read
    row by row, as without."""
    from shafaf.cli.csv_input import Problems, read_candidates, read_components, read_lists
    from shafaf.core.tabulation import Roster, station_form

    problems = Problems()
    names: dict[str, str] = {}
    roster: Roster | None = None
    keys: dict[tuple[str, str], VoteKey] | None = None
    any_candidate = False
    if files.lists is not None:
        lists = read_lists(files.lists, problems, with_votes=False)
        names.update(lists.names)
        seen: dict[str, tuple[str, int]] = {}
        candidates: tuple[Any, ...] = ()
        components: tuple[Any, ...] = ()
        if files.candidates is not None:
            candidates, more = read_candidates(files.candidates, lists, seen, problems,
                                               with_votes=False)
            names.update(more)
        if files.components is not None:
            seats: Mapping[Component, int] = (
                component_seats if component_seats is not None else _AnyComponent())
            components, more = read_components(files.components, seats, seen, problems,
                                                with_votes=False)
            names.update(more)
        roster = Roster(
            lists=tuple(lst.list_id for lst in lists.lists),
            candidates=tuple((c.candidate_id, c.list_id, c.sex) for c in candidates),
            components=tuple((c.candidate_id, c.component, c.sex) for c in components))
        keys = {(i, ""): (i, None) for i in roster.lists}
        keys.update({(lst, i): (lst, i) for i, lst, _ in roster.candidates})
        keys.update({("", i): (None, i) for i, _, _ in roster.components})
        # Without a candidates file, any candidate of a known list counts for its list.
        any_candidate = files.candidates is None
    elif files.candidates is not None or files.components is not None:
        problems.add(None, "", "--candidates and --components need --lists", file="--lists")
    forms = _read_forms(files.forms, problems)
    if tally is not None and keys is not None and not any_candidate and not problems:
        from shafaf.cli import results_fast

        totals = results_fast.totals(
            files.votes, forms={station_id: numbers for station_id, (_, numbers)
                                in forms.items()},
            keys=keys, columns=VOTE_COLUMNS, limit=VOTES_LIMIT,
            box_over_voted_tolerance=tally.box_over_voted_tolerance,
            include_quarantined=tally.include_quarantined)
        if totals is not None:
            return Input(roster=roster, names=names, stations=[], totals=totals)
    votes = _read_votes(files.votes, forms, keys, any_candidate, problems,
                        known_lists=None if roster is None else set(roster.lists),
                        components=None if roster is None else {
                            i for i, _, _ in roster.components},
                        candidate_lists=None if roster is None or any_candidate else {
                            i: lst for i, lst, _ in roster.candidates})
    problems.raise_if_any()
    stations = [station_form(station_id=station_id, votes=votes[station_id], **numbers)
                for station_id, (_, numbers) in forms.items()]
    return Input(roster=roster, names=names, stations=stations)


class _AnyComponent(dict["Component", int]):
    """``check`` reads a components file without a seat table: any component."""

    def __contains__(self, key: object) -> bool:
        return True


def _read_forms(path: Path, problems: Problems) -> dict[str, tuple[int, dict[str, int]]]:
    from shafaf.cli.csv_input import read_records, whole_number

    forms: dict[str, tuple[int, dict[str, int]]] = {}
    for rec in read_records(path, ("station_id", *FORM_COLUMNS), problems):
        station_id = rec.values["station_id"]
        numbers: dict[str, int] = {}
        for column in FORM_COLUMNS:
            value = whole_number(rec.values[column], column)
            if isinstance(value, tuple):
                problems.add(rec.row, column, *value, file=path.name)
            else:
                numbers[column] = value
        if not station_id:
            problems.add(rec.row, "station_id", "station_id is empty", file=path.name)
        elif station_id in forms:
            problems.add(rec.row, "station_id", "duplicate station_id %(id)s (first at row "
                         "%(row)s)", {"id": station_id, "row": forms[station_id][0]},
                         file=path.name)
        elif len(numbers) == len(FORM_COLUMNS):
            forms[station_id] = (rec.row, numbers)
    if len(forms) > FORMS_LIMIT:
        problems.add(None, "", f"more than {FORMS_LIMIT:,} stations", file=path.name)
    return forms


def _read_votes(path: Path, forms: dict[str, tuple[int, dict[str, int]]],
                keys: dict[tuple[str, str], VoteKey] | None, any_candidate: bool,
                problems: Problems, *, known_lists: set[ListId] | None,
                components: set[CandidateId] | None,
                candidate_lists: dict[CandidateId, ListId] | None,
                any_station: bool = False,
                ) -> dict[str, dict[VoteKey, int]]:
    """Each station's votes by (list, candidate). One pass over a file of millions of
    rows: the common row costs three dictionary look-ups. With ``any_station`` (no
    forms file: ``shafaf forensics``), a station not in ``forms`` is taken, not refused."""
    from shafaf.tabular import Problems as FileProblems
    from shafaf.tabular import key, rows

    name = path.name
    votes: dict[str, dict[VoteKey, int]] = {station_id: {} for station_id in forms}
    try:
        stream = path.open("rb")
    except OSError as exc:
        problems.add(None, "", f"cannot read {path}: {exc.strerror}", file=name)
        return votes
    own = FileProblems(name)
    interned: dict[tuple[str, str], VoteKey] = {} if keys is None else keys
    with stream:
        grid = rows(name=name, content=stream, problems=own, limit=VOTES_LIMIT)
        first = next(grid, None)
        header = [key(cell) for cell in first[1]] if first else []
        missing = [c for c in VOTE_COLUMNS if c not in header]
        if first is None:
            if not own.found:
                own.add(None, "", "the file is empty; it needs a header row")
        elif missing:
            own.add(1, "", f"missing column(s): {', '.join(missing)} "
                           f"(the header has: {', '.join(header)})")
        else:
            s_at, l_at, c_at, v_at = (header.index(c) for c in VOTE_COLUMNS)
            width = len(header)
            add = own.add
            for row, cells in grid:
                if len(cells) != width:
                    if not "".join(cells).strip():
                        continue
                    if len(cells) < width or "".join(cells[width:]).strip():
                        add(row, "", "%(found)s fields where the header has %(columns)s",
                            {"found": len(cells), "columns": width})
                        continue
                # The common row: known station and pair, a plain count, written as
                # the publication writes them (no spaces to strip).
                station = votes.get(cells[s_at])
                vote_key = interned.get((cells[l_at], cells[c_at]))
                count = cells[v_at]
                if (station is not None and vote_key is not None and count.isdecimal()
                        and len(count) < 19):
                    held = len(station)
                    station[vote_key] = int(count)
                    if len(station) == held:  # nothing is computed: the value may go
                        add(row, "", "duplicate row: station %(station)s already has votes "
                                     "for %(what)s", {"station": cells[s_at],
                                                      "what": _what((cells[l_at],
                                                                     cells[c_at]))})
                    continue
                station_id = cells[s_at].strip()
                if any_station and station_id and station_id not in votes:
                    votes[station_id] = {}
                _slow_row(row, station_id, (cells[l_at].strip(), cells[c_at].strip()),
                          cells[v_at].strip(), votes, interned, add,
                          lambda pair, row: _new_key(pair, keys, any_candidate, known_lists,
                                                     components, candidate_lists, interned,
                                                     row, add))
    problems.extend(own)
    return votes


def _slow_row(row: int, station_id: str, pair: tuple[str, str], count: str,
              votes: dict[str, dict[VoteKey, int]],
              interned: dict[tuple[str, str], VoteKey], add: Callable[..., None],
              new_key: Callable[[tuple[str, str], int], VoteKey | None]) -> None:
    """A row the common path did not take: spaces around its values, a pair seen for
    the first time, or a problem, each named."""
    from shafaf.cli.csv_input import whole_number

    station = votes.get(station_id)
    vote_key = interned.get(pair)
    if vote_key is None:
        vote_key = new_key(pair, row)
    number = whole_number(count, "votes")
    if station is None and not station_id:
        add(row, "station_id", "station_id is empty")
    elif station is None:
        add(row, "station_id", "station %(id)s is not in the forms file",
            {"id": repr(station_id)})
    if isinstance(number, tuple):
        add(row, "votes", *number)
    if station is None or vote_key is None or isinstance(number, tuple):
        return
    if vote_key in station:
        add(row, "", "duplicate row: station %(station)s already has votes for %(what)s",
            {"station": station_id, "what": _what(pair)})
        return
    station[vote_key] = number


def _what(pair: tuple[str, str]) -> str:
    list_id, candidate_id = pair
    if not candidate_id:
        return f"list {list_id} alone"
    if not list_id:
        return f"component candidate {candidate_id}"
    return f"candidate {candidate_id} of list {list_id}"


def _new_key(pair: tuple[str, str], keys: dict[tuple[str, str], VoteKey] | None,
             any_candidate: bool, known_lists: set[ListId] | None,
             components: set[CandidateId] | None,
             candidate_lists: dict[CandidateId, ListId] | None,
             interned: dict[tuple[str, str], VoteKey], row: int,
             add: Callable[..., None]) -> VoteKey | None:
    """The key of a (list, candidate) pair seen for the first time, or None with the
    reason recorded."""
    from shafaf.core.contest import CandidateId, ListId
    from shafaf.tabular.normalise import shown

    list_id, candidate_id = pair
    if not list_id and not candidate_id:
        add(row, "", "list_id and candidate_id are both empty")
        return None
    if keys is None or (any_candidate and list_id in (known_lists or ()) and candidate_id):
        # No roster (check without --lists), or candidates not given: any candidate of
        # a known list.
        made: VoteKey = (ListId(list_id) if list_id else None,
                         CandidateId(candidate_id) if candidate_id else None)
        interned[pair] = made
        return made
    if not list_id:
        add(row, "candidate_id", "candidate %(id)s is not a component candidate (list_id is "
                                 "empty)", {"id": repr(shown(candidate_id))})
    elif known_lists is not None and list_id not in known_lists:
        add(row, "list_id", "list %(id)s is not in the lists file",
            {"id": repr(shown(list_id))})
    elif components is not None and candidate_id in components:
        add(row, "list_id", "candidate %(id)s is a component candidate: its list_id must "
                            "be empty", {"id": repr(shown(candidate_id))})
    elif candidate_lists is not None and candidate_id in candidate_lists:
        add(row, "list_id", "candidate %(id)s is on list %(list)s, not %(given)s",
            {"id": repr(shown(candidate_id)), "list": candidate_lists[CandidateId(candidate_id)],
             "given": repr(shown(list_id))})
    else:
        add(row, "candidate_id", "candidate %(id)s is not in the candidates file",
            {"id": repr(shown(candidate_id))})
    return None


# -- Commands -----------------------------------------------------------------------


class UsageError(Exception):
    pass


def _bad_input(command: str, exc: ImportRejected, written: Any, path: Path | None) -> int:
    return problems_out.rejected(f"results {command}", exc, written=written, path=path)


def _files_of(args: argparse.Namespace) -> Files:
    return Files(lists=args.lists, candidates=args.candidates, components=args.components,
                 forms=args.forms, votes=args.votes)


def run_check(args: argparse.Namespace) -> int:
    from shafaf.core import result_checks
    from shafaf.core.counting import IRAQ_2023
    from shafaf.tabular import ImportRejected

    written = None
    try:
        with problems_out.problems_file(args.problems_out) as written:
            data = read(_files_of(args), component_seats=None)
    except ImportRejected as exc:
        return _bad_input("check", exc, written, args.problems_out)
    except OSError as exc:
        print(f"shafaf results check: cannot write {exc.filename}: {exc.strerror}",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    tolerance = IRAQ_2023.box_over_voted_tolerance
    report = []
    for station in data.stations:
        found = result_checks.check(station.numbers, box_over_voted_tolerance=tolerance)
        report.append({"station_id": station.station_id,
                       "errors": [str(e) for e in found.errors],
                       "warnings": [str(w) for w in found.warnings]})
    if args.format == "json":
        import json

        json.dump({"stations": report}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        quarantined = sum(1 for s in report if s["errors"])
        for s in report:
            parts = []
            if s["errors"]:
                parts.append("errors: " + ", ".join(s["errors"]))
            if s["warnings"]:
                parts.append("warnings: " + ", ".join(s["warnings"]))
            print(f"{s['station_id']}: {'; '.join(parts) or 'ok'}")
        print(f"{len(report)} station(s), {quarantined} with errors (quarantined).")
    return 0


@dataclass(frozen=True, slots=True)
class Tabulated:
    report: dict[str, Any]


def tabulate_files(files: Files, *, law: LawProfile, governorate: str | None,
                   seats: int | None, include_quarantined: bool, disqualify: list[str],
                   lot_seed: str | None, draws: tuple[tuple[str, ...], ...] = ()
                   ) -> Tabulated | Undecided:
    """The allocation report of these files with its ``stations``, or the tie that
    stopped it. Raises ImportRejected (bad rows) or UsageError (bad options)."""
    from shafaf.cli import allocate as allocate_cli
    from shafaf.core.allocation import CandidateSelection, Undecided
    from shafaf.core.contest import CandidateId
    from shafaf.core.report import allocation_report
    from shafaf.core.tabulation import tabulate, tally
    from shafaf.core.ties import RecordedDraw, TieBreaker
    from shafaf.tabular import Problems

    try:
        general, district = allocate_cli.general_seats(law, governorate, seats)
    except allocate_cli.UsageError as exc:
        raise UsageError(str(exc)) from None
    rules = law.rules
    if rules.selection is CandidateSelection.SNTV and files.candidates is None:
        raise UsageError(f"{law.code} elects candidates by single non-transferable vote: "
                         "give --candidates")
    if files.components is not None and district is None:
        raise UsageError("--components needs --governorate: component seats come from the "
                         "law's seat table")
    component_seats = dict(district.component_seats) if district else {}
    counting = law.counting
    tolerance = counting.box_over_voted_tolerance if counting else 5
    data = read(files, component_seats=component_seats, tally=Tally(
        box_over_voted_tolerance=tolerance, include_quarantined=include_quarantined))
    roster = data.roster
    if roster is None:
        raise UsageError("give --lists")
    problems = Problems()
    standing = {i for i, _, _ in roster.candidates} | {i for i, _, _ in roster.components}
    for candidate_id in disqualify:
        if candidate_id not in standing:
            problems.add(None, "", f"no candidate {candidate_id!r} in the candidates or "
                                   "components file", file="--disqualify")
    if roster.candidates and general > len(roster.candidates):
        problems.add(None, "", f"{general} general seats but only {len(roster.candidates)} "
                               "candidates: a seat could not be filled", file="--seats")
    problems.raise_if_any()
    totals = data.totals if data.totals is not None else tally(
        data.stations, box_over_voted_tolerance=tolerance,
        include_quarantined=include_quarantined)
    result = tabulate(totals, roster=roster, seats=general, component_seats=component_seats,
                      rules=rules, breaker=TieBreaker(
                          seed=lot_seed, draws=tuple(RecordedDraw(order=d) for d in draws)),
                      disqualified=[CandidateId(i) for i in disqualify])
    if isinstance(result, Undecided):
        return result
    report = allocation_report(result, law=law, district=district, names=data.names)
    report["stations"] = totals.stations()
    return Tabulated(report)


def run_tabulate(args: argparse.Namespace) -> int:
    from shafaf.cli.allocate import tie_message
    from shafaf.cli.csv_input import iter_ids
    from shafaf.tabular import ImportRejected

    written = None
    try:
        with problems_out.problems_file(args.problems_out) as written:
            result = tabulate_files(
                _files_of(args), law=laws.get(args.law), governorate=args.governorate,
                seats=args.seats, include_quarantined=args.include_quarantined,
                disqualify=list(iter_ids(args.disqualify)), lot_seed=args.lot_seed,
                draws=tuple(tuple(iter_ids(draw)) for draw in args.draw))
    except ImportRejected as exc:
        return _bad_input("tabulate", exc, written, args.problems_out)
    except OSError as exc:
        print(f"shafaf results tabulate: cannot write {exc.filename}: {exc.strerror}",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    except UsageError as exc:
        print(f"shafaf results tabulate: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not isinstance(result, Tabulated):
        print(f"shafaf results tabulate: {tie_message(result.tie)}", file=sys.stderr)
        return EXIT_TIE
    report = result.report
    if args.format == "json":
        import json

        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        from shafaf.cli.allocation_text import render_allocation

        sys.stdout.write(render_allocation(report))
        stations = report["stations"]
        quarantined = ", ".join(stations["quarantined"]) or "none"
        print(f"Stations: {stations['total']}, counted {stations['counted']}; with errors: "
              f"{quarantined}")
    return 0
