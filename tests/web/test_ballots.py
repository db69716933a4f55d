"""Ballot papers (docs/ballots.md): what a voter, an agent or an observer sees in the
PDF of a governorate's ballot, read back from the PDF itself with pypdf."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import struct
import unicodedata
import zlib
from datetime import date

import pytest
from django.utils import translation
from pypdf import PdfReader

from shafaf.core.certification import CandidateState, ListState
from shafaf.core.refusal import Refused
from shafaf.elections.models import Election, Governorate
from shafaf.entities import ballot_paper, ballots
from shafaf.entities.models import (
    Candidate,
    Entity,
    EntityKind,
    EntityStatus,
    ListKind,
    NominationList,
)
from shafaf.entities.synthetic import create_entities
from shafaf.refusals.wording import explain

# Created in this order, numbered by the lottery in another: the ballot follows the numbers.
KIRKUK_LISTS = [  # (ballot number, Arabic name, candidates)
    (17, "تحالف النخيل الأخضر", 12),
    (4, "حزب الفرات الوطني", 5),
    (9, "تجمع دجلة للبناء", 8),
]
INDIVIDUAL = (23, "المرشح المستقل سلام", 1)
CHRISTIAN = (31, "قائمة بابل المسيحية", 2)


@pytest.fixture(autouse=True)
def published(settings, tmp_path):
    """Specimens are published once per content; each test has its own shelf."""
    settings.SHAFAF_PUBLICATION_DIR = tmp_path / "published"
    return tmp_path / "published"


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """Counts the specimens drawn (each entry: the governorate drawn)."""
    drawn: list[str] = []
    real = ballots.render

    def counting(ballot, *, specimen):
        drawn.append(ballot.governorate_code)
        return real(ballot, specimen=specimen)

    monkeypatch.setattr(ballots, "render", counting)
    return drawn


def png(width: int, height: int) -> bytes:
    """A tiny opaque red PNG, made by hand."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"\xcc\x22\x22" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def add_list(election: Election, governorate: str, number: int | None, name: str,
             candidates: int, *, kind: str = ListKind.GENERAL, component: str = "",
             status: str = ListState.CERTIFIED, logo: bytes | None = None) -> NominationList:
    code = f"e{Entity.objects.count() + 1}"
    entity = Entity.objects.create(
        election=election, code=code, name_ar=name, name_en=f"Entity {code}",
        kind=EntityKind.INDIVIDUAL if kind == ListKind.INDIVIDUAL else EntityKind.PARTY,
        status=EntityStatus.APPROVED, ballot_number=number, logo=logo,
        logo_type="image/png" if logo else "")
    place = Governorate.objects.get(code=governorate)
    nomination = NominationList.objects.create(
        entity=entity, contest=election.contests.get(governorate=place), kind=kind,
        component=component, status=status)
    Candidate.objects.bulk_create(
        Candidate(nomination=nomination, position=p, sequence=p, name_ar=f"مرشح {p}",
                  mother_name_ar="أم", sex="F" if p % 4 == 0 else "M",
                  date_of_birth=date(1980, 1, 1), education="bachelor", governorate=place,
                  component=component, status=CandidateState.APPROVED)
        for p in range(1, candidates + 1))
    return nomination


@pytest.fixture
def kirkuk(election) -> Election:
    """Kirkuk: three general lists, one individual candidate and one Christian
    candidacy, all numbered; and lists that must not be on Kirkuk's ballot."""
    for number, name, candidates in KIRKUK_LISTS:
        add_list(election, "IQ-KI", number, name, candidates)
    add_list(election, "IQ-KI", *INDIVIDUAL, kind=ListKind.INDIVIDUAL)
    add_list(election, "IQ-KI", *CHRISTIAN, kind=ListKind.COMPONENT, component="christian")
    add_list(election, "IQ-KI", 40, "قائمة مرفوضة", 3, status=ListState.REJECTED)
    add_list(election, "IQ-BA", 41, "قائمة البصرة فقط", 3)
    return election


