"""``shafaf results verify URL-or-directory``: re-derive a publication's seats.

A governorate's publication is a directory (or the same files at an http(s)
address) with a ``manifest.json`` naming every file and its SHA-256
(docs/results.md, "Open data layout"); an election's ``manifest.json`` lists its
governorates' manifests. For each governorate this checks every file's SHA-256,
tabulates ``forms.csv`` and ``votes.csv`` with every station included (each
published station is adopted), by the law, seats, disqualifications and lot seed
of the manifest, and compares each list's votes and seats and the elected
candidates with ``allocation.json``.

Exit status: 0 every file and every seat agrees; 1 differences, each named; 2 bad
input (a manifest or a file that cannot be read as one) or a publication that
cannot be reached.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

EXIT_DIFFERENT = 1
EXIT_BAD_INPUT = 2
MANIFEST_LIMIT = 4 * 1024 * 1024
# A governorate's largest file, votes.csv of Baghdad, is about 200 MB.
FILE_LIMIT = 4 * 1024 * 1024 * 1024
CHUNK = 1024 * 1024
# An allocation report of the largest council with every quotient: well under 1 MB.
ALLOCATION_LIMIT = 64 * 1024 * 1024
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
SHA256 = re.compile(r"[0-9a-f]{64}")
# The files a re-derivation reads; lists.csv, forms.csv, votes.csv and
# allocation.json are needed, the others only when the manifest names them.
NEEDED = ("lists.csv", "forms.csv", "votes.csv", "allocation.json")


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class BadInput(Exception):
    """Exit status 2: the publication cannot be read or reached."""


@dataclass
class Outcome:
    differences: list[str] = field(default_factory=list)
    agreed: list[str] = field(default_factory=list)


# -- Where the files are -------------------------------------------------------------


class Place:
    """A publication's files, by path relative to its manifest's directory."""

    def describe(self, relative: str) -> str:
        raise NotImplementedError

    @contextmanager
    def open(self, relative: str, limit: int) -> Iterator[Readable | None]:
        """The file's bytes, or None when it does not exist."""
        raise NotImplementedError
        yield None

    def below(self, relative_directory: str) -> Place:
        raise NotImplementedError


def _relative(path: str) -> str:
    """A relative path of safe names (no ``..``, no absolute path, no scheme)."""
    parts = path.split("/")
    if not path or len(path) > 300 or not all(NAME.fullmatch(p) for p in parts):
        raise BadInput(f"{path[:80]!r} is not a file name of the publication")
    return path


class Directory(Place):
    def __init__(self, root: Path) -> None:
        self.root = root

    def describe(self, relative: str) -> str:
        return str(self.root / relative)

    @contextmanager
    def open(self, relative: str, limit: int) -> Iterator[Readable | None]:
        path = self.root / _relative(relative)
        try:
            stream = path.open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            yield None
            return
        except OSError as exc:
            raise BadInput(f"cannot read {path}: {exc.strerror}") from None
        with stream:
            yield stream

    def below(self, relative_directory: str) -> Place:
        return Directory(self.root / _relative(relative_directory))


