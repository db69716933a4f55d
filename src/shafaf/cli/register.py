"""``shafaf register``: the voter register's tools.

``shafaf register dedup FILE`` finds records of one person entered twice in a
register extract (docs/register-dedup.md), without a database. Exit status: 0 done
(clusters or none); 2 bad input (every bad row named, nothing matched).

``shafaf register hash --election CODE`` prints the SHA-256 of the register's canonical
listing, from the database, and compares it with the final register's
(docs/register-exhibition.md).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

from shafaf.cli import problems_out

EXIT_BAD_INPUT = 2


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.5 <= value < 1:
        raise argparse.ArgumentTypeError("a match probability from 0.5 up to (not including) 1")
    return value


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("register", help="the voter register's tools",
                                   description="The voter register's tools: dedup reads "
                                               "a file, hash reads the database.")
    commands = parser.add_subparsers(title="register commands", metavar="COMMAND",
                                     required=True)
    dedup = commands.add_parser(
        "dedup", help="find records of one person entered twice",
        description="Find records of one person entered twice in a register extract (CSV, "
                    "plain or gzip, columns voter_id, first_name, father_name, "
                    "grandfather_name, family_name, mother_name, sex, birth_date, "
                    "governorate). Exit status 2 means bad input: every bad row is named.")
    dedup.add_argument("file", type=Path, metavar="FILE")
    dedup.add_argument("--format", choices=("json", "text"), default="json",
                       help="json (default): {\"clusters\": [[ids...], ...], ...}; text: a table")
    from shafaf.duplicates.model import THRESHOLD  # no Splink: the model imports it lazily

    dedup.add_argument("--threshold", type=_probability, default=THRESHOLD, metavar="P",
                       help=f"the match probability from which two records are one person "
                            f"(default {THRESHOLD})")
    dedup.add_argument("--backend", choices=("duckdb", "spark"), default="duckdb",
                       help="duckdb (default): one machine; spark: Splink's Spark backend "
                            "(local mode, or SHAFAF_SPARK_MASTER), the same model, for the "
                            "national register; needs pyspark and Java 17")
    problems_out.add_argument(dedup)
    dedup.set_defaults(run=run_dedup)
    # The final register's hash (docs/register-exhibition.md): reads the database.
    hashing = commands.add_parser(
        "hash", help="the SHA-256 of an election's register, in its canonical listing",
        description="Print the SHA-256 of the canonical listing of an election's register "
                    "as it stands in the database (docs/register-exhibition.md), and whether "
                    "it matches the hash published when the register was finalised. Exit "
                    "status: 0 computed (and matching, once final); 1 the register no longer "
                    "matches its published hash; 2 no such election.")
    hashing.add_argument("--election", required=True, metavar="CODE")
    hashing.set_defaults(run=run_hash)


def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


def run_dedup(args: argparse.Namespace) -> int:
    from shafaf.duplicates import model, records
    from shafaf.tabular import ImportRejected

    path: Path = args.file
    try:
        stream = path.open("rb")
    except OSError as exc:
        _stderr(f"shafaf register dedup: cannot read {path}: {exc.strerror}")
        return EXIT_BAD_INPUT
    try:
        with stream, problems_out.problems_file(args.problems_out) as written:
            extract = records.read(path.name, stream)
    except ImportRejected as rejected:
        for line in problems_out.report(rejected, name=path.name, written=written,
                                        path=args.problems_out, outcome="nothing was matched."):
            _stderr(line)
        return EXIT_BAD_INPUT
    except OSError as exc:
        _stderr(f"shafaf register dedup: cannot write {exc.filename}: {exc.strerror}")
        return EXIT_BAD_INPUT
    if args.backend == "spark" and importlib.util.find_spec("pyspark") is None:
        _stderr("shafaf register dedup: --backend spark needs pyspark: "
                "pip install 'shafaf[spark]' (and Java 17)")
        return EXIT_BAD_INPUT
    found = model.clusters(extract, threshold=args.threshold, backend=args.backend)
    if args.format == "json":
        # One cluster a line: a file of thousands stays readable and diffable.
        groups = ",\n  ".join(json.dumps(ids) for ids in found)
        rest = json.dumps({"records": len(extract),
                           "records_in_clusters": sum(len(c) for c in found),
                           "threshold": args.threshold})
        sys.stdout.write(f'{{"clusters": [\n  {groups}\n ],\n {rest[1:-1]}}}\n'
                         if found else f'{{"clusters": [], {rest[1:]}\n')
    else:
        print(f"{len(found)} group(s) of records judged one person, among "
              f"{len(extract):,} records (match probability ≥ {args.threshold}):")
        for number, ids in enumerate(found, start=1):
            print(f"{number:>6}  {'  '.join(ids)}")
    return 0


EXIT_MISMATCH = 1


def run_hash(args: argparse.Namespace) -> int:
    from shafaf.cli.web import setup_django

    setup_django(migrated=True)
    from shafaf.elections.models import Election
    from shafaf.register.finalising import canonical_hash
    from shafaf.register.models import Finalisation

    election = Election.objects.filter(code=args.election).first()
    if election is None:
        known = ", ".join(Election.objects.values_list("code", flat=True)) or "none"
        _stderr(f"shafaf register hash: no election {args.election!r} (elections: {known})")
        return EXIT_BAD_INPUT
    sha256, voters = canonical_hash(election)
    print(f"{sha256}  {election.code}: {voters:,} voters")
    final = Finalisation.objects.filter(election=election).first()
    if final is None:
        print("The register is not final: no published hash to compare with.")
        return 0
    if final.sha256 == sha256 and final.voters == voters:
        print(f"Matches the final register published on {final.at:%Y-%m-%d %H:%M} UTC.")
        return 0
    print(f"Does NOT match the final register published on {final.at:%Y-%m-%d %H:%M} UTC: "
          f"{final.sha256} ({final.voters:,} voters).")
    return EXIT_MISMATCH
