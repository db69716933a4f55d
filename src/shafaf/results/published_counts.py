"""Each station's result as the public sees it: read from a publication's own files
(``forms.csv`` and ``votes.csv``), never from the live tabulation. Observers' copies of
the posted forms are compared with this (docs/observation-posted-forms.md).

A large governorate's ``votes.csv`` is a hundred megabytes or more. It is read from the
database once per publication onto the shelf of published files (keyed by the
manifest's SHA-256, so a new publication gives new files), and every comparison after
that maps the file into memory and bisects it: a page of the posted forms reads a few
pages of the file, not the whole of it."""

from __future__ import annotations

import mmap
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from shafaf.core.posted_forms import StationCount, published_station_counts
from shafaf.elections.models import Contest
from shafaf.publication import store
from shafaf.results.models import Publication
from shafaf.results.publication import published_file


def contest_of(*, election_id: int, governorate_id: int) -> Contest | None:
    return Contest.objects.filter(election_id=election_id, governorate_id=governorate_id).first()


def _content(publication: Publication, name: str) -> bytes:
    row = published_file(publication, name)
    return bytes(row.content) if row is not None else b""


def _shelved(publication: Publication, name: str) -> Path:
    """The publication's file ``name`` on the shelf: copied there on first use."""
    slot = f"counts/contest-{publication.contest_id}/{name.removesuffix('.csv')}"
    return store.publish(slot, publication.manifest_sha256,
                         lambda: _content(publication, name), suffix=".csv").path


@contextmanager
def _mapped(path: Path) -> Iterator[bytes | mmap.mmap]:
    with path.open("rb") as stream:
        if path.stat().st_size == 0:  # an empty file cannot be mapped
            yield b""
            return
        with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            yield mapped


def station_counts(publication: Publication, stations: Collection[str]
                   ) -> dict[str, StationCount]:
    """The published numbers and list totals of those of ``stations`` (codes) the
    publication counts; a station it does not count is absent."""
    try:
        forms = _shelved(publication, "forms.csv").read_bytes()
        with _mapped(_shelved(publication, "votes.csv")) as votes:
            return published_station_counts(forms_csv=forms, votes_csv=votes,
                                            stations=stations)
    except FileNotFoundError:
        # A newer publication of the contest replaced the shelved files between finding
        # and opening them: this (older) one is read from the database.
        return published_station_counts(forms_csv=_content(publication, "forms.csv"),
                                        votes_csv=_content(publication, "votes.csv"),
                                        stations=stations)
