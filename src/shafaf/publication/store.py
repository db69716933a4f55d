"""The shelf of published files.

Every artefact has a **slot** (what it is: ``ballots/gc-2023/IQ-BG``) and a **key**
(a digest of what it shows, and of the version that drew it). The file of a slot is
``<root>/<slot>/<key><suffix>``, with ``<key><suffix>.sha256`` beside it in
``sha256sum`` format, so that anyone holding a copy can check it. When what a slot
shows changes, its key changes: the new file is rendered and the old one removed.

Rendering happens at most once per slot and key, whatever the number of processes
asking at the same moment: the first takes the slot's lock (an ``flock`` on
``<root>/<slot>/.lock``), renders and writes the file under a temporary name, then
renames it into place (atomic on POSIX); the others wait for the lock and find the
file. Every later request is a file read. Several servers share the work if ``root``
is on shared storage; otherwise each renders once.

The root is ``settings.SHAFAF_PUBLICATION_DIR``, by default ``published/`` in the
data directory (``SHAFAF_DATA_DIR``).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

SLOT = re.compile(r"[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*")
KEY = re.compile(r"[A-Za-z0-9_-]+")
SUFFIX = re.compile(r"(\.[a-z0-9]+)*")
LOCK = ".lock"


@dataclass(frozen=True, kw_only=True)
class Published:
    """A published file: where it is, its SHA-256 (hex) and size in bytes."""

    path: Path
    key: str
    sha256: str
    size: int


def root() -> Path:
    configured = getattr(settings, "SHAFAF_PUBLICATION_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "published"


def _directory(slot: str, base: Path | None) -> Path:
    if not SLOT.fullmatch(slot):
        raise ValueError(f"not a publication slot: {slot!r}")
    return (base or root()) / slot


def _names(key: str, suffix: str) -> tuple[str, str]:
    if not KEY.fullmatch(key) or not SUFFIX.fullmatch(suffix):
        raise ValueError(f"not a publication key: {key!r}{suffix!r}")
    return key + suffix, key + suffix + ".sha256"


def find(slot: str, key: str, *, suffix: str, base: Path | None = None) -> Published | None:
    """The published file of ``slot`` showing ``key``, if there is one."""
    directory = _directory(slot, base)
    name, digest_name = _names(key, suffix)
    try:
        digest = (directory / digest_name).read_text(encoding="ascii").split()[0]
        size = (directory / name).stat().st_size
    except (FileNotFoundError, IndexError):
        return None
    return Published(path=directory / name, key=key, sha256=digest, size=size)


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write(path: Path, data: bytes) -> None:
    """Write under a temporary name in the same directory, then rename into place:
    a reader sees the whole file or none."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def publish(slot: str, key: str, render: Callable[[], bytes], *, suffix: str,
            base: Path | None = None) -> Published:
    """The published file of ``slot`` showing ``key``: found if it is there, else
    rendered with ``render()`` (once, under the slot's lock), written with its SHA-256,
    and every earlier file of the slot removed."""
    found = find(slot, key, suffix=suffix, base=base)
    if found is not None:
        return found
    directory = _directory(slot, base)
    name, digest_name = _names(key, suffix)
    with _locked(directory):
        found = find(slot, key, suffix=suffix, base=base)
        if found is not None:  # published by another process while this one waited
            return found
        data = render()
        digest = hashlib.sha256(data).hexdigest()
        _write(directory / name, data)
        _write(directory / digest_name, f"{digest}  {name}\n".encode("ascii"))
        for stale in directory.iterdir():
            if (stale.is_file() and stale.name not in (name, digest_name)
                    and not stale.name.startswith(".")):
                stale.unlink(missing_ok=True)
    return Published(path=directory / name, key=key, sha256=digest, size=len(data))
