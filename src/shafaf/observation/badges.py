"""Accreditation badges as a printable PDF (docs/observation-accreditation.md): one
card (85.6 × 54 mm, right to left) per badge, with the holder's name, organisation,
governorate, photo if given, and a QR code of the verifier's address on this site,
the code printed under it in groups of four. The QR code and the photo are embedded
as PNG images, so the PDF carries them as they were drawn."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import translation

from shafaf.core.badge_codes import shown
from shafaf.observation.models import Badge

TEMPLATE = "observation/badge_pdf.html"
CHUNK = 250  # badges laid out together


@dataclass(frozen=True)
class Card:
    name: str
    organisation: str
    organisation_code: str
    governorate: str
    kind: str
    code: str
    shown: str
    expires: str
    qr: str  # a data: URI of a PNG
    photo: str  # a data: URI, or ""


def verify_url(base: str, code: str) -> str:
    """What the QR code carries: the verifier's page for this code on this site."""
    return f"{base.rstrip('/')}/verify/badge/{code}/"


def _png_uri(content: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(content).decode("ascii")


def qr_png(url: str) -> bytes:
    """One pixel per module, scaled up sharp by the PDF: a few hundred bytes to embed.
    A fixed mask: choosing the best of eight takes most of the time of drawing one,
    and any mask reads."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False, mask=0, boost_error=False).save(
        out, kind="png", scale=1, border=4)
    return out.getvalue()


def cards(badges: Iterable[Badge], base: str) -> list[Card]:
    made = []
    for badge in badges:
        observer = badge.observer
        organisation = observer.organisation
        photo = bytes(observer.photo) if observer.photo else b""
        made.append(Card(
            name=observer.full_name, organisation=organisation.name_ar,
            organisation_code=organisation.code, governorate=observer.governorate.name_ar,
            kind=organisation.get_kind_display(), code=badge.code, shown=shown(badge.code),
            expires=badge.expires.date().isoformat(),
            qr=_png_uri(qr_png(verify_url(base, badge.code))),
            photo=_png_uri(photo) if photo else ""))
    return made


def _fetcher() -> Any:
    """The badges load nothing but their own embedded images."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), allow_redirects=False)


def _pdf(html: str) -> bytes:
    import weasyprint

    return bytes(weasyprint.HTML(string=html, url_fetcher=_fetcher()).write_pdf())


def render(badges: Sequence[Badge], base: str, *, workers: int = 1,
           progress: Callable[[int, int], None] | None = None) -> bytes:
    """One PDF with a card per badge (in Arabic, as the commission prints them).
    Laying out the text is most of the time; with ``workers`` above 1 an
    organisation's thousands of badges are laid out in chunks by that many
    processes (which only turn HTML into PDF: the database is read here) and the
    chunks joined. ``progress(cards laid out, cards)`` is told after each chunk."""
    made = cards(badges, base)
    with translation.override("ar"):
        pages = [render_to_string(TEMPLATE, {"cards": made[start:start + CHUNK]})
                 for start in range(0, max(len(made), 1), CHUNK)]
    parts: list[bytes] = []

    def laid_out(part: bytes) -> None:
        parts.append(part)
        if progress is not None:
            progress(min(len(parts) * CHUNK, len(made)), len(made))

    if workers <= 1 or len(pages) == 1:
        for html in pages:
            laid_out(_pdf(html))
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # Forked workers start with the fonts and WeasyPrint already imported.
        with ProcessPoolExecutor(max_workers=workers,
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            for part in pool.map(_pdf, pages):
                laid_out(part)
    if len(parts) == 1:
        return parts[0]
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
