"""Entity logos (docs/decisions/0019-logos-and-names.md): decoded in full when they
are registered and stored as a PNG Shafaf wrote; hostile files refused with a
message beside the logo field; a stored logo a ballot cannot show is named to the
Commission before printing, and the ballot is made without it."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from shafaf.access.roles import Role
from shafaf.audit.models import AuditEvent
from shafaf.entities import ballot_paper, ballots, logos
from shafaf.entities.models import Entity
from tests.web.test_ballots import add_list


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The ``users`` fixture hashes a password per role; Argon2 would take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png_by_hand(width: int, height: int, *, depth: int = 8, colour: int = 2,
                extra: bytes = b"") -> bytes:
    """A PNG written with zlib, not Pillow: blank rows of the given size, streamed
    into the compressor so that even 20,000 × 20,000 pixels make a small file."""
    channels = {0: 1, 2: 3}[colour]
    row = b"\x00" + b"\x00" * -(-width * channels * depth // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0))
            + extra + chunk(b"IDAT", data) + chunk(b"IEND", b""))


def picture(width: int, height: int, *, format: str = "PNG", **options: object) -> bytes:
    image = Image.new("RGB", (width, height), (0x1f, 0x6f, 0x3a))
    image.putpixel((0, 0), (255, 255, 255))
    out = io.BytesIO()
    image.save(out, format=format, **options)
    return out.getvalue()


HUGE = png_by_hand(20_000, 20_000, depth=1, colour=0)  # 400 million pixels
HOSTILE = {
    "html after a PNG signature": (b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>",
                                   "logo_unreadable"),
    "20,000 x 20,000 pixels": (HUGE, "logo_too_many_pixels"),
    "truncated": (picture(300, 200)[:400], "logo_unreadable"),
    "truncated JPEG": (picture(300, 200, format="JPEG")[:700], "logo_unreadable"),
    # A one-pixel picture carrying a colour profile that inflates to 64 MB.
    "a chunk that inflates to 64 MB": (png_by_hand(1, 1, extra=chunk(
        b"iCCP", b"icc\x00\x00" + zlib.compress(b"\x00" * 64 * 1024 * 1024, 9))),
        "logo_unreadable"),
    "not a picture": (b"Name,Votes\nA,1\n", "logo_not_an_image"),
    "SVG": (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
            "logo_not_an_image"),
    "GIF": (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "logo_not_an_image"),
    "over 512 KB": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 512 * 1024, "logo_too_large"),
}


def test_the_hostile_files_are_small():
    assert len(HUGE) < 300_000
    assert len(HOSTILE["a chunk that inflates to 64 MB"][0]) < 100_000


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_file_is_refused_with_its_reason(name):
    content, code = HOSTILE[name]
    with pytest.raises(logos.LogoRefused) as refused:
        logos.clean(content)
    assert refused.value.code == code
    assert logos.printable(content).problem == code


def test_a_truncated_logo_is_refused_once_the_ballot_printer_is_loaded():
    """WeasyPrint tells Pillow to load truncated pictures, for the whole process."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    with pytest.raises(logos.LogoRefused):
        logos.clean(HOSTILE["truncated"][0])
    assert logos.printable(picture(300, 201)[:400]).problem == "logo_unreadable"
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # the printer's setting is given back


def test_the_refused_pixels_are_counted_from_the_header():
    with pytest.raises(logos.LogoRefused) as refused:
        logos.clean(HUGE)
    assert dict(refused.value.params) == {"width": 20_000, "height": 20_000, "limit": 16}


def test_a_png_is_stored_as_a_png_shafaf_wrote_without_its_metadata():
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "<script>alert(1)</script>")
    original = picture(40, 30, pnginfo=text) + b"<html>trailing</html>"
    stored = logos.clean(original)
    image = Image.open(io.BytesIO(stored))
    assert (image.format, image.size) == ("PNG", (40, 30))
    assert b"script" not in stored
    assert b"html" not in stored
    assert image.getpixel((0, 0)) == (255, 255, 255)
    assert image.getpixel((1, 1)) == (0x1f, 0x6f, 0x3a)


def test_a_jpeg_is_stored_upright_as_png_without_its_exif():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotated 90° clockwise when shown
    exif[0x010F] = "Camera maker"
    stored = logos.clean(picture(60, 20, format="JPEG", exif=exif.tobytes()))
    image = Image.open(io.BytesIO(stored))
    assert (image.format, image.size) == ("PNG", (20, 60))
    assert b"Camera maker" not in stored


def encoded(image: Image.Image, format: str = "PNG") -> bytes:
    out = io.BytesIO()
    image.save(out, format=format)
    return out.getvalue()