def text_of(pdf: bytes) -> list[str]:
    """Each page's text, NFKC-normalised (Arabic presentation forms become letters)."""
    assert pdf.startswith(b"%PDF-")
    return [unicodedata.normalize("NFKC", page.extract_text())
            for page in PdfReader(io.BytesIO(pdf)).pages]


def where(text: str, name: str) -> int:
    """Where a list's name is printed. A name that wraps inside its box may come out
    of the PDF with its lines in either order, so each word is looked for (the test's
    names share no word) and the first one found marks the place."""
    for word in name.split():
        assert text.count(word) == 1, f"{word!r} of {name!r} is not on the ballot once"
    return min(text.index(word) for word in name.split())


def has_words(text: str, phrase: str) -> bool:
    """Every word of the phrase is printed (the PDF may give mixed Arabic and digits in
    visual order)."""
    return all(word in text for word in phrase.split())


def numbered_next_to_name(text: str, number: int, name: str) -> bool:
    """The list's number is printed against its name (before or after it, depending
    on how the reader orders right-to-left text and wrapped lines)."""
    n = str(number)
    words = "|".join(re.escape(word) for word in name.split())
    return bool(re.search(rf"(?<!\d){n}\s*(?:{words})|(?:{words})\s*{n}(?!\d)", text))


def render(election: Election, governorate: str = "IQ-KI",
           component: str | None = None) -> tuple[ballots.Ballot, list[str], int]:
    ballot = ballots.build(election=election, governorate=governorate, component=component)
    rendered = ballot_paper.render(ballot, specimen=True)
    pages = text_of(rendered.pdf)
    assert rendered.pages == len(pages)
    return ballot, pages, rendered.pages


def test_the_general_ballot_lists_every_standing_list_in_ballot_number_order(kirkuk):
    ballot, pages, _ = render(kirkuk)
    text = "\n".join(pages)
    standing = sorted([*KIRKUK_LISTS, INDIVIDUAL])
    positions = [where(text, name) for _, name, _ in standing]
    assert positions == sorted(positions), "lists out of ballot-number order"
    for number, name, _ in standing:
        assert numbered_next_to_name(text, number, name), (number, name)
    assert [entry.number for entry in ballot.lists] == [4, 9, 17, 23]
    # Not on Kirkuk's general ballot: the rejected list, Basra's, the Christian candidacy.
    for absent in ("مرفوضة", "البصرة", "بابل"):
        assert absent not in text
    assert has_words(text, kirkuk.name_ar)
    assert "كركوك" in text


def test_each_list_shows_its_approved_candidates_sequence_numbers(kirkuk):
    excluded = NominationList.objects.get(entity__name_ar="حزب الفرات الوطني")
    Candidate.objects.filter(nomination=excluded, sequence=5).update(
        status=CandidateState.EXCLUDED)
    ballot, pages, _ = render(kirkuk)
    grids = {entry.name: entry.candidates for entry in ballot.lists}
    assert grids["تحالف النخيل الأخضر"] == tuple(range(1, 13))
    assert grids["حزب الفرات الوطني"] == (1, 2, 3, 4)
    numbers = {int(token) for token in re.findall(r"(?<!\d)\d+(?!\d)", "\n".join(pages))}
    assert set(range(1, 13)) <= numbers
    # The individual candidate is marked by the list's own box: no candidate grid.
    assert grids[INDIVIDUAL[1]] == (1,)
    assert [entry.individual for entry in ballot.lists] == [False, False, False, True]


def test_component_candidacies_are_on_a_separate_ballot(kirkuk):
    _, pages, _ = render(kirkuk, component="christian")
    text = "\n".join(pages)
    assert numbered_next_to_name(text, CHRISTIAN[0], CHRISTIAN[1])
    for _, name, _ in KIRKUK_LISTS:
        assert not any(word in text for word in name.split())
    _, general, _ = render(kirkuk)
    assert "بابل" not in "\n".join(general)
    # Spellings of the component as in `shafaf allocate`.
    assert ballots.build(election=kirkuk, governorate="iq-ki",
                         component="Christian").lists[0].name == CHRISTIAN[1]


