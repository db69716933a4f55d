"""The public sample of a parallel vote tabulation, algorithm ``shafaf-sample/1``.

Observers can only check a count they were at. A parallel vote tabulation sends them
to a random sample of stations and holds the sample's estimate against the official
result; the estimate is worth something only if nobody chose the stations. So the
sample is drawn like the ballot-number lottery (``shafaf.core.lottery``): from a frame
fixed and hashed before the draw, and a seed built in public, by an algorithm anyone
can redo with ``sha256sum`` and a few lines of code (docs/pvt-sample.md).

The draw, exactly:

- ``seed_sha256`` is the SHA-256 of the UTF-8 of the seed in Unicode normal form C,
  as lowercase hex (the lottery's);
- each station's ticket is the SHA-256 of the UTF-8 of ``seed_sha256 + "," +
  station_id``, as lowercase hex (the lottery's);
- the size is split across strata in proportion to their stations: stratum ``s`` with
  ``N_s`` of the frame's ``K`` stations is owed ``size * N_s / K``; each takes the whole
  part, and the seats left go one each to the largest fractional parts, equal ones by
  stratum name ascending (by code point);
- each stratum takes its ``n_s`` stations with the smallest ``(ticket, station_id)``.

Interpretation, fixed here: ids and strata are compared as exact strings (by code
point, no normalisation: ``"B-01"`` and ``"b-01"`` are two stations); every stratum of
the frame is listed in the result, with 0 when it is owed less than its share of a
seat; the stations are listed stratum by stratum (strata by name), each in draw order
(by ticket). Proportional allocation never gives a stratum more than its stations
(``size * N_s / K <= N_s`` when ``size <= K``, and a stratum below its quota is below
``N_s``), which :func:`allocate` checks all the same.

The frame's hash is the SHA-256 of the frame file's bytes as published
(:func:`frame_sha256`), so that ``sha256sum frame.csv`` gives it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shafaf.core.lottery import seed_sha256, ticket
from shafaf.core.refusal import Refused

ALGORITHM = "shafaf-sample/1"

__all__ = [
    "ALGORITHM",
    "FrameStation",
    "Mismatch",
    "MismatchKind",
    "Sample",
    "SampleError",
    "allocate",
    "check_frame",
    "draw",
    "frame_of",
    "frame_sha256",
    "seed_sha256",
    "spans_lines",
    "ticket",
    "to_json",
    "verify",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class FrameStation:
    station_id: str
    stratum: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Sample:
    """A draw: every stratum's share (all the frame's strata, by name) and the stations
    drawn (stratum by stratum, each in draw order), with the tickets that chose them."""

    seed_sha256: str
    strata: Mapping[str, int]
    stations: tuple[str, ...]
    tickets: Mapping[str, str]
    frame_size: int


class SampleError(Refused):
    """A draw that cannot be made as asked: a code, its figures, and an English
    sentence for the command line (``str()``)."""

    def __init__(self, code: str, message: str, /, **params: object) -> None:
        super().__init__(code, **params)
        self.message = message

    def __str__(self) -> str:
        return self.message


def frame_sha256(content: bytes) -> str:
    """SHA-256 of the frame file's bytes exactly as published (byte-order mark, line
    endings and all), as lowercase hex: what ``sha256sum frame.csv`` prints. A frame
    re-saved by a spreadsheet hashes differently even with the same rows, which is the
    point: the hash names the one file the draw was made from."""
    return hashlib.sha256(content).hexdigest()


# The characters at which Python's str.splitlines breaks a line.
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def spans_lines(text: str) -> bool:
    return _LINE_BREAK.search(text) is not None


def _bad_text(text: str) -> bool:
    """Empty, with spaces around it or across lines: a value a file or a screen would
    show as something else."""
    return not text or text[0].isspace() or text[-1].isspace() or spans_lines(text)


def check_frame(frame: Sequence[FrameStation]) -> None:
    """Refuse a frame with no stations, an empty (or space-padded, or multi-line)
    station id or stratum, or a station twice (``position`` counts from 1)."""
    if not frame:
        raise SampleError("empty_frame", "the frame has no stations")
    seen: dict[str, int] = {}
    for position, station in enumerate(frame, start=1):
        if _bad_text(station.station_id):
            raise SampleError("bad_station_id", f"station {position}: the station id "
                              f"{station.station_id!r} is empty, has spaces around it or "
                              "spans lines", position=position, station_id=station.station_id)
        if _bad_text(station.stratum):
            raise SampleError("bad_stratum", f"station {station.station_id}: the stratum "
                              f"{station.stratum!r} is empty, has spaces around it or spans "
                              "lines", position=position, station_id=station.station_id)
        if station.station_id in seen:
            raise SampleError("duplicate_station", f"station {station.station_id} is in the "
                              f"frame twice (at {seen[station.station_id]} and {position})",
                              station_id=station.station_id, first=seen[station.station_id],
                              position=position)
        seen[station.station_id] = position


def allocate(sizes: Mapping[str, int], size: int) -> dict[str, int]:
    """``size`` split across strata of ``sizes`` stations in proportion, by largest
    remainder (equal remainders by stratum name, ascending), every stratum listed by
    name. Exact: the remainders are compared as whole numbers (``size * N_s mod K``)."""
    total = sum(sizes.values())
    if total < 1:
        raise SampleError("empty_frame", "the frame has no stations")
    if not 1 <= size <= total:
        raise SampleError("bad_size", f"the sample size must be between 1 and the frame's "
                          f"{total} stations, not {size}", size=size, frame=total)
    shares = {name: size * count // total for name, count in sizes.items()}
    left = size - sum(shares.values())
    by_remainder = sorted(sizes, key=lambda name: (-(size * sizes[name] % total), name))
    for name in by_remainder[:left]:
        shares[name] += 1
    over = [name for name in shares if shares[name] > sizes[name]]
    if over:  # cannot happen (module docstring); a wrong draw must never be published
        raise AssertionError(f"stratum {over[0]} given more than its stations")
    return {name: shares[name] for name in sorted(shares)}


def draw(frame: Sequence[FrameStation], *, seed: str, size: int) -> Sample:
    """The sample of ``size`` stations of ``frame`` that ``seed`` gives."""
    check_frame(frame)
    return _draw(frame, seed=seed, size=size)


def _draw(frame: Sequence[FrameStation], *, seed: str, size: int) -> Sample:
    members: dict[str, list[str]] = {}
    for station in frame:
        members.setdefault(station.stratum, []).append(station.station_id)
    shares = allocate({name: len(ids) for name, ids in members.items()}, size)
    seed_hash = seed_sha256(seed)
    chosen: list[str] = []
    tickets: dict[str, str] = {}
    for name, share in shares.items():
        if not share:
            continue
        ranked = sorted((ticket(seed_hash, ident), ident) for ident in members[name])
        for station_ticket, ident in ranked[:share]:
            chosen.append(ident)
            tickets[ident] = station_ticket
    return Sample(seed_sha256=seed_hash, strata=shares, stations=tuple(chosen),
                  tickets=tickets, frame_size=len(frame))


def to_json(sample: Sample, *, frame_hash: str | None = None) -> dict[str, Any]:
    """The published form: ``{"algorithm", "frame_sha256", "seed_sha256", "strata",
    "stations"}`` (``frame_sha256`` only when the frame's bytes are known)."""
    out: dict[str, Any] = {"algorithm": ALGORITHM}
    if frame_hash is not None:
        out["frame_sha256"] = frame_hash
    out |= {"seed_sha256": sample.seed_sha256, "strata": dict(sample.strata),
            "stations": list(sample.stations)}
    return out


# --- Verification --------------------------------------------------------------------


class MismatchKind(StrEnum):
    MALFORMED = "malformed"  # not the published form
    ALGORITHM = "algorithm"  # not shafaf-sample/1
    FRAME_SHA256 = "frame_sha256"  # another frame file than the one given
    SEED_SHA256 = "seed_sha256"  # another seed than the one given
    SIZE = "size"  # the strata's shares do not add up to the stations listed
    STRATA = "strata"  # a stratum's share is not the one the frame gives
    STATIONS = "stations"  # a station is not the one the draw gives at its place


@dataclass(frozen=True, slots=True, kw_only=True)
class Mismatch:
    """The first difference: which check, where (a stratum, or the station list's
    1-based position), and what the draw gives against what was published."""

    kind: MismatchKind
    where: str = ""
    expected: str = ""
    found: str = ""


def _malformed(where: str) -> Mismatch:
    return Mismatch(kind=MismatchKind.MALFORMED, where=where)


def _shape(published: object
           ) -> Mismatch | tuple[dict[str, Any], dict[str, int], list[str]]:
    if not isinstance(published, dict):
        return _malformed("$")
    strata, stations = published.get("strata"), published.get("stations")
    if not isinstance(strata, dict) or not all(
            isinstance(k, str) and type(v) is int for k, v in strata.items()):
        return _malformed("strata")
    if not isinstance(stations, list) or not all(isinstance(s, str) for s in stations):
        return _malformed("stations")
    for field in ("frame_sha256", "seed_sha256"):
        if field in published and not isinstance(published[field], str):
            return _malformed(field)
    return published, strata, stations


def verify(published: object, *, frame: Sequence[FrameStation], seed: str,
           frame_hash: str | None = None) -> Mismatch | None:
    """Redo a published draw from the frame and the seed; None when it is exactly the
    draw they give, else the first difference, checked in this order: the form, the
    algorithm, the frame's hash (when both it and ``frame_hash`` are known), the seed's
    hash (when published), that the shares add up to the stations listed, each
    stratum's share (by name), each station by its place in the list.

    The size is the number of stations listed. Raises :class:`SampleError` when the
    frame itself is unusable: then nothing can be checked."""
    check_frame(frame)
    shaped = _shape(published)
    if isinstance(shaped, Mismatch):
        return shaped
    published, strata, stations = shaped
    if published.get("algorithm") != ALGORITHM:
        return Mismatch(kind=MismatchKind.ALGORITHM, expected=ALGORITHM,
                        found=str(published.get("algorithm", "")))
    found_frame = published.get("frame_sha256")
    if found_frame is not None and frame_hash is not None and found_frame != frame_hash:
        return Mismatch(kind=MismatchKind.FRAME_SHA256, expected=frame_hash, found=found_frame)
    seed_hash = seed_sha256(seed)
    found_seed = published.get("seed_sha256")
    if found_seed is not None and found_seed != seed_hash:
        return Mismatch(kind=MismatchKind.SEED_SHA256, expected=seed_hash, found=found_seed)
    if sum(strata.values()) != len(stations):
        return Mismatch(kind=MismatchKind.SIZE, expected=str(len(stations)),
                        found=str(sum(strata.values())))
    if not 1 <= len(stations) <= len(frame):
        return Mismatch(kind=MismatchKind.SIZE, expected=f"1 to {len(frame)}",
                        found=str(len(stations)))
    redone = _draw(frame, seed=seed, size=len(stations))  # the frame was checked above
    for name in sorted(set(redone.strata) | set(strata)):
        want, got = redone.strata.get(name), strata.get(name)
        if want != got:
            return Mismatch(kind=MismatchKind.STRATA, where=name,
                            expected="" if want is None else str(want),
                            found="" if got is None else str(got))
    for place, (want_id, got_id) in enumerate(zip(redone.stations, stations, strict=True),
                                              start=1):
        if want_id != got_id:
            return Mismatch(kind=MismatchKind.STATIONS, where=str(place), expected=want_id,
                            found=got_id)
    return None


def frame_of(rows: Iterable[tuple[str, str]]) -> list[FrameStation]:
    """``(station_id, stratum)`` pairs as a frame."""
    return [FrameStation(station_id=ident, stratum=stratum) for ident, stratum in rows]
