"""An entity's logo: read in full at registration and stored re-encoded, checked
again before a ballot prints it (docs/decisions/0019-logos-and-names.md).

A logo's first bytes say little: a PNG signature may be followed by an HTML page,
a few hundred bytes may announce 20,000 × 20,000 pixels, and a truncated file
prints as a black box. So a logo is decoded whole with Pillow, under a limit on its
pixels checked before anything is decompressed, and what is stored is a PNG that
Shafaf wrote itself: no trailing bytes, no metadata (camera data, comments, colour
profiles), at most ``MAX_SIDE`` pixels on a side and ``MAX_STORED_BYTES`` long.

Logos stored before this check existed are checked with the same reading when a
ballot is made: a logo that does not pass is left off the ballot, and the pages and
``shafaf publish ballots`` say which entity's logo it is, before anything is printed.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image, ImageFile, ImageOps, JpegImagePlugin, PngImagePlugin

from shafaf.core.refusal import Refused

# The image types read from the bytes themselves, never from what an upload claims.
IMAGE_TYPES: dict[str, tuple[bytes, ...]] = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/svg+xml": (b"<svg", b"<?xml"),
}
# No SVG: it can carry scripts and links, and Pillow cannot decode it to check it.
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
READERS: dict[str, type[ImageFile.ImageFile]] = {
    "image/png": PngImagePlugin.PngImageFile, "image/jpeg": JpegImagePlugin.JpegImageFile}
MAX_LOGO_BYTES = 512 * 1024  # what an upload may be
# 4,000 × 4,000: a logo scanned at print resolution, decoded in at most 64 MB.
MAX_PIXELS = 16_000_000
# The ballot prints a logo at most 30 mm wide: 1,000 pixels is 850 dpi there.
MAX_SIDE = 1000
MAX_STORED_BYTES = 512 * 1024


class LogoRefused(Refused):
    """A logo that cannot be used: ``logo_too_large``, ``logo_not_an_image``,
    ``logo_too_many_pixels`` or ``logo_unreadable``, with its figures."""


def image_type(content: bytes) -> str | None:
    """The type a file's first bytes claim; a first sorting only, never a check."""
    head = content[:64].lstrip()
    return next((kind for kind, magics in IMAGE_TYPES.items()
                 if any(head.startswith(magic) for magic in magics)), None)


_STRICT = threading.Lock()


@contextlib.contextmanager
def _strict_loading() -> Iterator[None]:
    """A truncated picture is an error while a logo is checked. WeasyPrint, once
    imported, tells Pillow to load truncated pictures for the whole process (it
    prints what it can, a black box for the rest); the lock keeps two checks from
    restoring that setting under each other."""
    with _STRICT:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def _decoded(content: bytes) -> Image.Image:
    """The picture in ``content``, decoded to its last pixel, or why not."""
    if len(content) > MAX_LOGO_BYTES:
        raise LogoRefused("logo_too_large", limit=MAX_LOGO_BYTES // 1024)
    reader = READERS.get(image_type(content) or "")
    if reader is None:
        raise LogoRefused("logo_not_an_image")
    try:
        with _strict_loading():
            # The format's reader itself, not Image.open: Pillow's own bomb check there
            # would refuse 400 MP before this one can say how many pixels there are.
            image = reader(io.BytesIO(content))
            width, height = image.size
            # Checked on the header, before a single row is decompressed.
            if width * height > MAX_PIXELS:
                raise LogoRefused("logo_too_many_pixels", width=width, height=height,
                                  limit=MAX_PIXELS // 1_000_000)
            # A JPEG is decoded whole but scaled down as it is (1/2 to 1/8), no
            # smaller than the stored logo: a quarter of the memory or less.
            image.draft(None, (MAX_SIDE, MAX_SIDE))
            image.load()
    except LogoRefused:
        raise
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError):
        # Truncated, corrupt (a bad checksum, an HTML page after the signature), a
        # chunk that inflates beyond Pillow's limits: Pillow says so with one of these.
        raise LogoRefused("logo_unreadable") from None
    return image


def clean(content: bytes) -> bytes:
    """The logo as Shafaf stores it: decoded in full, turned upright, at most
    ``MAX_SIDE`` pixels on a side, written again as a PNG without metadata. Raises
    :class:`LogoRefused` for anything but a whole PNG or JPEG picture."""
    image = _decoded(content)
    # A damaged orientation tag: keep the picture as it is stored.
    with contextlib.suppress(OSError, ValueError, SyntaxError):
        image = ImageOps.exif_transpose(image)
    if image.mode.startswith("I"):
        # 16-bit grey: its top 8 bits (a plain conversion would clip it to white).
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    # Grey, black-and-white and colour pictures keep their mode; the rest (palettes,
    # CMYK JPEGs) become RGB, with their transparency if they have one.
    mode = "RGBA" if transparent else image.mode if image.mode in ("1", "L", "RGB") else "RGB"
    if image.mode != mode:
        image = image.convert(mode)
    image.info = {}
    side = MAX_SIDE
    while True:
        image.thumbnail((side, side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        if out.tell() <= MAX_STORED_BYTES or side <= 64:
            return out.getvalue()
        side = side * 7 // 10  # a photograph rather than a logo: smaller until it fits


@dataclass(frozen=True)
class Printable:
    """A stored logo as a ballot would print it: its ``kind`` (``image/png`` or
    ``image/jpeg``), or ``problem``, the refusal code of why it cannot be printed,
    with its figures."""

    kind: str | None
    problem: str | None = None
    figures: tuple[tuple[str, object], ...] = ()


# Checked logos by their SHA-256: a ballot asks about each logo at every request, and
# a stored logo changes only by being replaced. Keyed by digest so that the cache
# holds no picture.
_CHECKED: dict[str, Printable] = {}
_CHECKED_LIMIT = 4096


def printable(content: bytes) -> Printable:
    """Whether a stored logo decodes in full as registration requires now; logos
    stored before the check existed may not."""
    digest = hashlib.sha256(content).hexdigest()
    known = _CHECKED.get(digest)
    if known is not None:
        return known
    try:
        image = _decoded(content)
        checked = Printable(kind=FORMATS[str(image.format)])
    except LogoRefused as refused:
        checked = Printable(kind=None, problem=refused.code,
                            figures=tuple(refused.params.items()))
    if len(_CHECKED) >= _CHECKED_LIMIT:
        _CHECKED.clear()
    _CHECKED[digest] = checked
    return checked