def test_a_ballot_is_refused_until_every_list_has_its_number(kirkuk):
    add_list(kirkuk, "IQ-KI", None, "قائمة بلا رقم", 4)
    with pytest.raises(ballots.BallotNotReady) as refused:
        ballots.build(election=kirkuk, governorate="IQ-KI")
    assert refused.value.unnumbered == ["قائمة بلا رقم"]
    with translation.override("en"):
        assert "no ballot number yet" in str(refused.value)
    # The Christian ballot does not wait for a general list's number.
    assert ballots.build(election=kirkuk, governorate="IQ-KI", component="christian")


def test_a_candidate_without_a_sequence_number_holds_the_ballot_back(kirkuk):
    Candidate.objects.filter(nomination__entity__ballot_number=9, sequence=3).update(
        sequence=None)
    with pytest.raises(ballots.BallotNotReady) as refused:
        ballots.build(election=kirkuk, governorate="IQ-KI")
    assert refused.value.unsequenced == 1


@pytest.mark.parametrize(("governorate", "component", "reason"), [
    ("IQ-XX", None, "governorate"),
    ("IQ-AR", None, "governorate"),      # Erbil: no council election in 2023
    ("IQ-BG", None, "empty"),            # nobody stands in Baghdad in this fixture
    ("IQ-KI", "yazidi", "empty"),
    ("IQ-KI", "martians", "component"),
])
def test_there_is_no_ballot_for_an_unknown_place_or_an_empty_one(kirkuk, governorate,
                                                                   component, reason):
    with pytest.raises(ballots.NoSuchBallot) as missing:
        ballots.build(election=kirkuk, governorate=governorate, component=component)
    assert missing.value.reason == reason


def test_a_logo_is_embedded_as_an_image(kirkuk):
    add_list(kirkuk, "IQ-NI", 5, "حزب الشعار", 3, logo=png(6, 4))
    add_list(kirkuk, "IQ-NI", 6, "حزب بلا شعار", 3)
    ballot = ballots.build(election=kirkuk, governorate="IQ-NI")
    assert ballot.lists[0].logo.startswith("data:image/png;base64,")
    assert ballot.lists[1].logo is None
    reader = PdfReader(io.BytesIO(ballot_paper.render(ballot, specimen=False).pdf))
    images = [image for page in reader.pages for image in page.images]
    assert [(image.image.width, image.image.height) for image in images] == [(6, 4)]


def test_a_logo_that_is_not_an_image_is_left_out_not_fetched(kirkuk):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>'
    nomination = add_list(kirkuk, "IQ-NI", 5, "حزب الشعار", 3)
    Entity.objects.filter(pk=nomination.entity_id).update(logo=svg, logo_type="")
    add_list(kirkuk, "IQ-NI", 6, "حزب الملف", 3, logo=b"not an image at all")
    ballot = ballots.build(election=kirkuk, governorate="IQ-NI")
    # An SVG cannot be decoded to check it, and registration never took one: stored
    # anyway, it is left off like any logo that is not a whole PNG or JPEG.
    assert [entry.logo for entry in ballot.lists] == [None, None]
    assert [(logo.name, logo.problem) for logo in ballots.election_unprintable_logos(kirkuk)
            if logo.name in ("حزب الشعار", "حزب الملف")] == [
        ("حزب الشعار", "logo_not_an_image"), ("حزب الملف", "logo_not_an_image")]
    pdf = ballot_paper.render(ballot, specimen=False).pdf
    assert has_words("\n".join(text_of(pdf)), "حزب الشعار")


def test_every_page_names_the_election_and_the_governorate(election):
    create_entities(election, lists={"IQ-BA": 40}, candidates_per_list=25, numbered=True)
    ballot, pages, count = render(election, "IQ-BA")
    assert count >= 2
    assert len(ballot.lists) == 40
    for page in pages:
        assert has_words(page, election.name_ar)
        assert "البصرة" in page
    # Every list is printed once, none split or lost at a page break.
    per_page = [page.count("كيان تجريبي") for page in pages]
    assert sum(per_page) == 40
    assert all(per_page)


