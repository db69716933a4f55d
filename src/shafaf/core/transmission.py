"""The transmission format ``shafaf-transmission/1`` (docs/results-transmission.md).

A counting device sends its station's form as one JSON object: who sends (the
device's serial), for what (election, station, component), its own sequence number,
the time, the form's numbers and votes, and an Ed25519 signature over the
**canonical bytes** of every other member: the object without ``signature``,
serialised with sorted keys, no spaces, UTF-8, no escaping of non-ASCII characters.
Every value is a string or a whole number, so the canonical bytes are the same
whichever program wrote the document.

Reading is strict: an unknown or missing member, a repeated key, a number that is
not a whole number within bounds, a string too long or a vote row repeated makes the
document malformed. Standard library only: the command line signs and checks
documents without Django.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

FORMAT = "shafaf-transmission/1"
NUMBER_FIELDS = ("registered", "voted", "ballots_received", "ballots_in_box",
                 "ballots_spoiled", "ballots_unused", "invalid", "valid")
MEMBERS = frozenset({"format", "device", "election", "station", "component", "sequence",
                     "sent_at", "numbers", "votes"})
SIGNED_MEMBERS = MEMBERS | {"signature"}
MAX_BODY = 1_000_000
"""Bytes: a form of the largest governorate (a few hundred candidates) is under 50 KB."""
MAX_VOTE_ROWS = 5000
MAX_COUNT = 10_000_000
MAX_SEQUENCE = 2**53 - 1  # exact in every JSON reader
_SERIAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_LIST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
_CANDIDATE_ID = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]{0,31})-([1-9][0-9]{0,3})")
_SIGNATURE = re.compile(r"[A-Za-z0-9+/]{86}==")


class Malformed(ValueError):
    """Not a ``shafaf-transmission/1`` document; ``reason`` says what is wrong (English,
    for the log and the developer: the API's message is worded from the code)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Unsigned(Malformed):
    """A well-formed document with no signature."""


def serial_valid(serial: str) -> bool:
    return bool(_SERIAL.fullmatch(serial))


@dataclass(frozen=True, slots=True, kw_only=True)
class Vote:
    list_id: str
    """The list's ballot number as published, or its entity's code where none is drawn."""
    position: int | None
    """The candidate's position on the list; None for the votes for the list alone."""
    votes: int

    @property
    def candidate_id(self) -> str:
        return "" if self.position is None else f"{self.list_id}-{self.position}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Transmission:
    device: str
    election: str
    station: str
    component: str
    sequence: int
    sent_at: datetime
    numbers: dict[str, int]
    votes: tuple[Vote, ...]
    signature: str
    signed: bytes
    """The canonical bytes the signature covers."""


def canonical(document: dict[str, object]) -> bytes:
    """The bytes a signature covers: every member but ``signature``, canonically."""
    content = {name: value for name, value in document.items() if name != "signature"}
    return json.dumps(content, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False, allow_nan=False).encode("utf-8")


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    found: dict[str, object] = {}
    for key, value in pairs:
        if key in found:
            raise Malformed(f"the key {key[:40]!r} appears twice")
        found[key] = value
    return found


def _no_constant(name: str) -> object:
    raise Malformed(f"{name} is not a JSON number")


def _no_float(text: str) -> object:
    raise Malformed("numbers are whole numbers")


def load(body: bytes) -> dict[str, object]:
    """The JSON object of a body, strictly; Malformed otherwise."""
    if len(body) > MAX_BODY:
        raise Malformed(f"the body is larger than {MAX_BODY} bytes")
    try:
        text = body.decode("utf-8")
        value = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant,
                           parse_float=_no_float)
    except Malformed:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise Malformed("the body is not UTF-8 JSON") from exc
    if not isinstance(value, dict):
        raise Malformed("the body is not a JSON object")
    return value


