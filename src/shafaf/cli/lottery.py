"""``shafaf lottery draw`` and ``shafaf lottery verify``: the ballot-number draw and
its independent check, without a database (shafaf-lottery/1, domain brief §4).

``draw`` writes a transcript /2; ``verify`` checks /2 and the older /1, and with
``--sha256`` also that the transcript is the one whose hash the commission published
(a /2 hash covers every field; anyone can recompute it, so only the published value
shows that nothing was changed).

Exit status: 0 drawn or verified; 1 a transcript that does not match (the first
mismatch is named); 2 bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from shafaf.cli.csv_input import InputError, Problems, read_records
from shafaf.cli.table import render
from shafaf.core.lottery import LotteryError, Participant, draw, parse_pool
from shafaf.core.lottery_transcript import (
    HASH_FIELD,
    SCHEMA,
    MismatchKind,
    to_transcript,
    transcript_sha256,
    verify,
)
from shafaf.core.names import bidi_controls, character_label

EXIT_MISMATCH = 1
EXIT_BAD_INPUT = 2

WHAT = {
    MismatchKind.MALFORMED: "the transcript is not in the expected form",
    MismatchKind.TRANSCRIPT_HASH: "a field was changed after the transcript was hashed "
                                  "(transcript_sha256 does not match)",
    MismatchKind.COMMITMENT: "a revealed seed part does not match its commitment",
    MismatchKind.SEED: "the seed is not the one the revealed parts and the beacon's value "
                       "give",
    MismatchKind.POOL_SIZE: "the pool's size is not the size of its ranges less its "
                            "exclusions",
    MismatchKind.ALGORITHM: "the algorithm is not shafaf-lottery/1",
    MismatchKind.PARTICIPANTS_HASH: "the participants' hash does not match the participants",
    MismatchKind.SEED_HASH: "the seed's hash does not match the seed",
    MismatchKind.PARTICIPANTS: "the assignments are not one for each participant",
    MismatchKind.TICKET: "a ticket is not the hash of the seed and the participant",
    MismatchKind.NUMBER: "a number is not the one the tickets give",
}


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lottery = subparsers.add_parser("lottery", help="the public ballot-number draw")
    commands = lottery.add_subparsers(metavar="COMMAND", required=True)
    drawing = commands.add_parser(
        "draw", help="draw ballot numbers and write the transcript",
        description="Give every participant a ballot number with shafaf-lottery/1. "
                    "Exit status 2 means bad input.")
    drawing.add_argument("--participants", type=Path, required=True, metavar="CSV",
                         help="participant_id,name (more columns are ignored)")
    drawing.add_argument("--seed", required=True, help="the seed built in public")
    drawing.add_argument("--numbers", required=True, metavar="RANGES",
                         help="the number pool, e.g. 1-300 or 101-199,201-399")
    drawing.add_argument("--exclude", default="", metavar="N,N...",
                         help="numbers left out of the pool")
    drawing.add_argument("--drawn-by", metavar="NAME", help="who drew, for the transcript")
    drawing.add_argument("--format", choices=("text", "json"), default="text")
    drawing.add_argument("--out", type=Path, metavar="FILE",
                         help="also write the transcript (JSON) to FILE")
    drawing.set_defaults(run=run_draw)
    checking = commands.add_parser(
        "verify", help="recompute a transcript; exit 1 naming the first mismatch",
        description="Recompute every hash, ticket and number of a published transcript.")
    checking.add_argument("transcript", type=Path)
    checking.add_argument("--sha256", metavar="HASH",
                          help="the transcript's hash as the commission published it "
                               "(transcript_sha256): fail unless the transcript has it")
    checking.set_defaults(run=run_verify)


def read_participants(path: Path) -> list[Participant]:
    problems = Problems()
    participants: list[Participant] = []
    seen: dict[str, int] = {}
    for rec in read_records(path, ("participant_id", "name"), problems):
        ident = rec.values["participant_id"]
        if not ident:
            problems.add(rec.row, "", "participant_id is empty", file=path.name)
        elif ident in seen:
            problems.add(rec.row, "", "duplicate participant_id %(id)s (first at row %(row)s)",
                         {"id": ident, "row": seen[ident]}, file=path.name)
        else:
            seen[ident] = rec.row
            participants.append(Participant(participant_id=ident, name=rec.values["name"]))
        if controls := bidi_controls(rec.values["name"]):
            # A name that reorders what follows it would misprint the transcript.
            problems.add(rec.row, "", f"{character_label(controls[0])} is not allowed in a "
                         "name", file=path.name)
    problems.raise_if_any()
    return participants


def run_draw(args: argparse.Namespace) -> int:
    try:
        participants = read_participants(args.participants)
        result = draw(participants, seed=args.seed, pool=parse_pool(args.numbers, args.exclude))
    except InputError as exc:
        print(f"shafaf lottery draw: {exc.total} problem(s) in the input; nothing was "
              "drawn.", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        for more in exc.unlisted:
            print(f"  {more.file}: {more.count} more like this: {more}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except LotteryError as exc:
        print(f"shafaf lottery draw: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    transcript = to_transcript(result, drawn_at=datetime.now(UTC).isoformat(timespec="seconds"),
                               drawn_by=args.drawn_by)
    text = json.dumps(transcript, ensure_ascii=False, indent=2) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    if args.format == "json":
        sys.stdout.write(text)
        return 0
    names = {p.participant_id: p.name for p in result.participants}
    print(f"{result.algorithm}: {len(result.assignments)} participants")
    print(f"participants sha256: {result.participants_sha256}")
    print(f"seed sha256:         {result.seed_sha256}\n")
    print(render(["Number", "Participant", "Ticket", "Name"],
                 [[str(a.number), a.participant_id, a.ticket[:16] + "…",
                   names[a.participant_id]] for a in result.assignments],
                 numeric=[True, False, False]))
    if args.out:
        print(f"\nTranscript written to {args.out}")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    try:
        transcript = json.loads(args.transcript.read_text(encoding="utf-8"))
    # ValueError: also a number of more than 4,300 digits, which json will not read.
    except (OSError, ValueError) as exc:
        print(f"shafaf lottery verify: cannot read {args.transcript}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not isinstance(transcript, dict):
        print("shafaf lottery verify: a transcript is a JSON object", file=sys.stderr)
        return EXIT_BAD_INPUT
    pinned = None
    if args.sha256 is not None:
        pinned = args.sha256.strip().lower()
        if len(pinned) != 64 or not set(pinned) <= set("0123456789abcdef"):
            print("shafaf lottery verify: --sha256 takes the 64 hexadecimal digits of the "
                  "published transcript_sha256 (no prefix)", file=sys.stderr)
            return EXIT_BAD_INPUT
    mismatch = verify(transcript)
    if mismatch is None and pinned is not None:
        found = transcript_sha256(transcript) if HASH_FIELD in transcript else "(none: /1)"
        if found != pinned:
            print("MISMATCH: the transcript is not the one whose hash was published.",
                  file=sys.stderr)
            print(f"  expected: {pinned}\n  found:    {found}", file=sys.stderr)
            return EXIT_MISMATCH
    if mismatch is None:
        print(f"The transcript is verified: {len(transcript['assignments'])} assignments, "
              f"participants {transcript['participants_sha256']}, "
              f"seed {transcript['seed_sha256']}.")
        if HASH_FIELD in transcript:
            print(f"Transcript hash {transcript[HASH_FIELD]}: compare it with the one the "
                  "commission published" + (" (it matches)." if pinned else "."))
        elif transcript.get("schema") != SCHEMA:
            print("This is a /1 transcript: its names, drawn_at, drawn_by and pool size "
                  "are not covered by any hash.")
        return 0
    where = f" for participant {mismatch.participant_id}" if mismatch.participant_id else ""
    print(f"MISMATCH: {WHAT[mismatch.kind]}{where}.", file=sys.stderr)
    if mismatch.expected or mismatch.found:
        print(f"  expected: {mismatch.expected}\n  found:    {mismatch.found}", file=sys.stderr)
    return EXIT_MISMATCH