# --- the public pages -----------------------------------------------------------------

def test_the_public_ballot_is_a_pdf_specimen(client, kirkuk):
    response = client.get("/ballots/gc-2023/IQ-KI.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="ballot-gc-2023-IQ-KI.pdf"'
    text = "\n".join(text_of(response.content))
    assert all(has_words(text, name) for _, name, _ in KIRKUK_LISTS)
    with translation.override("ar"):  # the ballot is Arabic whatever the reader's language
        assert has_words(text, translation.gettext("Specimen: not for voting"))
    # Unchanged, it is not sent again.
    again = client.get("/ballots/gc-2023/IQ-KI.pdf", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    # A change of the lists is a new ballot.
    add_list(kirkuk, "IQ-KI", 2, "حزب جديد", 3)
    changed = client.get("/ballots/gc-2023/IQ-KI.pdf", HTTP_IF_NONE_MATCH=response["ETag"])
    assert changed.status_code == 200
    assert has_words("\n".join(text_of(changed.content)), "حزب جديد")


def test_a_specimen_is_drawn_once_however_many_readers_ask(client, kirkuk, renders):
    first = client.get("/ballots/gc-2023/IQ-KI.pdf")
    assert first.status_code == 200
    pdf = first.content
    for _ in range(5):
        again = client.get("/ballots/gc-2023/IQ-KI.pdf")
        assert again.status_code == 200
        assert again.content == pdf
    assert renders == ["IQ-KI"]


def test_a_specimen_is_served_with_its_digest_and_caching_headers(client, kirkuk,
                                                                   published):
    response = client.get("/ballots/gc-2023/IQ-KI.pdf")
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(pdf))
    assert response["Content-Disposition"] == 'inline; filename="ballot-gc-2023-IQ-KI.pdf"'
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    digest = hashlib.sha256(pdf).digest()
    assert response["Repr-Digest"] == f"sha-256=:{base64.b64encode(digest).decode()}:"
    # The stored file and its checksum, in sha256sum's format, beside it.
    key = response["ETag"].strip('"')
    slot = published / "ballots" / "gc-2023" / "IQ-KI"
    assert (slot / f"{key}.pdf").read_bytes() == pdf
    assert (slot / f"{key}.pdf.sha256").read_text() == f"{digest.hex()}  {key}.pdf\n"


def test_a_specimen_is_drawn_again_when_its_lists_change(client, kirkuk, renders, published):
    before = client.get("/ballots/gc-2023/IQ-KI.pdf")
    client.get("/ballots/gc-2023/IQ-KI.pdf")
    entity = Entity.objects.get(election=kirkuk, name_ar=KIRKUK_LISTS[0][1])
    entity.name_ar = "تحالف النخيل الأزرق"
    entity.save()
    after = client.get("/ballots/gc-2023/IQ-KI.pdf")
    client.get("/ballots/gc-2023/IQ-KI.pdf")
    assert renders == ["IQ-KI", "IQ-KI"]
    assert after["ETag"] != before["ETag"]
    assert has_words("\n".join(text_of(after.content)), "تحالف النخيل الأزرق")
    # The old specimen is gone from the shelf: one PDF and its checksum remain.
    slot = published / "ballots" / "gc-2023" / "IQ-KI"
    assert sorted(p.name for p in slot.iterdir() if not p.name.startswith(".")) == [
        f"{after['ETag'].strip(chr(34))}.pdf", f"{after['ETag'].strip(chr(34))}.pdf.sha256"]


def test_publishing_draws_every_ballot_that_can_be_printed(kirkuk, renders, published):
    done = ballots.publish_all(kirkuk)
    drawn = {(code, component) for code, component, result in done
             if not isinstance(result, str)}
    assert drawn == {("IQ-KI", None), ("IQ-KI", "christian"), ("IQ-BA", None)}
    assert sorted(renders) == ["IQ-BA", "IQ-KI", "IQ-KI"]
    # Publishing again draws nothing: the files are there.
    ballots.publish_all(kirkuk)
    assert len(renders) == 3


def test_the_public_component_ballot(client, kirkuk):
    response = client.get("/ballots/gc-2023/IQ-KI/christian.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert has_words("\n".join(text_of(response.content)), CHRISTIAN[1])


@pytest.mark.parametrize("url", [
    "/ballots/gc-1999/", "/ballots/gc-1999/IQ-KI.pdf", "/ballots/gc-2023/IQ-XX.pdf",
    "/ballots/gc-2023/IQ-BG.pdf", "/ballots/gc-2023/IQ-KI/martians.pdf",
    "/ballots/gc-2023/IQ-KI/yazidi.pdf",
])
def test_unknown_elections_governorates_and_components_are_404(client, kirkuk, url):
    assert client.get(url).status_code == 404


def test_a_ballot_before_the_lottery_is_a_readable_409(client, kirkuk):
    add_list(kirkuk, "IQ-KI", None, "قائمة بلا رقم", 4)
    response = client.get("/ballots/gc-2023/IQ-KI.pdf")
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "قائمة بلا رقم" in html
    assert "/ballots/gc-2023/" in html


def test_the_index_links_every_ballot_that_can_be_printed(client, kirkuk):
    add_list(kirkuk, "IQ-NI", None, "قائمة بلا رقم", 4)
    response = client.get("/ballots/gc-2023/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/ballots/gc-2023/IQ-KI.pdf"' in html
    assert 'href="/ballots/gc-2023/IQ-KI/christian.pdf"' in html
    assert 'href="/ballots/gc-2023/IQ-BA.pdf"' in html
    assert "/ballots/gc-2023/IQ-NI.pdf" not in html  # Nineveh waits for its numbers
    assert "/ballots/gc-2023/IQ-BG.pdf" not in html  # nobody stands in Baghdad
    rows = {row.governorate.code: row for row in response.context["governorates"]}
    assert len(rows) == 15
    assert rows["IQ-NI"].general.ready is False
    assert rows["IQ-KI"].general.lists == 4
    assert [link.component for link in rows["IQ-KI"].components] == ["christian"]


def test_the_pdf_takes_the_same_few_queries_however_many_lists(
        client, election, django_assert_max_num_queries):
    for number in (1, 2):
        add_list(election, "IQ-BA", number, f"قائمة البصرة {number}", 3)
    with django_assert_max_num_queries(4) as few:
        assert client.get("/ballots/gc-2023/IQ-BA.pdf").status_code == 200
    for number in range(3, 15):
        add_list(election, "IQ-KI", number, f"قائمة كركوك {number}", 9)
    with django_assert_max_num_queries(4) as many:
        assert client.get("/ballots/gc-2023/IQ-KI.pdf").status_code == 200
    assert len(many) == len(few)


def test_a_ballot_that_cannot_be_given_is_a_refusal_worded_in_the_readers_language():
    missing = ballots.NoSuchBallot(governorate="IQ-XX", component=None, reason="governorate")
    assert isinstance(missing, Refused)
    assert (missing.code, missing.params["governorate"]) == ("no_such_ballot", "IQ-XX")
    with translation.override("en"):
        assert explain(missing).message == (
            "This election has no contest in the governorate IQ-XX.")


def test_a_name_stored_with_an_override_is_printed_as_its_letters(kirkuk):
    """Stored before names refused bidirectional controls: the ballot prints the name
    as it reads, not with its number turned round by the override ("7102")."""
    add_list(kirkuk, "IQ-NI", 5, "تحالف \u202e2017\u202c الوطني", 3)
    ballot = ballots.build(election=kirkuk, governorate="IQ-NI")
    assert ballot.lists[0].name == "تحالف 2017 الوطني"
    text = "\n".join(text_of(ballot_paper.render(ballot, specimen=False).pdf))
    assert "2017" in text
    assert "7102" not in text
