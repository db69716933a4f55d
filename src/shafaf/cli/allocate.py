"""``shafaf allocate``: compute one contest from CSV files, without a database.

Exit status: 0 computed; 2 bad input (every problem listed, nothing computed);
3 a tie decides a seat and no lot was given to draw it.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from shafaf.cli import problems_out
from shafaf.core import laws

if TYPE_CHECKING:
    from fractions import Fraction

    from shafaf.core.allocation import Allocation, ContestRules
    from shafaf.core.contest import Candidate, ComponentCandidate, Contest
    from shafaf.core.laws.profile import District, LawProfile
    from shafaf.core.seats import Method
    from shafaf.core.ties import Tie

# The rules, the CSV reader and the report are imported by the functions that use
# them, so that ``shafaf allocate --help`` (and a mistyped option) answers at once.

EXIT_BAD_INPUT = 2
EXIT_TIE = 3
# Far beyond any house (the Council of Representatives has 329 seats); a seat count
# of millions would only keep the allocation running for hours.
SEATS_LIMIT = 10_000


class UsageError(Exception):
    """A bad option value: reported like bad input, exit status 2."""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "allocate",
        help="compute the seats of one contest from CSV files",
        description="Compute one contest's seats and elected candidates from CSV files "
                    "(UTF-8, header row). Exit status 2 means bad input, 3 an undecided tie.",
    )
    parser.add_argument("--law", required=True, choices=sorted(laws.PROFILES),
                        help="the law profile")
    parser.add_argument("--governorate", metavar="CODE",
                        help="district code, e.g. IQ-AN: general and component seats come "
                             "from the law's table")
    parser.add_argument("--seats", type=int, metavar="N",
                        help="number of general seats (with --governorate, overrides its "
                             "general seats)")
    parser.add_argument("--lists", type=Path, required=True, metavar="CSV",
                        help="list_id,name,votes")
    parser.add_argument("--candidates", type=Path, metavar="CSV",
                        help="candidate_id,list_id,name,sex,votes")
    parser.add_argument("--components", type=Path, metavar="CSV",
                        help="candidate_id,component,name,sex,votes")
    parser.add_argument("--disqualify", default="", metavar="ID,ID...",
                        help="candidates whose votes are struck before allocating")
    parser.add_argument("--lot-seed", metavar="SEED",
                        help="public seed that draws deciding ties (shafaf-lottery/1)")
    parser.add_argument("--draw", action="append", default=[], metavar="ID,ID...",
                        help="result of a physical draw: the tied ids in the order drawn "
                             "(repeatable)")
    parser.add_argument("--method", metavar="METHOD",
                        help="override the law's formula: dhondt, sainte_lague, "
                             "sainte_lague:FIRST (e.g. sainte_lague:1.4), hare, droop")
    parser.add_argument("--threshold", metavar="SHARE",
                        help="share of all list votes a list needs, e.g. 0.05")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    problems_out.add_argument(parser)
    parser.set_defaults(run=run)


def parse_method(text: str) -> Method:
    from fractions import Fraction

    from shafaf.core.seats.divisor import dhondt, sainte_lague
    from shafaf.core.seats.largest_remainder import droop, hare

    name, _, first = text.partition(":")
    name = name.strip().lower().replace("-", "_")
    if name in ("dhondt", "d_hondt") and not first:
        return dhondt()
    if name in ("sainte_lague", "modified_sainte_lague"):
        if not first:
            return sainte_lague()
        try:
            divisor = Fraction(first)
        except ValueError:
            raise UsageError(f"--method: first divisor {first!r} is not a number") from None
        if divisor <= 0:
            raise UsageError("--method: the first divisor must be positive")
        return sainte_lague(first_divisor=divisor)
    if name == "hare" and not first:
        return hare()
    if name == "droop" and not first:
        return droop()
    raise UsageError(f"--method: unknown method {text!r} "
                     "(dhondt, sainte_lague, sainte_lague:FIRST, hare, droop)")


def parse_share(text: str) -> Fraction:
    from fractions import Fraction

    try:
        share = Fraction(text.strip().removesuffix("%")) / (100 if text.strip().endswith("%")
                                                            else 1)
    except ValueError:
        raise UsageError(f"--threshold: {text!r} is not a share such as 0.05 or 5%") from None
    if not 0 <= share < 1:
        raise UsageError("--threshold must be at least 0 and below 1")
    return share


def contest_rules(law: LawProfile, args: argparse.Namespace) -> ContestRules:
    rules = law.rules
    if args.method:
        rules = dataclasses.replace(rules, method=parse_method(args.method))
    if args.threshold:
        rules = dataclasses.replace(rules, threshold=parse_share(args.threshold))
    return rules


def find_district(law: LawProfile, code: str | None) -> District | None:
    if code is None:
        return None
    district = law.districts.get(code.strip().upper())
    if district is None:
        known = ", ".join(sorted(law.districts)) or "none: give --seats"
        raise UsageError(f"--governorate: {law.code} has no district {code!r} (known: {known})")
    return district


def general_seats(law: LawProfile, governorate: str | None, seats: int | None
                  ) -> tuple[int, District | None]:
    """The general seats and the district: the law's table (``--governorate``), the
    seats given (``--seats``), or both, the seats given overriding the table's."""
    district = find_district(law, governorate)
    if seats is None and district is not None:
        seats = district.general_seats
    if seats is None:
        raise UsageError("give --governorate CODE or --seats N")
    if seats < 0:
        raise UsageError("the number of general seats must be 0 or more")
    if seats > SEATS_LIMIT:
        raise UsageError(f"--seats {seats}: at most {SEATS_LIMIT:,} general seats (the largest "
                         "Iraqi house has 329)")
    return seats, district


