"""The forensics of published results, as public pages (docs/forensics.md, "The pages").

A governorate's figures are computed from its latest publication's own ``votes.csv``
and ``forms.csv``; the election's from every governorate's latest publication. They
are computed by the ``shafaf forensics report`` command itself, run in a child
process on the files as published: the page gives the command's numbers by
construction (one reader, one code path, no Django in it), and the memory the plots
take is returned when the child ends.

A publication never changes, so the figures are published once per content
(:mod:`shafaf.publication.store`): one JSON file per governorate or election holding
the summary and the three SVG plots, keyed by the publication's manifest SHA-256 (the
election's by all of them) and the Shafaf version. A new publication gives a new key,
hence new figures; every other request reads the stored file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext

import shafaf
from shafaf import __version__
from shafaf.elections.models import Contest, Election
from shafaf.jobs.actions import enqueue
from shafaf.jobs.kinds import Outcome, Progress
from shafaf.publication import store
from shafaf.results.models import Publication
from shafaf.results.publication import published_file

# The plots by their address on the pages, and their name in the command's summary.
PLOTS = {"last-digit": "last_digit", "turnout": "turnout", "fingerprint": "fingerprint"}
# Far above a national report (about 6 s on two cores): a child that hangs is stopped.
TIMEOUT_SECONDS = 600


class ForensicsFailed(Exception):
    """The command refused a publication's files (it never should: Shafaf wrote them)."""


@dataclass(frozen=True, slots=True)
class Figures:
    """A publication's (or an election's) forensics: the command's summary of all its
    stations (``all``), one summary per governorate for an election, the SVG plots of
    ``all`` by kind, and the key they were computed for (the plots' ETag)."""

    key: str
    all: dict[str, Any]
    governorates: list[dict[str, Any]]
    plots: dict[str, str]


def _content(publication: Publication, name: str) -> bytes:
    row = published_file(publication, name)
    if row is None:
        raise ForensicsFailed(f"the publication has no {name}")
    return bytes(row.content)


def _body(content: bytes) -> bytes:
    """A CSV's rows without its header line, ending with a newline."""
    rows = content.split(b"\n", 1)[1] if b"\n" in content else b""
    return rows if not rows or rows.endswith(b"\n") else rows + b"\n"


def _report(folder: Path, *, stations: bool) -> dict[str, Any]:
    """Run ``shafaf forensics report`` on the files in ``folder``: its summary, with
    each plot's SVG in place of its file name."""
    out = folder / "out"
    command = [sys.executable, "-m", "shafaf", "forensics", "report",
               "--votes", str(folder / "votes.csv"), "--forms", str(folder / "forms.csv"),
               "--out", str(out)]
    if stations:
        # The election's page shows its national plots only: each governorate's are
        # on that governorate's own page.
        command += ["--stations", str(folder / "stations.csv"), "--plots", "all"]
    # The child finds this very Shafaf, installed or not.
    source = str(Path(shafaf.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (source, os.environ.get("PYTHONPATH", "")) if p)}
    done = subprocess.run(command, capture_output=True, env=env, timeout=TIMEOUT_SECONDS,  # noqa: S603 (our own command, no shell, paths we made)
                          check=False)
    if done.returncode != 0:
        raise ForensicsFailed(done.stderr.decode(errors="replace")[-2000:])
    summary: dict[str, Any] = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    for group in (summary["all"], *summary["governorates"]):
        group["plots"] = {kind: (out / name).read_text(encoding="utf-8")
                          for kind, name in group["plots"].items()}
    return summary


def _figures(key: str, published: store.Published) -> Figures:
    data = json.loads(published.path.read_bytes())
    everyone = data["all"]
    return Figures(key=key, all=everyone, governorates=data["governorates"],
                   plots=everyone.pop("plots"))


