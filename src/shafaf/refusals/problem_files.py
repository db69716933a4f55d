"""The complete list of a rejected file's problems, for the one who uploaded it.

A page lists the first thousand problems of a file (the collector's cap) and counts
the rest by reason; the whole list is written, as the rows are read, to a CSV file
under the data directory (``problems/<user id>/<random token>.csv``) and offered for
download. Only its uploader can fetch it (and the administrator, who manages users):
the token is unguessable, and it is looked for in the requesting user's own
directory, so anyone else gets a 404. The files are kept for :data:`KEEP` and swept
when the next one is written.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from django.views.decorators.http import require_GET

from shafaf.access.checks import can
from shafaf.access.roles import Capability
from shafaf.tabular import ProblemsCsv, recording

KEEP = 24 * 3600  # seconds: the working day of whoever fixes the file, and the next
_TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")


def _root() -> Path:
    return Path(settings.DATA_DIR) / "problems"


@dataclass
class Recorded:
    """The file a page offers, once the import is over; ``count`` problems in it."""

    token: str
    writer: ProblemsCsv | None = None

    @property
    def count(self) -> int:
        return self.writer.count if self.writer is not None else 0

    @property
    def url(self) -> str | None:
        return reverse("problem_file", args=[self.token]) if self.count else None


@contextmanager
def recorded(user_id: int | None) -> Iterator[Recorded]:
    """Write every problem the imports inside the block find to a file for the user;
    the file is removed if there was none."""
    if user_id is None:  # the pages that import are for signed-in users only
        raise PermissionDenied
    _sweep()
    directory = _root() / str(user_id)
    directory.mkdir(parents=True, exist_ok=True)
    result = Recorded(secrets.token_urlsafe(16))
    path = directory / f"{result.token}.csv"
    try:
        # utf-8-sig: Excel opens the Arabic right.
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            result.writer = ProblemsCsv(out)
            with recording(result.writer):
                yield result
    finally:
        if not result.count:
            path.unlink(missing_ok=True)


def _sweep() -> None:
    """Remove the files older than :data:`KEEP`."""
    cutoff = time.time() - KEEP
    for path in _root().glob("*/*.csv"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:  # another request swept it first
            pass


@require_GET
@login_required
def download(request: HttpRequest, token: str) -> FileResponse:
    """The problems file, to its uploader (or the administrator) only; anyone else,
    or after :data:`KEEP`, finds nothing."""
    if not _TOKEN.fullmatch(token):
        raise Http404
    path = _root() / str(request.user.pk) / f"{token}.csv"
    if not path.exists() and can(request.user, Capability.MANAGE_USERS):
        # The administrator, who helps users with their files, may open anyone's.
        path = next(_root().glob(f"*/{token}.csv"), path)
    try:
        if path.stat().st_mtime < time.time() - KEEP:
            raise Http404
        stream = path.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(stream, as_attachment=True, filename="problems.csv",
                            content_type="text/csv; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