@pytest.mark.parametrize(("original", "mode", "pixel"), [
    (Image.new("I;16", (5, 4), 30000), "L", 117),  # 16-bit grey: its top 8 bits, not white
    (Image.new("LA", (5, 4), (100, 128)), "RGBA", (100, 100, 100, 128)),  # the alpha kept
    (Image.new("L", (5, 4), 77), "L", 77),
    (Image.new("1", (5, 4), 1), "1", 255),
])
def test_each_kind_of_png_keeps_its_look(original, mode, pixel):
    stored = Image.open(io.BytesIO(logos.clean(encoded(original))))
    assert (stored.mode, stored.getpixel((0, 0))) == (mode, pixel)


def test_a_cmyk_jpeg_is_stored_in_rgb():
    stored = Image.open(io.BytesIO(logos.clean(encoded(
        Image.new("CMYK", (16, 16), (0, 0, 0, 0)), "JPEG"))))
    assert stored.mode == "RGB"
    assert all(channel > 245 for channel in stored.getpixel((8, 8)))  # white stays white


def test_a_large_picture_is_made_ballot_sized():
    stored = logos.clean(picture(3000, 1500))
    assert Image.open(io.BytesIO(stored)).size == (logos.MAX_SIDE, logos.MAX_SIDE // 2)
    assert len(stored) <= logos.MAX_STORED_BYTES


def test_noise_is_made_smaller_until_it_fits():
    noise = Image.frombytes("RGB", (700, 700), bytes(
        (i * 7919 + (i >> 3) * 104729) % 251 for i in range(700 * 700 * 3)))
    out = io.BytesIO()
    noise.save(out, format="JPEG", quality=95)
    assert len(out.getvalue()) <= logos.MAX_LOGO_BYTES
    stored = logos.clean(out.getvalue())
    assert len(stored) <= logos.MAX_STORED_BYTES
    Image.open(io.BytesIO(stored)).load()


# Through the registration page.

def register(client, election, content: bytes, *, code: str = "taqaddum"):
    return client.post("/staff/entities/", {
        "election": election.pk, "kind": "party", "code": code, "name_ar": "حزب تقدم",
        "logo": SimpleUploadedFile("logo.png", content, content_type="image/png")},
        HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize(("name", "message"), [
    ("html after a PNG signature", "The logo cannot be read to its end"),
    ("20,000 x 20,000 pixels", "The logo is 20000 × 20000 pixels: at most 16 million"),
    ("truncated", "The logo cannot be read to its end"),
    ("SVG", "The logo must be a PNG or JPEG image."),
    ("over 512 KB", "The logo is larger than 512 KB."),
])
def test_the_registration_page_refuses_a_hostile_logo_beside_the_field(
        client, election, users, name, message):
    client.force_login(users[Role.ADMIN])
    response = register(client, election, HOSTILE[name][0])
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    # Said beside the logo field, not only at the top of the form.
    field = page[page.index('name="logo"') - 600:page.index('name="logo"') + 600]
    assert message.split(":")[0] in field
    assert not Entity.objects.exists()


def test_the_registration_page_stores_the_logo_re_encoded(client, election, users):
    client.force_login(users[Role.ADMIN])
    response = register(client, election, picture(3000, 1500, format="JPEG"))
    assert response.status_code == 302
    entity = Entity.objects.get(code="taqaddum")
    assert entity.logo_type == "image/png"
    assert Image.open(io.BytesIO(bytes(entity.logo))).size == (1000, 500)
    event = AuditEvent.objects.get(action="entities.register")
    assert event.data["logo_sha256"] == hashlib.sha256(bytes(entity.logo)).hexdigest()


# Logos stored before the check: said before printing, left off the ballot.

@pytest.fixture
def broken_logos(election):
    """Nineveh: three lists whose logos were stored before logos were checked (one
    too large, one truncated, one an HTML page), and one with a good logo."""
    add_list(election, "IQ-NI", 1, "حزب الشعار السليم", 3, logo=logos.clean(picture(60, 30)))
    add_list(election, "IQ-NI", 2, "حزب الصورة الكبيرة", 3, logo=HUGE)
    add_list(election, "IQ-NI", 3, "حزب الملف المقطوع", 3, logo=picture(300, 200)[:400])
    add_list(election, "IQ-NI", 4, "حزب الصفحة", 3, logo=HOSTILE["html after a PNG signature"][0])
    return election


def test_the_ballot_is_made_without_the_broken_logos(broken_logos):
    ballot = ballots.build(election=broken_logos, governorate="IQ-NI")
    assert [entry.logo is not None for entry in ballot.lists] == [True, False, False, False]
    reader = PdfReader(io.BytesIO(ballot_paper.render(ballot, specimen=False).pdf))
    # One picture on the paper, the good logo's: no black box where the others were.
    images = [image for page in reader.pages for image in page.images]
    assert [(image.image.width, image.image.height) for image in images] == [(60, 30)]


def test_the_staff_ballots_page_names_each_logo_before_printing(client, broken_logos, users):
    client.force_login(users[Role.ADMIN])
    page = client.get("/ballots/gc-2023/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count("cannot be printed and is left off its ballots") == 3
    for name in ("حزب الصورة الكبيرة", "حزب الملف المقطوع", "حزب الصفحة"):
        assert name in page
    assert "حزب الشعار السليم" not in page
    assert "The logo is 20000 × 20000 pixels" in page


def test_the_public_ballots_page_shows_no_warning(client, broken_logos):
    page = client.get("/ballots/gc-2023/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "cannot be printed" not in page


def test_the_entity_page_warns_of_its_own_logo(client, broken_logos, users):
    client.force_login(users[Role.ADMIN])
    broken = Entity.objects.get(name_ar="حزب الملف المقطوع")
    good = Entity.objects.get(name_ar="حزب الشعار السليم")
    page = client.get(f"/staff/entities/{broken.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "cannot be printed and is left off its ballots" in page.content.decode()
    page = client.get(f"/staff/entities/{good.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "cannot be printed" not in page.content.decode()


def test_the_warning_is_worded_in_arabic(broken_logos):
    [first, *_] = ballots.election_unprintable_logos(broken_logos)
    with translation.override("ar"):
        assert "cannot be printed" not in str(first)


def test_the_commission_replaces_a_broken_logo_and_the_warning_goes(client, broken_logos, users):
    client.force_login(users[Role.ADMIN])
    broken = Entity.objects.get(name_ar="حزب الملف المقطوع")
    url = f"/staff/entities/{broken.pk}/"
    refused = client.post(url, {"step": "logo", "logo": SimpleUploadedFile(
        "logo.png", HUGE)}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "The logo is 20000 × 20000 pixels" in refused.content.decode()
    assert "cannot be printed and is left off" in refused.content.decode()
    response = client.post(url, {"step": "logo", "logo": SimpleUploadedFile(
        "logo.jpg", picture(80, 40, format="JPEG"))}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "cannot be printed" not in page
    broken.refresh_from_db()
    assert Image.open(io.BytesIO(bytes(broken.logo))).size == (80, 40)
    event = AuditEvent.objects.filter(action="entities.logo").get()
    assert event.data["to"] == hashlib.sha256(bytes(broken.logo)).hexdigest()
    assert event.data["from"] == hashlib.sha256(picture(300, 200)[:400]).hexdigest()
    ballot = ballots.build(election=broken_logos, governorate="IQ-NI")
    assert ballot.lists[2].logo is not None


def test_the_commission_removes_a_logo(client, broken_logos, users):
    client.force_login(users[Role.ADMIN])
    broken = Entity.objects.get(name_ar="حزب الصفحة")
    assert client.post(f"/staff/entities/{broken.pk}/",
                       {"step": "remove_logo"}).status_code == 302
    broken.refresh_from_db()
    assert broken.logo is None
    assert len(ballots.election_unprintable_logos(broken_logos)) == 2


def test_an_agent_cannot_replace_its_entitys_logo(client, broken_logos, users):
    client.force_login(users[Role.ENTITY_AGENT])
    broken = Entity.objects.get(name_ar="حزب الصفحة")
    response = client.post(f"/staff/entities/{broken.pk}/", {"step": "remove_logo"})
    assert response.status_code in (403, 404)
    broken.refresh_from_db()
    assert broken.logo is not None


GOOD = {"PNG": picture(37, 23), "JPEG": picture(37, 23, format="JPEG")}


@examples(max_examples=300, deadline=None)
@given(base=st.sampled_from(sorted(GOOD)), cut=st.integers(min_value=8, max_value=2000),
       changes=st.lists(st.tuples(st.integers(min_value=8, max_value=2000),
                                  st.integers(min_value=0, max_value=255)), max_size=6))
def test_a_damaged_picture_is_refused_or_stored_whole_never_an_error(base, cut, changes):
    """Bytes changed and files cut anywhere after the signature: either a refusal with
    its reason, or a PNG that decodes, never another exception (a page's 500)."""
    content = bytearray(GOOD[base][:cut])
    for where, value in changes:
        if where < len(content):
            content[where] = value
    try:
        stored = logos.clean(bytes(content))
    except logos.LogoRefused as refused:
        code = refused.code
    else:
        code = None
        Image.open(io.BytesIO(stored)).load()
    assert code in {None, "logo_unreadable", "logo_too_many_pixels"}