class Web(Place):
    def __init__(self, base: str, timeout: float) -> None:
        self.base = base if base.endswith("/") else base + "/"
        self.timeout = timeout

    def describe(self, relative: str) -> str:
        return self.base + relative

    @contextmanager
    def open(self, relative: str, limit: int) -> Iterator[Readable | None]:
        import urllib.error

        url = self.base + _relative(relative)
        try:
            response = _opener().open(url, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code in (404, 410):
                yield None
                return
            raise BadInput(f"{url}: the server answered {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise BadInput(f"{url} cannot be reached: {reason}") from None
        with response:
            length = response.headers.get("Content-Length")
            if length and length.isdecimal() and int(length) > limit:
                raise BadInput(f"{url} is larger than {limit:,} bytes")
            yield _Bounded(response, limit, url)

    def below(self, relative_directory: str) -> Place:
        return Web(self.base + _relative(relative_directory), self.timeout)


class _Bounded:
    """A download read no further than its limit, and no longer than its timeout
    per read (the socket's)."""

    def __init__(self, stream: Any, limit: int, url: str) -> None:
        self.stream, self.left, self.url = stream, limit, url

    def read(self, size: int = -1) -> bytes:
        want = CHUNK if size < 0 else size
        try:
            data: bytes = self.stream.read(min(want, self.left + 1))
        except (OSError, ValueError) as exc:
            raise BadInput(f"{self.url}: the download failed: {exc}") from None
        self.left -= len(data)
        if self.left < 0:
            raise BadInput(f"{self.url} is larger than the limit")
        return data


def _opener() -> Any:
    import urllib.request

    class SameSchemes(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any,
                             newurl: str) -> Any:
            if not newurl.lower().startswith(("http://", "https://")):
                raise BadInput(f"{req.full_url} redirects to {newurl[:80]!r}: only http and "
                               "https are followed")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return urllib.request.build_opener(SameSchemes())


def _place(source: str, timeout: float) -> tuple[Place, str]:
    """Where the publication is, and its manifest's name there."""
    lowered = source.lower()
    if "://" in source:
        if not lowered.startswith(("http://", "https://")):
            raise BadInput(f"{source[:80]!r}: only http and https addresses, or a directory")
        base, _, last = source.rpartition("/")
        if last.endswith(".json"):
            return Web(base, timeout), _relative(last)
        return Web(source, timeout), "manifest.json"
    path = Path(source)
    if path.is_dir():
        return Directory(path), "manifest.json"
    if path.is_file():
        return Directory(path.parent), _relative(path.name)
    raise BadInput(f"{source}: no such directory or file")


# -- Reading a publication -----------------------------------------------------------


def _json(place: Place, name: str) -> Any:
    data = _json_bytes(place, name)
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadInput(f"{place.describe(name)} is not JSON") from None


def _governorates(index: dict[str, Any]) -> list[tuple[str, str | None]]:
    """The index's governorates' manifests (relative paths) and their SHA-256 when
    given. Accepted: a list of paths, of governorate directories, or of objects with
    ``manifest`` (or ``path``/``url``) and ``sha256``; or an object code → one of those."""
    entries = index.get("governorates")
    if isinstance(entries, dict):
        entries = [value for _, value in sorted(entries.items())]
    if not isinstance(entries, list) or not entries or len(entries) > 1000:
        raise BadInput("the election's manifest lists no governorate")
    found: list[tuple[str, str | None]] = []
    for entry in entries:
        digest = None
        if isinstance(entry, dict):
            where = next((entry[k] for k in ("manifest", "path", "url", "href")
                          if isinstance(entry.get(k), str)), None)
            if where is None and isinstance(entry.get("governorate"), str):
                where = entry["governorate"]
            digest = entry.get("sha256") if isinstance(entry.get("sha256"), str) else None
        else:
            where = entry
        if not isinstance(where, str):
            raise BadInput("the election's manifest has an entry without a manifest")
        where = where.removeprefix("./")
        if not where.endswith(".json"):
            where = where.rstrip("/") + "/manifest.json"
        found.append((_relative(where), digest))
    return found


@dataclass(frozen=True, slots=True)
class Manifest:
    governorate: str
    law: str
    seats: int
    disqualified: tuple[str, ...]
    lot_seed: str | None
    files: dict[str, str]


def _manifest(data: Any, where: str) -> Manifest:
    from shafaf.core import laws

    if not isinstance(data, dict):
        raise BadInput(f"{where}: not a manifest (a JSON object)")
    files = data.get("files")
    governorate, law, seats = data.get("governorate"), data.get("law"), data.get("seats")
    disqualified = data.get("disqualified") or []
    lot_seed = data.get("lot_seed")
    if not isinstance(files, dict) or not all(
            isinstance(k, str) and NAME.fullmatch(k) and isinstance(v, str)
            and SHA256.fullmatch(v.lower()) for k, v in files.items()):
        raise BadInput(f"{where}: 'files' must map file names to SHA-256 digests")
    if not isinstance(governorate, str) or not governorate:
        raise BadInput(f"{where}: no 'governorate'")
    if not isinstance(law, str) or law not in laws.PROFILES:
        raise BadInput(f"{where}: unknown law {str(law)[:40]!r}")
    if not isinstance(seats, int) or isinstance(seats, bool) or seats < 0:
        raise BadInput(f"{where}: 'seats' must be a whole number")
    if not isinstance(disqualified, list) or not all(isinstance(i, str) for i in disqualified):
        raise BadInput(f"{where}: 'disqualified' must be a list of candidate ids")
    if lot_seed is not None and not isinstance(lot_seed, str):
        raise BadInput(f"{where}: 'lot_seed' must be text or null")
    return Manifest(governorate=governorate, law=law, seats=seats,
                    disqualified=tuple(disqualified), lot_seed=lot_seed,
                    files={k: v.lower() for k, v in files.items()})


def _copy_checked(place: Place, name: str, into: Path) -> tuple[Path | None, str | None]:
    """The file copied into ``into`` (None when it is missing) and its SHA-256."""
    with place.open(name, FILE_LIMIT) as stream:
        if stream is None:
            return None, None
        digest = hashlib.sha256()
        target = into / name
        with target.open("wb") as out:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        return target, digest.hexdigest()


def verify_governorate(place: Place, manifest_name: str, outcome: Outcome,
                       digest: str | None = None) -> None:
    raw = _json_bytes(place, manifest_name)
    where = place.describe(manifest_name)
    if digest is not None and hashlib.sha256(raw).hexdigest() != digest.lower():
        outcome.differences.append(f"{where}: its SHA-256 differs from the election's "
                                   "manifest")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadInput(f"{where} is not JSON") from None
    manifest = _manifest(data, where)
    directory = manifest_name.rpartition("/")[0]
    files_place = place.below(directory) if directory else place
    label = manifest.governorate
    before = len(outcome.differences)
    with tempfile.TemporaryDirectory(prefix="shafaf-verify-") as temporary:
        copies: dict[str, Path] = {}
        for name, expected in sorted(manifest.files.items()):
            path, found = _copy_checked(files_place, name, Path(temporary))
            if path is None:
                outcome.differences.append(f"{label}: {name} is in the manifest but missing")
                continue
            copies[name] = path
            if found != expected:
                outcome.differences.append(f"{label}: {name}: its SHA-256 is {found}, the "
                                           f"manifest says {expected}")
        missing = [n for n in NEEDED if n not in manifest.files]
        if missing:
            outcome.differences.append(f"{label}: the manifest does not list "
                                       f"{', '.join(missing)}: the seats cannot be re-derived")
        if missing or any(n not in copies for n in NEEDED):
            return
        _rederive(manifest, copies, label, outcome)
    if len(outcome.differences) == before:
        outcome.agreed.append(label)


def _json_bytes(place: Place, name: str) -> bytes:
    with place.open(name, MANIFEST_LIMIT) as stream:
        if stream is None:
            raise BadInput(f"{place.describe(name)}: not found")
        data = stream.read(MANIFEST_LIMIT + 1)
    if len(data) > MANIFEST_LIMIT:
        raise BadInput(f"{place.describe(name)} is larger than {MANIFEST_LIMIT:,} bytes")
    return data


def _rederive(manifest: Manifest, copies: dict[str, Path], label: str,
              outcome: Outcome) -> None:
    from shafaf.cli.allocate import tie_message
    from shafaf.cli.results_files import Files, Tabulated, UsageError, tabulate_files
    from shafaf.core import laws
    from shafaf.tabular import ImportRejected

    if copies["allocation.json"].stat().st_size > ALLOCATION_LIMIT:
        outcome.differences.append(f"{label}: allocation.json is larger than "
                                   f"{ALLOCATION_LIMIT:,} bytes")
        return
    try:
        published = json.loads(copies["allocation.json"].read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        outcome.differences.append(f"{label}: allocation.json is not JSON")
        return
    files = Files(lists=copies["lists.csv"], candidates=copies.get("candidates.csv"),
                  components=copies.get("components.csv"), forms=copies["forms.csv"],
                  votes=copies["votes.csv"])
    law = laws.get(manifest.law)
    try:
        result = tabulate_files(
            files, law=law,
            governorate=manifest.governorate if manifest.governorate in law.districts
            else None,
            seats=manifest.seats, include_quarantined=True,
            disqualify=list(manifest.disqualified), lot_seed=manifest.lot_seed)
    except ImportRejected as exc:
        lines = [f"  {p}" for p in exc.problems[:20]]
        more = exc.total - len(lines)
        raise BadInput(f"{label}: the published files have {exc.total} problem(s):\n"
                       + "\n".join(lines) + (f"\n  and {more} more" if more > 0 else "")
                       ) from None
    except UsageError as exc:
        raise BadInput(f"{label}: {exc}") from None
    if not isinstance(result, Tabulated):
        outcome.differences.append(f"{label}: the seats cannot be re-derived: "
                                   f"{tie_message(result.tie).splitlines()[0]}")
        return
    compare(published, result.report, label, outcome)


def _lists(report: Any) -> dict[str, tuple[Any, Any]]:
    rows = report.get("lists") if isinstance(report, dict) else None
    if not isinstance(rows, list):
        return {}
    return {str(r.get("list_id")): (r.get("votes"), r.get("seats"))
            for r in rows if isinstance(r, dict)}


def _elected(report: Any) -> set[str]:
    rows = report.get("elected") if isinstance(report, dict) else None
    if not isinstance(rows, list):
        return set()
    return {str(r.get("candidate_id")) for r in rows if isinstance(r, dict)}


def compare(published: Any, derived: dict[str, Any], label: str, outcome: Outcome) -> None:
    """Every difference between the published allocation and the re-derived one."""
    said, found = _lists(published), _lists(derived)
    if not said:
        outcome.differences.append(f"{label}: allocation.json lists no list")
    for list_id in sorted(said.keys() | found.keys()):
        if list_id not in found:
            outcome.differences.append(f"{label}: list {list_id} is published but not in "
                                       "lists.csv")
            continue
        if list_id not in said:
            outcome.differences.append(f"{label}: list {list_id} is missing from "
                                       "allocation.json")
            continue
        (p_votes, p_seats), (d_votes, d_seats) = said[list_id], found[list_id]
        if p_seats != d_seats:
            outcome.differences.append(f"{label}: list {list_id}: published {p_seats} "
                                       f"seat(s), re-derived {d_seats}")
        if p_votes != d_votes:
            outcome.differences.append(f"{label}: list {list_id}: published {p_votes} "
                                       f"votes, re-derived {d_votes}")
    said_elected, found_elected = _elected(published), _elected(derived)
    for candidate_id in sorted(said_elected - found_elected):
        outcome.differences.append(f"{label}: candidate {candidate_id} is published as "
                                   "elected but is not elected when re-derived")
    for candidate_id in sorted(found_elected - said_elected):
        outcome.differences.append(f"{label}: candidate {candidate_id} is elected when "
                                   "re-derived but not published as elected")


def verify(source: str, *, timeout: float) -> Outcome:
    place, name = _place(source, timeout)
    data = _json(place, name)
    outcome = Outcome()
    if isinstance(data, dict) and "files" in data:
        verify_governorate(place, name, outcome)
    elif isinstance(data, dict) and "governorates" in data:
        for relative, digest in _governorates(data):
            verify_governorate(place, relative, outcome, digest)
    else:
        raise BadInput(f"{place.describe(name)}: neither a governorate's manifest ('files') "
                       "nor an election's ('governorates')")
    return outcome


def run(args: argparse.Namespace) -> int:
    if not 0 < args.timeout <= 3600:
        print("shafaf results verify: --timeout must be between 0 and 3600 seconds",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        outcome = verify(args.source, timeout=args.timeout)
    except BadInput as exc:
        print(f"shafaf results verify: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:  # the temporary copies
        print(f"shafaf results verify: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for line in outcome.differences:
        print(line)
    if outcome.differences:
        print(f"{len(outcome.differences)} difference(s): the publication does not verify.",
              file=sys.stderr)
        return EXIT_DIFFERENT
    print(f"Verified: every file and every seat agree ({', '.join(outcome.agreed)}).")
    return 0