def load(args: argparse.Namespace, law: LawProfile, rules: ContestRules
         ) -> tuple[Contest, dict[str, str], District | None]:
    from shafaf.cli.csv_input import (
        Problems,
        check_list_totals,
        iter_ids,
        read_candidates,
        read_components,
        read_lists,
    )
    from shafaf.core.allocation import CandidateSelection
    from shafaf.core.contest import Contest

    seats, district = general_seats(law, args.governorate, args.seats)
    if rules.selection is CandidateSelection.SNTV:
        if not args.candidates:
            raise UsageError(f"{law.code} elects candidates by single non-transferable vote: "
                             "give --candidates")
        if args.method or args.threshold:
            raise UsageError(f"{law.code} elects candidates by single non-transferable vote: "
                             "--method and --threshold do not apply")
    component_seats = dict(district.component_seats) if district else {}
    if args.components and not district:
        raise UsageError("--components needs --governorate: component seats come from the "
                         "law's seat table")

    problems = Problems()
    lists = read_lists(args.lists, problems)
    names = dict(lists.names)
    seen: dict[str, tuple[str, int]] = {}
    candidates: tuple[Candidate, ...] = ()
    if args.candidates:
        candidates, candidate_names = read_candidates(args.candidates, lists, seen, problems)
        names.update(candidate_names)
        # Under SNTV a list's total is not used, so it need not be given.
        if not problems.found and rules.selection is not CandidateSelection.SNTV:
            check_list_totals(lists, candidates, args.lists, problems)
    component_candidates: tuple[ComponentCandidate, ...] = ()
    if args.components:
        component_candidates, component_names = read_components(
            args.components, component_seats, seen, problems)
        names.update(component_names)
    for candidate_id in iter_ids(args.disqualify):
        if candidate_id not in seen:
            problems.add(None, "", f"no candidate {candidate_id!r} in the "
                                               "candidates or components file", file="--disqualify")
    for draw in args.draw:
        unknown = [i for i in iter_ids(draw) if i not in names]
        if unknown:
            problems.add(None, "", f"no list or candidate {', '.join(map(repr, unknown))} in "
                                   "the input files", file="--draw")
    if candidates and seats > len(candidates):
        problems.add(None, "", f"{seats} general seats but only {len(candidates)} candidates: "
                               "a seat could not be filled", file="--seats")
    problems.raise_if_any()
    contest = Contest(seats=seats, lists=lists.lists, candidates=candidates,
                      component_seats=component_seats,
                      component_candidates=component_candidates)
    return contest, names, district


def tie_message(tie: Tie) -> str:
    from shafaf.core.ties import TieKind

    what = {
        TieKind.LIST_SEAT: "lists have equal quotients",
        TieKind.CANDIDATE_SEAT: "candidates have equal votes",
        TieKind.QUOTA_WOMAN: "women have equal votes for a quota seat",
        TieKind.QUOTA_REPLACED_MAN: "lowest-voted elected men have equal votes",
        TieKind.QUOTA_LIST_ORDER: "lists owing women have equal votes",
        TieKind.COMPONENT_SEAT: "component candidates have equal votes",
    }[tie.kind]
    scope = f" (in {tie.scope})" if tie.scope else ""
    ids = ",".join(tie.contenders)
    return (f"a tie decides the result: {what}{scope}: {tie.describe_ids()} for "
            f"{tie.places} place(s).\nDecide it by lot in public, then run again with "
            f"--lot-seed SEED, or record a physical draw with --draw {ids} "
            "(the ids in the order drawn).")


def run(args: argparse.Namespace) -> int:
    from shafaf.cli.csv_input import InputError, iter_ids
    from shafaf.core.allocation import Undecided, allocate
    from shafaf.core.contest import CandidateId
    from shafaf.core.ties import RecordedDraw, TieBreaker

    written = None
    try:
        with problems_out.problems_file(args.problems_out) as written:
            law = laws.get(args.law)
            rules = contest_rules(law, args)
            contest, names, district = load(args, law, rules)
    except InputError as exc:
        count = exc.total
        print(f"shafaf allocate: {count} problem(s) in the input; nothing was computed.",
              file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        for more in exc.unlisted:
            print(f"  {more.file}: {more.count} more like this: {more}", file=sys.stderr)
        if told := problems_out.told(written, args.problems_out):
            print(told, file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:  # the --problems-out file
        print(f"shafaf allocate: cannot write {exc.filename}: {exc.strerror}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except UsageError as exc:
        print(f"shafaf allocate: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT

    breaker = TieBreaker(
        seed=args.lot_seed,
        draws=tuple(RecordedDraw(order=tuple(iter_ids(draw))) for draw in args.draw),
    )
    disqualified = [CandidateId(i) for i in iter_ids(args.disqualify)]
    result = allocate(contest, rules=rules, breaker=breaker, disqualified=disqualified)
    if isinstance(result, Undecided):
        print(f"shafaf allocate: {tie_message(result.tie)}", file=sys.stderr)
        return EXIT_TIE
    print_report(result, law=law, district=district, names=names, fmt=args.format)
    return 0


def print_report(result: Allocation, *, law: LawProfile, district: District | None,
                 names: dict[str, str], fmt: str) -> None:
    from shafaf.core.report import allocation_report

    report = allocation_report(result, law=law, district=district, names=names)
    # Each format's writer is imported only when it is chosen: one run uses one.
    if fmt == "json":
        import json

        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        from shafaf.cli.allocation_text import render_allocation

        sys.stdout.write(render_allocation(report))
