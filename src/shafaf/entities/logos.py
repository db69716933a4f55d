"""What kind of picture a logo is, read from its bytes, never from what an upload
claims. Registration accepts PNG and JPEG only; the ballot embeds any of these."""

from __future__ import annotations

IMAGE_TYPES: dict[str, tuple[bytes, ...]] = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/svg+xml": (b"<svg", b"<?xml"),
}


def image_type(content: bytes) -> str | None:
    head = content[:64].lstrip()
    return next((kind for kind, magics in IMAGE_TYPES.items()
                 if any(head.startswith(magic) for magic in magics)), None)
