"""Each station's result as the public sees it: read from a publication's own files
(``forms.csv`` and ``votes.csv``), never from the live tabulation. Observers' copies of
the posted forms are compared with this (docs/observation-posted-forms.md)."""

from __future__ import annotations

from collections.abc import Collection

from shafaf.core.posted_forms import StationCount, published_station_counts
from shafaf.elections.models import Contest
from shafaf.results.models import Publication
from shafaf.results.publication import published_file


def contest_of(*, election_id: int, governorate_id: int) -> Contest | None:
    return Contest.objects.filter(election_id=election_id, governorate_id=governorate_id).first()


def _content(publication: Publication, name: str) -> bytes:
    row = published_file(publication, name)
    return bytes(row.content) if row is not None else b""


def station_counts(publication: Publication, stations: Collection[str]
                   ) -> dict[str, StationCount]:
    """The published numbers and list totals of those of ``stations`` (codes) the
    publication counts; a station it does not count is absent."""
    return published_station_counts(forms_csv=_content(publication, "forms.csv"),
                                    votes_csv=_content(publication, "votes.csv"),
                                    stations=stations)
