"""An organisation's statement: its coordinator writes it (Arabic, and Kurdish and
English if they wish), the figures come from its own verified reports, frozen when it
is published; the public reads it as a page and as a PDF (docs/observation-dashboards.md)."""

from __future__ import annotations

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from shafaf.access.people import Account
from shafaf.audit import actions as audit
from shafaf.observation import dash_figures, pvt
from shafaf.observation.dash_models import Statement
from shafaf.observation.dash_refusals import DashRefused
from shafaf.observation.models import Organisation

TEXT_LIMIT = 20_000


def publish(*, actor: Account, organisation: Organisation, text_ar: str, text_ckb: str = "",
            text_en: str = "") -> Statement:
    """Publish (or publish again) the statement with today's verified figures, the PVT
    estimate among them (docs/pvt-app.md)."""
    if not text_ar.strip():
        raise DashRefused("statement_empty")
    figures = dash_figures.public_figures(organisation) | pvt.statement_figures(organisation)
    with transaction.atomic():
        statement, _ = Statement.objects.select_for_update().update_or_create(
            organisation=organisation, defaults={
                "text_ar": text_ar.strip()[:TEXT_LIMIT],
                "text_ckb": text_ckb.strip()[:TEXT_LIMIT],
                "text_en": text_en.strip()[:TEXT_LIMIT], "figures": figures,
                "published": timezone.now(), "published_by": actor})
        audit.record(actor=actor, action="observation.statement_published",
                     target=statement, data={"organisation": organisation.code,
                                             "figures": figures})
    return statement


def pdf(statement: Statement, context: dict[str, object]) -> bytes:
    """The statement as a PDF, in Arabic, right to left; nothing fetched from outside."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    with translation.override("ar"):
        html = render_to_string("observation/statement_pdf.html", context)
    return bytes(weasyprint.HTML(string=html, url_fetcher=URLFetcher(
        allowed_protocols=("data",), allow_redirects=False)).write_pdf())