def _whole(value: object, name: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise Malformed(f"{name} must be a whole number from {low} to {high}")
    return value


def _text(value: object, name: str, pattern: re.Pattern[str], *, empty: bool = False) -> str:
    if not isinstance(value, str):
        raise Malformed(f"{name} must be a string")
    if empty and value == "":
        return value
    if not pattern.fullmatch(value):
        raise Malformed(f"{name} is not a valid code")
    return value


def parse(document: dict[str, object], *, signed: bool = True) -> Transmission:
    """The transmission a loaded document holds. Raises Unsigned when ``signed`` and
    the document has no signature, Malformed for anything else wrong."""
    allowed = SIGNED_MEMBERS if signed else MEMBERS
    extra = sorted(set(document) - allowed)
    if extra:
        raise Malformed(f"unknown member(s): {', '.join(name[:40] for name in extra[:5])}")
    missing = sorted(MEMBERS - set(document))
    if missing:
        raise Malformed(f"missing member(s): {', '.join(missing)}")
    if document["format"] != FORMAT:
        raise Malformed(f"format must be {FORMAT!r}")
    device = _text(document["device"], "device", _SERIAL)
    election = _text(document["election"], "election", _CODE)
    station = _text(document["station"], "station", _CODE)
    component = _text(document["component"], "component", _CODE, empty=True)
    sequence = _whole(document["sequence"], "sequence", 1, MAX_SEQUENCE)
    sent_at = document["sent_at"]
    try:
        if not isinstance(sent_at, str) or len(sent_at) > 40:
            raise ValueError
        when = datetime.fromisoformat(sent_at)
    except ValueError as exc:
        raise Malformed("sent_at must be an ISO 8601 time with its offset") from exc
    if when.tzinfo is None:
        raise Malformed("sent_at must be an ISO 8601 time with its offset")
    numbers = document["numbers"]
    if not isinstance(numbers, dict) or set(numbers) != set(NUMBER_FIELDS):
        raise Malformed(f"numbers must have exactly {', '.join(NUMBER_FIELDS)}")
    checked = {name: _whole(numbers[name], f"numbers.{name}", 0, MAX_COUNT)
               for name in NUMBER_FIELDS}
    votes = _votes(document["votes"])
    signature = ""
    if signed:
        signature_value = document.get("signature")
        if signature_value is None or signature_value == "":
            raise Unsigned("the document has no signature")
        if not isinstance(signature_value, str) or not _SIGNATURE.fullmatch(signature_value):
            raise Malformed("signature must be the base64 of 64 bytes")
        signature = signature_value
    return Transmission(device=device, election=election, station=station,
                        component=component, sequence=sequence, sent_at=when,
                        numbers=checked, votes=votes, signature=signature,
                        signed=canonical(document))


def _votes(value: object) -> tuple[Vote, ...]:
    if not isinstance(value, list):
        raise Malformed("votes must be a list")
    if len(value) > MAX_VOTE_ROWS:
        raise Malformed(f"votes has more than {MAX_VOTE_ROWS} rows")
    rows: list[Vote] = []
    seen: set[tuple[str, int | None]] = set()
    for number, row in enumerate(value, start=1):
        if not isinstance(row, dict) or set(row) != {"list", "candidate", "votes"}:
            raise Malformed(f"votes row {number} must have exactly list, candidate, votes")
        list_id = _text(row["list"], f"votes row {number} list", _LIST_ID)
        candidate = row["candidate"]
        if not isinstance(candidate, str):
            raise Malformed(f"votes row {number} candidate must be a string")
        position = None
        if candidate:
            match = _CANDIDATE_ID.fullmatch(candidate)
            if match is None or match.group(1) != list_id:
                raise Malformed(f"votes row {number}: the candidate id is <list>-<position> "
                                "of the row's list")
            position = int(match.group(2))
        count = _whole(row["votes"], f"votes row {number} votes", 0, MAX_COUNT)
        if (list_id, position) in seen:
            raise Malformed(f"votes row {number} repeats an earlier row")
        seen.add((list_id, position))
        rows.append(Vote(list_id=list_id, position=position, votes=count))
    return tuple(rows)
