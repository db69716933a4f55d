"""The demo's deployment, evidence, alerts and statement (docs/observation-dashboards.md):
photos on a few of the first organisation's incidents, alerts of its critical ones, and
its statement published. Runs after the polling day's reports; with none, it publishes
the statement only (its figures then say that nothing is verified yet)."""

from __future__ import annotations

import io

from django.db import transaction
from PIL import Image, ImageDraw

from shafaf.accounts.models import User
from shafaf.observation import evidence, statements
from shafaf.observation.dash_models import Alert, EvidencePhoto
from shafaf.observation.models import Coordinator, Organisation, Submission

PHOTOS = 3
TEXT_AR = ("رصدت الشبكة يوم الاقتراع في محطات كركوك وبغداد ونينوى. تعرض الأرقام أدناه ما "
           "تحققت منه الشبكة من تقارير مراقبيها فقط. (نص تجريبي)")
TEXT_EN = ("The network observed polling day in Kirkuk, Baghdad and Nineveh. The figures "
           "below are from its observers' reports that it has verified. (Demo text)")


def _picture(n: int) -> bytes:
    """A made-up photo: a coloured frame with a number, not a real scene."""
    image = Image.new("RGB", (320, 240), (90 + 40 * n, 110, 140))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 300, 220), outline=(255, 255, 255), width=4)
    draw.text((150, 110), str(n + 1), fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    return out.getvalue()


def load(organisations: list[Organisation]) -> list[str]:
    """What was added, as lines for the demo's summary."""
    if not organisations:
        return []
    organisation = organisations[0]
    lines = []
    incidents = list(Submission.objects.filter(observer__organisation=organisation,
                                               form__code="incident").select_related(
        "form", "observer").order_by("received")[:PHOTOS])
    for n, incident in enumerate(incidents):
        if not EvidencePhoto.objects.filter(submission=incident).exists():
            evidence.add_photo(observer=incident.observer, submission=incident,
                               content=_picture(n))
    if incidents:
        lines.append(f"  evidence photos on {len(incidents)} incidents")
    coordinators = list(Coordinator.objects.filter(organisation=organisation)
                        .select_related("user"))
    critical = Submission.objects.filter(observer__organisation=organisation,
                                         form__code="incident",
                                         answers__severity="critical")[:2]
    with transaction.atomic():
        made = Alert.objects.bulk_create(
            [Alert(user=c.user, organisation=organisation, submission=s)
             for s in critical for c in coordinators], ignore_conflicts=True)
    if made:
        lines.append(f"  alerts of critical incidents: {len(made)}")
    actor = coordinators[0].user if coordinators else User.objects.get(username="cso")
    statements.publish(actor=actor, organisation=organisation, text_ar=TEXT_AR,
                       text_en=TEXT_EN)
    lines.append(f"  the statement: /observation/{organisation.code}/statement/")
    return lines
