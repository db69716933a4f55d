"""The public lottery, algorithm ``shafaf-lottery/1`` (domain brief, section 4).

The commission draws every entity's ballot number in one public ceremony, and
breaks ties for a seat by lot before the lists' agents. Shafaf makes both
reproducible by anyone: the participants are fixed and hashed before the draw,
the seed is built in public, and every participant's ticket is a hash of the
two. The algorithm is fixed; any change is a new version name. The transcript
that publishes a draw, and its verification, are in ``lottery_transcript``.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shafaf.core.refusal import Refused

ALGORITHM = "shafaf-lottery/1"


def _sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def participants_sha256(ids: Iterable[str]) -> str:
    """SHA-256 of the ids sorted by code point and joined by newlines."""
    return _sha256_hex("\n".join(sorted(ids)))


def seed_sha256(seed: str) -> str:
    """SHA-256 of the seed in Unicode normal form C, so that the same seed
    typed on two keyboards hashes the same."""
    return _sha256_hex(unicodedata.normalize("NFC", seed))


def ticket(seed_hash: str, participant_id: str) -> str:
    """A participant's ticket: SHA-256 of ``seed_sha256 + "," + id``."""
    return _sha256_hex(f"{seed_hash},{participant_id}")


def ticket_order(ids: Iterable[str], *, seed: str) -> tuple[str, ...]:
    """The ids in draw order: by ticket, then by id."""
    seed_hash = seed_sha256(seed)
    return tuple(sorted(ids, key=lambda ident: (ticket(seed_hash, ident), ident)))


# --- The seed of a ceremony -----------------------------------------------------------

SEED_PART_SEPARATOR = "-"
"""Between the seed parts, in the order they were made (dice 1, 2, 3 → ``1-2-3``)."""
BEACON_MARK = "|beacon:"
"""Before the beacon's value, after the parts (``1-2-3|beacon:5f0c…``)."""


def build_seed(parts: Sequence[str], beacon_value: str = "") -> str:
    """The seed of a ceremony's draw (docs/decisions/0009-lottery-seed-format.md): the
    parts joined by ``-`` in the order they were made, then, if a beacon was announced,
    ``|beacon:`` and its value. ``["3", "5", "1"]`` and beacon value ``a1b2`` give
    ``3-5-1|beacon:a1b2``; the parts alone give ``3-5-1``."""
    seed = SEED_PART_SEPARATOR.join(parts)
    return f"{seed}{BEACON_MARK}{beacon_value}" if beacon_value else seed


# --- Committed seed parts ------------------------------------------------------------

COMMITMENT_TAG = "shafaf-seed-part/1"
"""The first line of what a seed part's commitment hashes (docs/lottery.md)."""


def seed_part_commitment(value: str, nonce: str) -> str:
    """A seed part's commitment: SHA-256 of the UTF-8 of ``shafaf-seed-part/1``, the
    nonce and the value, each on its own line (``printf 'shafaf-seed-part/1\\n%s\\n%s'
    NONCE VALUE | sha256sum``). The nonce, a secret only its contributor holds until the
    reveal, keeps a die's few values from being guessed back from the hash."""
    return _sha256_hex(f"{COMMITMENT_TAG}\n{nonce}\n{value}")


# --- The ballot-number draw -----------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Participant:
    participant_id: str
    name: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class NumberPool:
    """The numbers to give out: the union of ``ranges`` (inclusive) minus ``excluded``.
    In 2025 numbering started at 201 and 56 was left out (domain brief, section 4)."""

    ranges: tuple[tuple[int, int], ...]
    excluded: frozenset[int] = frozenset()

    def first(self, count: int) -> list[int]:
        """The ``count`` lowest numbers of the pool (fewer if it is smaller), without
        listing the whole pool: a range may be as wide as anyone writes it."""
        out: list[int] = []
        for low, high in self.merged():
            number = low
            while number <= high and len(out) < count:
                if number not in self.excluded:
                    out.append(number)
                number += 1
            if len(out) >= count:
                break
        return out

    def size(self) -> int:
        merged = self.merged()
        inside = sum(any(low <= n <= high for low, high in merged) for n in self.excluded)
        return sum(high - low + 1 for low, high in merged) - inside

    def numbers(self) -> list[int]:
        return self.first(self.size())

    def merged(self) -> list[tuple[int, int]]:
        """The ranges sorted, overlapping or touching ones joined, empty ones (a high
        end below the low end, which a transcript can carry) left out, as the browser's
        verifier does: each number of the pool once, in order."""
        joined: list[tuple[int, int]] = []
        for low, high in sorted(r for r in self.ranges if r[0] <= r[1]):
            if joined and low <= joined[-1][1] + 1:
                joined[-1] = (joined[-1][0], max(joined[-1][1], high))
            else:
                joined.append((low, high))
        return joined