def _publish(slot: str, key: str, compute: Callable[[Path], dict[str, Any]]) -> Figures:
    """The figures of ``slot`` for ``key``: stored, or computed by ``compute(folder)``
    (which writes the files and runs the command) and stored."""
    def bundle() -> bytes:
        with tempfile.TemporaryDirectory(prefix="shafaf-forensics-") as folder:
            summary = compute(Path(folder))
        plots = summary["all"]["plots"]
        # The plots by their address; an election keeps its national plots only.
        summary["all"]["plots"] = {slug: plots[name] for slug, name in PLOTS.items()
                                   if name in plots}
        for group in summary["governorates"]:
            group.pop("plots", None)
        return json.dumps(summary, ensure_ascii=False).encode()

    try:
        return _figures(key, store.publish(slot, key, bundle, suffix=".json"))
    except FileNotFoundError:
        # A newer publication replaced the file between finding and reading it.
        return _figures(key, store.publish(slot, key, bundle, suffix=".json"))


def _key(*parts: str) -> str:
    return hashlib.sha256(":".join((__version__, "forensics", *parts)).encode()).hexdigest()


def of_publication(publication: Publication) -> Figures:
    """The forensics of one governorate's publication, computed once."""
    def compute(folder: Path) -> dict[str, Any]:
        (folder / "votes.csv").write_bytes(_content(publication, "votes.csv"))
        (folder / "forms.csv").write_bytes(_content(publication, "forms.csv"))
        return _report(folder, stations=False)

    return _publish(f"forensics/contest-{publication.contest_id}",
                    _key(publication.manifest_sha256), compute)


def latest_publications(election: Election) -> list[tuple[Contest, Publication]]:
    """Each governorate's latest publication (as ``publication.latest_publication``
    finds it), by governorate code: two queries, whatever the number of governorates,
    since every request of the election's page and plots asks."""
    latest = (Publication.objects.filter(contest=OuterRef("pk"))
              .order_by("-published_at", "-pk").values("pk")[:1])
    contests = list(Contest.objects.filter(election=election).select_related("governorate")
                    .annotate(latest=Subquery(latest)).filter(latest__isnull=False)
                    .order_by("governorate__code"))
    found = Publication.objects.in_bulk([contest.latest for contest in contests])
    return [(contest, found[contest.latest]) for contest in contests]


def of_election(election: Election,
                publications: list[tuple[Contest, Publication]]) -> Figures:
    """The forensics of every published governorate together (``all``) and of each
    (``governorates``, as the command gives them from the same files)."""
    def compute(folder: Path) -> dict[str, Any]:
        with ((folder / "votes.csv").open("wb") as votes,
              (folder / "forms.csv").open("wb") as forms,
              (folder / "stations.csv").open("w", encoding="utf-8", newline="") as stations):
            votes.write(b"station_id,list_id,candidate_id,votes\n")
            names = csv.writer(stations, lineterminator="\n")
            names.writerow(("station_id", "governorate"))
            for number, (contest, publication) in enumerate(publications):
                form_rows = _content(publication, "forms.csv")
                if number == 0:
                    forms.write(form_rows.split(b"\n", 1)[0] + b"\n")
                forms.write(_body(form_rows))
                votes.write(_body(_content(publication, "votes.csv")))
                # A station's code is unique in its election; its governorate is the
                # publication that counts it.
                for row in csv.DictReader(io.StringIO(form_rows.decode())):
                    names.writerow((row["station_id"], contest.governorate.code))
        return _report(folder, stations=True)

    key = _key(*(f"{contest.governorate.code}={publication.manifest_sha256}"
                 for contest, publication in publications))
    return _publish(f"forensics/election-{election.pk}", key, compute)


# The first reader of a new publication would wait for the command (seconds at a large
# governorate, and every reader arriving meanwhile with them): publishing queues this
# job, so that the worker computes the figures first.
JOB_KIND = "results.forensics"


def queue_after_publication(publication: Publication) -> None:
    """Queue the figures' computation for when the publication is committed."""
    transaction.on_commit(lambda: enqueue(actor=None, kind=JOB_KIND,
                                          params={"publication": publication.pk}))


def run_job(params: dict[str, Any], user_id: int | None, progress: Progress) -> Outcome:
    """The job's work (``shafaf.jobs``): the governorate's figures, then the election's
    over its latest publications (which now include this one)."""
    publication = Publication.objects.select_related("contest__election").get(
        pk=params["publication"])
    progress(0, 2)
    of_publication(publication)
    progress(1, 2)
    election = publication.contest.election
    of_election(election, latest_publications(election))
    progress(2, 2)
    return Outcome(lines=[gettext("The forensics of the new publication are computed.")])
