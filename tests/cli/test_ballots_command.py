"""``shafaf ballots``: the PDF of a governorate's ballot, or a clear refusal and a
non-zero status with nothing written."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.utils import translation
from pypdf import PdfReader

from shafaf.elections import actions
from shafaf.entities.models import Entity
from shafaf.entities.synthetic import create_entities


def specimen_words() -> list[str]:
    """The specimen mark as the Arabic ballot prints it."""
    with translation.override("ar"):
        return translation.gettext("Specimen: not for voting").split()


def page_text(path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in reader.pages))


@pytest.fixture
def election(db):
    actions.load_governorates(actor=None)
    election = actions.create_council_election_2023(actor=None)
    create_entities(election, lists={"IQ-KI": 6}, candidates_per_list=10, numbered=True)
    return election


def test_writes_the_ballot_as_pdf(election, shafaf, tmp_path):
    out = tmp_path / "kirkuk.pdf"
    run = shafaf("ballots", "--election", "gc-2023", "--governorate", "iq-ki", "--out", out)
    assert run.status == 0, run.err
    assert run.out == f"{out}: ballot of IQ-KI, 6 lists, 60 candidates, 1 page (A3)\n"
    text = page_text(out)
    assert text.count("كيان تجريبي") == 6
    assert not all(word in text for word in specimen_words())  # a print file


def test_marks_a_specimen_on_request(election, shafaf, tmp_path):
    out = tmp_path / "kirkuk.pdf"
    run = shafaf("ballots", "--election", "gc-2023", "--governorate", "IQ-KI", "--out", out,
                 "--specimen")
    assert run.status == 0, run.err
    assert all(word in page_text(out) for word in specimen_words())


@pytest.mark.parametrize(("argv", "message"), [
    (["--election", "gc-1999", "--governorate", "IQ-KI"],
     "shafaf ballots: no election 'gc-1999' (elections: gc-2023).\n"),
    (["--election", "gc-2023", "--governorate", "IQ-XX"],
     "shafaf ballots: This election has no contest in the governorate IQ-XX.\n"),
    (["--election", "gc-2023", "--governorate", "IQ-BG"],
     "shafaf ballots: No certified list stands on this ballot in IQ-BG.\n"),
    (["--election", "gc-2023", "--governorate", "IQ-KI", "--component", "martians"],
     "shafaf ballots: There is no component martians.\n"),
])
def test_unknown_places_exit_2_and_write_nothing(election, shafaf, tmp_path, argv, message):
    out = tmp_path / "ballot.pdf"
    run = shafaf("ballots", *argv, "--out", out)
    assert run.status == 2
    assert run.err == message
    assert not out.exists()


def test_undrawn_numbers_exit_3_and_write_nothing(election, shafaf, tmp_path):
    Entity.objects.filter(ballot_number__in=[2, 5]).update(ballot_number=None)
    out = tmp_path / "ballot.pdf"
    run = shafaf("ballots", "--election", "gc-2023", "--governorate", "IQ-KI", "--out", out)
    assert run.status == 3
    assert run.err.splitlines() == [
        "shafaf ballots: 2 list(s) on this ballot have no ballot number yet: the lottery of "
        "ballot numbers has not been drawn and published. Nothing was written.",
        "  no ballot number: كيان تجريبي 2",
        "  no ballot number: كيان تجريبي 5",
    ]
    assert not out.exists()


def test_publish_draws_every_printable_specimen_once(election, shafaf, settings, tmp_path):
    settings.SHAFAF_PUBLICATION_DIR = tmp_path / "published"
    run = shafaf("publish", "ballots", "--election", "gc-2023")
    assert run.status == 0, run.err
    assert run.out.endswith("1 of 1 ballots published.\n")
    [pdf] = (tmp_path / "published" / "ballots" / "gc-2023" / "IQ-KI").glob("*.pdf")
    assert page_text(pdf).count("كيان تجريبي") == 6
    assert all(word in page_text(pdf) for word in specimen_words())
    assert f"IQ-KI: {pdf} sha256 " in run.out
    modified = pdf.stat().st_mtime_ns
    again = shafaf("publish", "ballots", "--election", "gc-2023")
    assert again.status == 0, again.err
    assert pdf.stat().st_mtime_ns == modified  # unchanged, so not drawn again


def test_publishing_ballots_is_signed_in_a_checkpoint_of_the_audit_chain(election, shafaf,
                                                                         settings, tmp_path):
    from shafaf.audit.models import AuditCheckpoint
    from shafaf.audit.selectors import head

    settings.SHAFAF_PUBLICATION_DIR = tmp_path / "published"
    assert not AuditCheckpoint.objects.exists()
    assert shafaf("publish", "ballots", "--election", "gc-2023").status == 0
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.seq, checkpoint.hash) == (head().seq, head().hash)


def test_publish_names_an_unknown_election(election, shafaf):
    run = shafaf("publish", "ballots", "--election", "gc-1999")
    assert run.status == 2
    assert run.err == "shafaf publish: no election 'gc-1999'.\n"


def test_a_logo_the_ballot_cannot_show_is_named_before_printing(election, shafaf, settings,
                                                               tmp_path):
    """A logo stored before logos were decoded in full at registration (here a PNG
    signature followed by a web page): the ballot is made without it, each command
    says so on standard error, and the exit status stays 0."""
    settings.SHAFAF_PUBLICATION_DIR = tmp_path / "published"
    Entity.objects.filter(ballot_number=3).update(
        logo=b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>")
    warning = ("warning: The logo of كيان تجريبي 3 (synthetic-003) cannot be printed and is "
               "left off its ballots: The logo cannot be read to its end")
    out = tmp_path / "kirkuk.pdf"
    run = shafaf("ballots", "--election", "gc-2023", "--governorate", "IQ-KI", "--out", out)
    assert run.status == 0
    assert run.err.startswith(f"shafaf ballots: {warning}")
    assert not PdfReader(io.BytesIO(out.read_bytes())).pages[0].images
    publish = shafaf("publish", "ballots", "--election", "gc-2023")
    assert publish.status == 0
    assert publish.err.startswith(f"shafaf publish: {warning}")
    assert publish.out.endswith("1 of 1 ballots published.\n")


def test_no_warning_without_a_broken_logo(election, shafaf, tmp_path):
    run = shafaf("ballots", "--election", "gc-2023", "--governorate", "IQ-KI",
                 "--out", tmp_path / "kirkuk.pdf")
    assert (run.status, run.err) == (0, "")