class LotteryError(Refused):
    """A draw that cannot be made as asked: a code and its figures, like every
    refusal, and an English sentence for the tools that have only English (the
    command line and the transcript verifier), which ``str()`` gives."""

    def __init__(self, code: str, message: str, /, **params: object) -> None:
        super().__init__(code, **params)
        self.message = message

    def __str__(self) -> str:
        return self.message


def parse_pool(ranges: str, exclude: str = "") -> NumberPool:
    """``"101-199,201-399"`` (a single number stands for itself) and ``"56,150"``."""
    parsed: list[tuple[int, int]] = []
    for part in (p.strip() for p in ranges.split(",")):
        if not part:
            continue
        low_text, _, high_text = part.partition("-")
        try:
            low = int(low_text)
            high = int(high_text) if high_text else low
        except ValueError:
            raise LotteryError("not_a_range", f"{part!r} is not a number or a range like 1-300",
                               part=part) from None
        if low < 1 or high < low:
            raise LotteryError("range_not_ascending",
                               f"{part!r}: a range runs from a positive number up", part=part)
        parsed.append((low, high))
    if not parsed:
        raise LotteryError("no_numbers", "no numbers to draw: give ranges such as 1-300")
    try:
        excluded = frozenset(int(p) for p in exclude.split(",") if p.strip())
    except ValueError:
        raise LotteryError("bad_exclusion", f"excluded numbers {exclude!r} must be whole numbers",
                           exclude=exclude) from None
    return NumberPool(ranges=tuple(parsed), excluded=excluded)


@dataclass(frozen=True, slots=True, kw_only=True)
class Assignment:
    participant_id: str
    number: int
    ticket: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Draw:
    participants: tuple[Participant, ...]
    participants_sha256: str
    seed: str
    seed_sha256: str
    pool: NumberPool
    assignments: tuple[Assignment, ...]
    """In ticket order: the first holds the pool's lowest number."""
    algorithm: str = ALGORITHM


def draw(participants: Sequence[Participant], *, seed: str, pool: NumberPool) -> Draw:
    """Give every participant a number: ordered by ticket (then id), the i-th takes
    the pool's i-th number."""
    ids = [p.participant_id for p in participants]
    _check_ids(ids)
    numbers = pool.first(len(ids))
    if len(numbers) < len(ids):
        raise LotteryError(
            "pool_too_small",
            f"the pool holds {len(numbers)} numbers for {len(ids)} participants",
            size=len(numbers), participants=len(ids))
    seed_hash = seed_sha256(seed)
    tickets = {ident: ticket(seed_hash, ident) for ident in ids}
    order = sorted(ids, key=lambda ident: (tickets[ident], ident))
    return Draw(
        participants=tuple(sorted(participants, key=lambda p: p.participant_id)),
        participants_sha256=participants_sha256(ids),
        seed=seed,
        seed_sha256=seed_hash,
        pool=pool,
        assignments=tuple(Assignment(participant_id=ident, number=number, ticket=tickets[ident])
                          for ident, number in zip(order, numbers, strict=False)),
    )


def _check_ids(ids: Sequence[str]) -> None:
    seen: set[str] = set()
    for ident in ids:
        if not ident or "\n" in ident or ident != ident.strip():
            raise LotteryError("bad_participant_id",
                               f"participant id {ident!r} must be non-empty, on one line, "
                               "without surrounding spaces", participant=ident)
        if ident in seen:
            raise LotteryError("duplicate_participant", f"participant id {ident!r} appears twice",
                               participant=ident)
        seen.add(ident)
    if not ids:
        raise LotteryError("no_participants", "there are no participants")


# --- Supplementary draws ---------------------------------------------------------------


def numbers_not_drawn(pool: NumberPool, drawn: Iterable[int]) -> NumberPool:
    """The pool of a supplementary draw: the numbers of ``pool`` above every number
    already ``drawn`` from it. A draw gives out the lowest numbers of its pool, so these
    are exactly the numbers nobody has drawn (the exclusions still apply)."""
    highest = max(drawn, default=0)
    ranges = tuple((max(low, highest + 1), high) for low, high in pool.merged()
                   if high > highest)
    return NumberPool(ranges=ranges, excluded=pool.excluded)


def pool_text(pool: NumberPool) -> tuple[str, str]:
    """The ranges and the exclusions as :func:`parse_pool` reads them:
    ``("204-399", "256")``."""
    ranges = ",".join(f"{low}-{high}" if high > low else str(low)
                      for low, high in pool.merged())
    return ranges, ",".join(str(n) for n in sorted(pool.excluded))
