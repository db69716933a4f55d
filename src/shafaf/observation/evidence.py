"""Evidence photos: an observer adds them to their own incident report, or to their
counting report (the posted result form); each is decoded in full and written again as
a JPEG by Shafaf, so that nothing of the sent file but its pixels is kept (no location,
no camera data, no trailing payload)."""

from __future__ import annotations

import contextlib
import io

from django.db import transaction
from PIL import Image, ImageOps

from shafaf.audit import actions as audit
from shafaf.entities.logos import READERS, image_type
from shafaf.observation.dash_models import EvidencePhoto
from shafaf.observation.dash_refusals import DashRefused
from shafaf.observation.models import Observer, Submission

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a phone's camera at 12-48 MP; checked before decoding
MAX_SIDE = 1600
MAX_PHOTOS = 5
INCIDENT_FORM = "incident"
PHOTO_FORMS = (INCIDENT_FORM, "counting")
"""An incident's evidence, and the posted result form (docs/observation-posted-forms.md)."""


def clean_photo(content: bytes) -> tuple[bytes, int, int]:
    """The photo as stored (a JPEG at most MAX_SIDE on a side), its width and height."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise DashRefused("photo_too_large", limit=MAX_UPLOAD_BYTES // (1024 * 1024))
    reader = READERS.get(image_type(content) or "")
    if reader is None:
        raise DashRefused("photo_not_an_image")
    try:
        image = reader(io.BytesIO(content))
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise DashRefused("photo_too_many_pixels", limit=MAX_PIXELS // 1_000_000)
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))
        image.load()
        if image.im is None or image.size[0] * image.size[1] == 0:
            raise DashRefused("photo_unreadable")
    except DashRefused:
        raise
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError):
        raise DashRefused("photo_unreadable") from None
    picture: Image.Image = image
    with contextlib.suppress(OSError, ValueError, SyntaxError):
        picture = ImageOps.exif_transpose(image)
    picture = picture.convert("RGB")
    picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=82)
    return out.getvalue(), picture.width, picture.height


def add_photo(*, observer: Observer, submission: Submission, content: bytes) -> EvidencePhoto:
    """Add a photo to the observer's own incident or counting report (the caller has
    checked that it is theirs)."""
    if submission.form.code not in PHOTO_FORMS:
        raise DashRefused("not_an_incident")
    image, width, height = clean_photo(content)
    with transaction.atomic():
        # Locks the report so that two uploads at once cannot pass the count together.
        Submission.objects.select_for_update().filter(pk=submission.pk).first()
        if submission.photos.count() >= MAX_PHOTOS:
            raise DashRefused("too_many_photos", limit=MAX_PHOTOS)
        photo = EvidencePhoto.objects.create(submission=submission, image=image,
                                             content_type="image/jpeg", width=width,
                                             height=height)
        audit.record(actor=observer.user, action="observation.photo_added",
                     target=submission, data={"photo": photo.pk, "bytes": len(image)})
    return photo
