"""Observers' copies of the posted result forms against the published station results
(docs/observation-posted-forms.md).

After the count, the station's result form is posted at the station (electoral law:
the form is posted and a copy given to observers and agents). An observer photographs
it and transcribes its numbers in the ``counting`` form. Once the commission publishes
the station's result, every number that differs is a finding for the observer's
organisation to check against the photo and publish.

What is compared is what the commission published (the publication's ``forms.csv``
and ``votes.csv``), never its live figures. A list's votes are its total on the form:
its list-alone votes plus its candidates' votes, as the form shows them and as the
open data's ``votes.csv`` adds up. Interpretation: a list the observer left out of
the transcription is compared only when the publication gives it votes (a posted form
omits no list, so a published vote with no transcribed number is worth a look); a
list published with no vote row has 0 votes.

Pure: counts in, differences out.
"""

from __future__ import annotations

import csv
import io
import mmap
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

NUMBERS = ("registered", "voted", "ballots_in_box", "invalid", "valid")
"""The form's numbers compared, in the form's order (question ids of ``counting``)."""
LIST_VOTES = "list_votes"
"""The ``counting`` form's question for each list's votes."""


class State(StrEnum):
    COMPARED = "compared"
    NOT_PUBLISHED = "not_published"
    """The station's result is not (yet) in a publication."""
    NO_TRANSCRIPTION = "no_transcription"
    """No observer's copy of the form to compare."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StationCount:
    """A station's numbers, as transcribed or as published. ``None``: not given
    (a transcription of a form version with no such question). ``lists``: list ballot
    number → votes; ``None`` when the transcription has no list votes at all."""

    registered: int | None = None
    voted: int | None = None
    ballots_in_box: int | None = None
    invalid: int | None = None
    valid: int | None = None
    lists: Mapping[str, int] | None = field(default=None)

    def number(self, item: str) -> int | None:
        value: int | None = getattr(self, item)
        return value


@dataclass(frozen=True, slots=True, kw_only=True)
class Difference:
    """One number that differs: ``item`` one of :data:`NUMBERS` or ``list``
    (``list_id`` then says which); ``transcribed`` ``None`` when the observer gave none
    for a list the publication gives votes."""

    item: str
    transcribed: int | None
    published: int
    list_id: str = ""

    @property
    def key(self) -> str:
        """A stable name for the number: ``valid``, ``list:12``."""
        return f"list:{self.list_id}" if self.item == "list" else self.item


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    state: State
    differences: tuple[Difference, ...] = ()

    @property
    def agrees(self) -> bool:
        return self.state is State.COMPARED and not self.differences


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def transcription(answers: Mapping[str, Any]) -> StationCount:
    """The numbers an observer's ``counting`` answers give (answers already checked
    against the form; anything else is taken as not given)."""
    raw = answers.get(LIST_VOTES)
    lists = None
    if isinstance(raw, Mapping):
        lists = MappingProxyType({str(k): v for k, v in raw.items() if _whole(v) is not None})
    return StationCount(**{item: _whole(answers.get(item)) for item in NUMBERS},
                        lists=lists)


def compare(*, transcribed: StationCount | None, published: StationCount | None
            ) -> Comparison:
    """Every number the observer transcribed that differs from the published one."""
    if transcribed is None:
        return Comparison(state=State.NO_TRANSCRIPTION)
    if published is None:
        return Comparison(state=State.NOT_PUBLISHED)
    found: list[Difference] = []
    for item in NUMBERS:
        mine, theirs = transcribed.number(item), published.number(item)
        if mine is not None and theirs is not None and mine != theirs:
            found.append(Difference(item=item, transcribed=mine, published=theirs))
    if transcribed.lists is not None:
        official = published.lists or {}
        for list_id in sorted(set(transcribed.lists) | set(official), key=_list_order):
            mine_votes = transcribed.lists.get(list_id)
            theirs_votes = official.get(list_id, 0)
            if mine_votes is None and theirs_votes == 0:
                continue
            if mine_votes != theirs_votes:
                found.append(Difference(item="list", list_id=list_id,
                                        transcribed=mine_votes, published=theirs_votes))
    return Comparison(state=State.COMPARED, differences=tuple(found))


def _list_order(list_id: str) -> tuple[int, int, str]:
    """Ballot numbers in numeric order, then entity codes."""
    return (0, int(list_id), "") if list_id.isdigit() else (1, 0, list_id)


# --- The published numbers, from a publication's own files --------------------------

def published_station_counts(*, forms_csv: bytes, votes_csv: bytes | mmap.mmap,
                             stations: Collection[str]) -> dict[str, StationCount]:
    """The published numbers and list totals (list-alone plus candidates' votes) of
    those of ``stations`` that a publication's ``forms.csv`` counts (absent: not
    counted). ``votes.csv`` holds a row per station, list and candidate (millions in a
    large governorate) sorted by station: each station's rows are found by bisection,
    never by reading the whole file (a memory map of it: only the pages the bisection
    touches are read). A component's vote (no list) is left out."""
    wanted = set(stations)
    numbers: dict[str, dict[str, int]] = {}
    for row in csv.DictReader(io.StringIO(forms_csv.decode())):
        code = row.get("station_id") or ""
        if code in wanted:
            numbers[code] = {item: int(row[item]) for item in NUMBERS}
    header_end = votes_csv.find(b"\n") + 1
    found: dict[str, StationCount] = {}
    for code, values in numbers.items():
        lists: dict[str, int] = {}
        for line in _station_lines(votes_csv, header_end, code.encode()):
            _station, list_id, _candidate, votes = line.split(",")
            if list_id:
                lists[list_id] = lists.get(list_id, 0) + int(votes)
        found[code] = StationCount(**values, lists=MappingProxyType(lists))
    return found


