"""``shafaf register stations`` and ``shafaf register lists``: a summary and status 0,
progress on stderr; refusals and bad input exit 2 and write nothing."""

from __future__ import annotations

import io

from django.utils import timezone
from pypdf import PdfReader

from shafaf.audit.models import AuditEvent
from shafaf.elections.models import PollingStation
from shafaf.register.models import Finalisation, Voter
from tests.register.test_stations import election  # noqa: F401 (a fixture)


def test_stations_are_filled_with_a_summary_and_progress(election, shafaf):  # noqa: F811
    run = shafaf("register", "stations", "--election", "gc-2023")
    assert run.status == 0, run.err
    assert "8 voters in 2 centres fill 5 stations (at most 2 voters each)" in run.out
    assert "stations: 8 of 8 voters placed" in run.err
    assert not Voter.objects.filter(station__isnull=True).exists()
    again = shafaf("register", "stations", "--election", "gc-2023")
    assert "Nothing changed." in again.out


def test_one_governorate_and_unknown_names(election, shafaf):  # noqa: F811
    run = shafaf("register", "stations", "--election", "gc-2023", "--governorate", "IQ-BA")
    assert run.status == 0, run.err
    assert set(PollingStation.objects.values_list("code", flat=True)) == {"BA0001-01",
                                                                         "BA0001-02"}
    assert shafaf("register", "stations", "--election", "gc-2023", "--governorate",
                  "IQ-XX").status == 2
    nope = shafaf("register", "stations", "--election", "nope")
    assert (nope.status, "No election 'nope'" in nope.err) == (2, True)
    assert shafaf("register", "stations", "--election", "gc-2023", "--as", "ghost").status == 2


def test_a_final_register_is_refused_with_its_reason(election, shafaf):  # noqa: F811
    Finalisation.objects.create(election=election, at=timezone.now(), voters=8, sha256="0" * 64)
    run = shafaf("register", "stations", "--election", "gc-2023")
    assert run.status == 2
    assert "finalised" in run.err
    assert not PollingStation.objects.exists()


def test_a_centres_lists_are_printed_to_a_file_and_audited(election, shafaf,  # noqa: F811
                                                           tmp_path):
    shafaf("register", "stations", "--election", "gc-2023")
    out = tmp_path / "KI0001.pdf"
    run = shafaf("register", "lists", "--election", "gc-2023", "--centre", "KI0001",
                 "--kind", "polling-day", "--out", out)
    assert run.status == 0, run.err
    assert "5 voters in 3 station(s) of centre KI0001, 3 page(s)" in run.out
    assert len(PdfReader(io.BytesIO(out.read_bytes())).pages) == 3
    event = AuditEvent.objects.get(action="register.print_voter_lists")
    assert (event.actor_username, event.data["kind"]) == ("system", "polling-day")
    missing = shafaf("register", "lists", "--election", "gc-2023", "--centre", "KI0001",
                     "--station", "9", "--out", tmp_path / "none.pdf")
    assert missing.status == 2
    assert not (tmp_path / "none.pdf").exists()
    assert not (tmp_path / "none.pdf.partial").exists()
    unknown = shafaf("register", "lists", "--election", "gc-2023", "--centre", "ZZ",
                     "--out", tmp_path / "z.pdf")
    assert unknown.status == 2
