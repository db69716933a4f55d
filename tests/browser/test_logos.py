"""Logos in a real Chromium, as the Commission's administrator handles them: a file
that only starts like a PNG is refused beside the logo field; a real logo registers;
an entity whose stored logo its ballots cannot show is flagged on its page, and the
logo is replaced there until the warning goes.

No ORM call is made once Playwright has started (see conftest)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from PIL import Image
from playwright.sync_api import expect

from shafaf.entities.models import Entity, EntityKind, EntityStatus
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

FAKE = b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"


def logo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 60), (0x1f, 0x6f, 0x3a)).save(out, format="PNG")
    return out.getvalue()


def arabic(message: str) -> str:
    with translation.override("ar"):
        return translation.gettext(message)


@pytest.fixture
def broken(stations) -> dict[str, Any]:
    """A party whose logo was stored before logos were checked; made before Playwright."""
    entity = Entity.objects.create(election=stations, kind=EntityKind.PARTY, code="qadim",
                                   name_ar="حزب الشعار القديم", status=EntityStatus.APPROVED,
                                   logo=FAKE, logo_type="image/png")
    return {"entity": entity.pk, "election": stations.pk,
            "unreadable": arabic("The logo cannot be read to its end: the file is damaged, "
                                 "incomplete or not the picture it claims to be.")}


def test_the_administrator_registers_and_replaces_logos(broken: dict[str, Any], page: Any,
                                                        artifacts: Path) -> None:
    log_in(page, "admin")
    page.goto("/staff/entities/")
    page.fill("#id_code", "taqaddum")
    page.fill("#id_name_ar", "حزب تقدم")
    page.set_input_files("#id_logo", files=[
        {"name": "logo.png", "mimeType": "image/png", "buffer": FAKE}])
    page.locator("main form button[type=submit]").click()
    # Refused, said beside the field.
    expect(page.locator("#id_logo_error")).to_contain_text(broken["unreadable"])

    page.fill("#id_name_ar", "حزب تقدم")
    page.set_input_files("#id_logo", files=[
        {"name": "logo.png", "mimeType": "image/png", "buffer": logo()}])
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/entities/*/")
    expect(page.locator("h1")).to_contain_text("حزب تقدم")
    expect(page.locator("li.warning")).to_have_count(0)

    # The old entity's page warns before anything is printed, and the logo is replaced.
    page.goto(f"/staff/entities/{broken['entity']}/")
    expect(page.locator("li.warning")).to_contain_text(broken["unreadable"])
    page.screenshot(path=str(artifacts / "entity-logo-warning.png"))
    page.set_input_files("input[name=logo]", files=[
        {"name": "logo.png", "mimeType": "image/png", "buffer": logo()}])
    page.locator("form:has(input[name=step][value=logo]) button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("li.warning")).to_have_count(0)