def _station_lines(data: bytes | mmap.mmap, start: int, station: bytes) -> list[str]:
    """The lines of sorted ``data`` (from ``start``, a line's start) whose first field
    is ``station``: from the first line not before it to the first line after it."""
    first = _bisect(data, start, station, after=False)
    last = _bisect(data, first, station, after=True)
    return data[first:last].decode().splitlines()


def _bisect(data: bytes | mmap.mmap, lo: int, station: bytes, *, after: bool) -> int:
    """The start of the first line (from ``lo``, a line's start) whose station is not
    before ``station`` (``after``: is after it)."""
    hi = len(data)
    while lo < hi:
        mid = (lo + hi) // 2
        line = max(data.rfind(b"\n", 0, mid) + 1, lo)
        key = data[line:data.find(b",", line)]
        if key < station or (after and key == station):
            end = data.find(b"\n", line)
            lo = len(data) if end < 0 else end + 1
        else:
            hi = line
    return lo


# --- A finding's workflow: the coordinator verifies or dismisses, then publishes ----------

class FindingState(StrEnum):
    OPEN = "open"
    """A difference no one has looked at."""
    VERIFIED = "verified"
    """The transcription was checked against the photo: the difference stands."""
    DISMISSED = "dismissed"
    """A misreading (with the reason): not a finding."""
    PUBLISHED = "published"
    """A verified finding, made public. Final."""


class Step(StrEnum):
    VERIFY = "verify"
    DISMISS = "dismiss"
    PUBLISH = "publish"


_STEPS: Mapping[FindingState, tuple[Step, ...]] = MappingProxyType({
    FindingState.OPEN: (Step.VERIFY, Step.DISMISS),
    FindingState.VERIFIED: (Step.DISMISS, Step.PUBLISH),
    FindingState.DISMISSED: (Step.VERIFY,),
    FindingState.PUBLISHED: (),
})
_AFTER: Mapping[Step, FindingState] = MappingProxyType({
    Step.VERIFY: FindingState.VERIFIED, Step.DISMISS: FindingState.DISMISSED,
    Step.PUBLISH: FindingState.PUBLISHED})


def steps_from(state: FindingState) -> tuple[Step, ...]:
    """What the organisation's coordinator may do to a finding in ``state``."""
    return _STEPS[state]


def after(step: Step) -> FindingState:
    return _AFTER[step]
