"""``shafaf audit verify --remote URL``: check a Shafaf site's audit chain from outside.

Reads the site's public feed (``/api/audit/feed``, page by page, one page in memory
at a time) and its signed checkpoints (``/api/audit/checkpoints``), recomputes every
event's hash and link, checks every checkpoint's signature with the commission's
public key, and checks the chain against them. It then proves that the chain it sees
now *extends* the one it saw last time: the head it saw before (kept in a state
file, per site) must still be there, at the same sequence number. ``--pinned`` does
the same for a hash published elsewhere.

Standard library and ``shafaf.core``/``shafaf.signatures`` only: no Django, no
database, so that anyone can run it with the package installed.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shafaf import signatures
from shafaf.cli.audit import BAD_INPUT, BREAKS, FAULTS, OK, TAMPERED
from shafaf.cli.web import stderr
from shafaf.core import checkpoints, ledger

PAGE = 1000
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
TIMEOUT_SECONDS = 60
DEFAULT_STATE = Path("~/.shafaf/audit-remote.json")


class Unreachable(Exception):
    """The site could not be read (network, HTTP error, not JSON)."""


@dataclass(frozen=True, slots=True)
class Seen:
    seq: int
    hash: str
    at: str


def verify_remote(*, url: str, pinned: str | None, key: str | None,
                  state: Path | None) -> int:
    base = url.strip().rstrip("/")
    parts = urllib.parse.urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        stderr(f"shafaf audit verify: --remote {url!r} is not an http(s) address.")
        return BAD_INPUT
    state_path = (state or DEFAULT_STATE).expanduser()
    try:
        seen = _load_state(state_path).get(base)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        stderr(f"shafaf audit verify: cannot read the state file {state_path}: {exc}.")
        return BAD_INPUT
    try:
        public = key.strip() if key else str(_get(base, "/api/audit/key")["public_key"])
        signatures.load_public(public)
    except signatures.BadKey as exc:
        stderr(f"shafaf audit verify: the public key is not valid: {exc}.")
        return BAD_INPUT
    except Unreachable as exc:
        stderr(f"shafaf audit verify: cannot read {base}: {exc}.")
        return BAD_INPUT
    try:
        return _check(base, public=public, pinned=pinned, seen=seen, state_path=state_path)
    except Unreachable as exc:
        stderr(f"shafaf audit verify: cannot read {base}: {exc}.")
        return BAD_INPUT


def _check(base: str, *, public: str, pinned: str | None, seen: Seen | None,
           state_path: Path) -> int:
    signed = list(_checkpoints(base))
    checked = checkpoints.check(signed, keys={signatures.key_id(public): public},
                                valid=signatures.valid)
    if checked.fault is not None:
        stderr(f"Signed checkpoint #{checked.fault.number} of {base} is NOT VALID: "
               f"{FAULTS[checked.fault.problem.value]}.")
        return TAMPERED
    expected = dict(checked.signed)
    if seen is not None and seen.seq > 0:
        if expected.get(seen.seq, seen.hash) != seen.hash:
            return _not_extending(base, seen)
        expected[seen.seq] = seen.hash
    status = ledger.verify(_events(base), pinned=pinned, signed=expected)
    broken = status.broken
    if broken is not None:
        if seen is not None and broken.kind in (ledger.Break.SHORTER, ledger.Break.CHECKPOINT) \
                and (broken.seq == seen.seq or seen.seq > status.events):
            return _not_extending(base, seen)
        stderr(f"The audit chain of {base} is BROKEN at event {broken.seq}: "
               f"{BREAKS[broken.kind.value]}.")
        stderr(f"The last good hash is {status.head}.")
        return TAMPERED
    try:
        _save_state(state_path, base, Seen(seq=status.events, hash=status.head,
                                           at=datetime.now(UTC).isoformat(timespec="seconds")))
    except (OSError, ValueError) as exc:
        stderr(f"shafaf audit verify: cannot keep the head seen in {state_path}: {exc}.")
        return BAD_INPUT
    latest = checked.latest
    where = f" up to checkpoint #{latest.number} (event {latest.seq}, signed {latest.at})" \
        if latest else " (no signed checkpoint yet)"
    print(f"The audit chain of {base} is intact{where}: {status.events} events, "
          f"head {status.head}")
    if seen is not None:
        print(f"It extends the chain seen on {seen.at} (event {seen.seq}, {seen.hash}).")
    return OK


def _not_extending(base: str, seen: Seen) -> int:
    stderr(f"The audit chain of {base} does NOT extend the one seen on {seen.at}: event "
           f"{seen.seq} with hash {seen.hash} is no longer in it (events were removed or "
           f"the chain was rewritten).")
    return TAMPERED


def _events(base: str) -> Iterator[dict[str, Any]]:
    after = 0
    while True:
        page = _get(base, f"/api/audit/feed?after={after}&limit={PAGE}")
        events = page.get("events")
        if not isinstance(events, list):
            raise Unreachable("the feed has no list of events")
        for event in events:
            yield _well_formed(event)
        following = page.get("next_after")
        if following is None:
            return
        if not isinstance(following, int) or following <= after:
            raise Unreachable("the feed's pages do not move forward")
        after = following


def _well_formed(event: object) -> dict[str, Any]:
    """A feed entry with every field its format hashes, and its hash: anything else is
    a feed this command cannot read (never a traceback)."""
    if not isinstance(event, dict):
        raise Unreachable("an entry of the feed is not an object")
    fields = ledger.FORMAT_2_FIELDS if event.get("v") == ledger.CURRENT_FORMAT \
        else ledger.HASHED_FIELDS
    missing = [name for name in (*fields, "hash") if name not in event]
    if missing:
        raise Unreachable(f"an entry of the feed lacks {', '.join(missing)}")
    if not isinstance(event["seq"], int) or not isinstance(event["hash"], str):
        raise Unreachable("an entry of the feed has a malformed seq or hash")
    return event


def _checkpoints(base: str) -> Iterator[checkpoints.Checkpoint]:
    after = 0
    while True:
        page = _get(base, f"/api/audit/checkpoints?after={after}&limit={PAGE}")
        rows = page.get("checkpoints")
        if not isinstance(rows, list):
            raise Unreachable("no list of checkpoints")
        for row in rows:
            try:
                yield checkpoints.Checkpoint(
                    number=int(row["number"]), seq=int(row["seq"]), hash=str(row["hash"]),
                    at=str(row["at"]), key_id=str(row["key_id"]),
                    signature=str(row["signature"]))
            except (KeyError, TypeError, ValueError) as exc:
                raise Unreachable("a checkpoint lacks a field") from exc
        following = page.get("next_after")
        if following is None:
            return
        if not isinstance(following, int) or following <= after:
            raise Unreachable("the checkpoints' pages do not move forward")
        after = following


def _get(base: str, path: str) -> dict[str, Any]:
    request = urllib.request.Request(base + path, headers={  # noqa: S310  # http(s) only
        "Accept": "application/json", "User-Agent": "shafaf-audit-verify"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            body = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise Unreachable(f"{path} answered HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise Unreachable(str(getattr(exc, "reason", exc))) from exc
    if len(body) > MAX_RESPONSE_BYTES:
        raise Unreachable(f"{path} answered more than {MAX_RESPONSE_BYTES} bytes")
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise Unreachable(f"{path} did not answer JSON") from exc
    if not isinstance(document, dict):
        raise Unreachable(f"{path} did not answer a JSON object")
    return document


def _load_state(path: Path) -> dict[str, Seen]:
    if not path.exists():
        return {}
    document = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    return {site: Seen(seq=int(entry["seq"]), hash=str(entry["hash"]), at=str(entry["at"]))
            for site, entry in document.items()}


def _save_state(path: Path, site: str, seen: Seen) -> None:
    document = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if not isinstance(document, dict):
        document = {}
    document[site] = {"seq": seen.seq, "hash": seen.hash, "at": seen.at}
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(path.name + ".tmp")
    draft.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(draft, path)
