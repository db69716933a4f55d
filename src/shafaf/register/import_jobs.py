"""The register's imports as background jobs (docs/register.md, "Import"): the staff
page stores the upload under the data directory and queues a job; the worker runs
the import with a progress bar, then deletes the file.

A job's parameters hold the election, what the file is, the file's name as uploaded
and a random token naming the stored upload: never a path, never personal data.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext

from shafaf.jobs.kinds import Outcome, Progress, register

KIND = "register.import"
VOTERS, CENTRES, LINKS = "voters", "registration_centres", "registration_links"
WHAT = (VOTERS, CENTRES, LINKS)
_TOKEN = re.compile(r"[0-9a-f]{32}")
# The registration centres and links files are small (some 10,000 rows at most):
# they are read whole by their import.
SMALL_FILE_BYTES = 20 * 1024 * 1024


class UploadTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


def uploads() -> Path:
    folder = Path(settings.DATA_DIR) / "uploads" / "register"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store(chunks: Any, limit: int) -> str:
    """Write an upload's chunks to a new file; its token. Beyond ``limit`` bytes the
    file is deleted and :class:`UploadTooLarge` raised."""
    token = secrets.token_hex(16)
    path = uploads() / token
    size = 0
    try:
        with path.open("xb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise UploadTooLarge(limit)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return token


def _path(token: str) -> Path:
    if not _TOKEN.fullmatch(token):
        raise ValueError("not an upload token")
    return uploads() / token


def _read_small(content: IO[bytes]) -> bytes:
    return content.read(SMALL_FILE_BYTES + 1)[:SMALL_FILE_BYTES]


def work(params: dict[str, Any], user_id: int | None, progress: Progress) -> Outcome:
    from django.contrib.auth import get_user_model

    from shafaf.elections import registration_centres
    from shafaf.elections.models import Election
    from shafaf.register.actions import import_voters

    actor = get_user_model().objects.get(pk=user_id) if user_id is not None else None
    path = _path(str(params["upload"]))
    name = str(params["name"])
    try:
        with path.open("rb") as content:
            if params["what"] == VOTERS:
                election = Election.objects.get(pk=params["election"])
                summary = import_voters(actor=actor, election=election, name=name,
                                        content=content, progress=progress)
                line = summary.text()
            elif params["what"] == CENTRES:
                centres = registration_centres.import_registration_centres(
                    actor=actor, name=name, content=_read_small(content))
                line = centres.text(gettext("registration centres"))
            else:
                election = Election.objects.get(pk=params["election"])
                links = registration_centres.link_registration_centres(
                    actor=actor, election=election, name=name, content=_read_small(content))
                line = links.text(gettext("polling centres linked"))
    finally:
        path.unlink(missing_ok=True)
    return Outcome([line], link=reverse("register:import"))


def ready() -> None:
    register(KIND, work)
