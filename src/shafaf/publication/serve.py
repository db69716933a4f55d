"""Serving a published file over HTTP: the stored bytes, never a new rendering, with
its key as the ETag (a reader who has it gets 304) and its SHA-256 as the
representation digest (RFC 9530), so that a download can be checked."""

from __future__ import annotations

import base64

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control

from shafaf.publication.store import Published


def file_response(request: HttpRequest, published: Published, *, content_type: str,
                  filename: str, max_age: int = 300) -> HttpResponseBase:
    """``published`` inline, as ``filename``; 304 when the reader's copy is current.
    ``filename`` must be plain ASCII (it goes into the header as it is)."""
    etag = f'"{published.key}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        # Read whole: a published file is a few megabytes at most, and a front server
        # can serve the directory itself (docs/decisions/0012-publish-once.md).
        response = HttpResponse(published.path.read_bytes(), content_type=content_type)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        digest = base64.b64encode(bytes.fromhex(published.sha256)).decode("ascii")
        response["Repr-Digest"] = f"sha-256=:{digest}:"
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=max_age)
    return response
