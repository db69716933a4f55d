"""The observer's phone app at /observe/ (docs/observation-offline.md): an installable
web app that works with no connection. The page is a shell that draws each form from
its definition (static/observation/observe.js); the service worker, served from
/observe/ so that its scope is the app, keeps the shell and the last forms and
stations; reports wait in an IndexedDB queue until the phone is online."""

from __future__ import annotations

import hashlib
import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from shafaf.access.checks import capability_required
from shafaf.access.roles import Capability

SHELL_FILES = ("shafaf/shafaf.css", "observation/observe.css", "observation/observe.js",
               "observation/icon.svg", "observation/icon-192.png", "observation/icon-512.png")


def _strings() -> dict[str, str]:
    """The app's words, in the reader's language (the shell is drawn by script)."""
    return {
        "station": _("Station"), "form": _("Form"), "send": _("Send"),
        "yes": _("Yes"), "no": _("No"), "choose": _("Choose a form to fill."),
        "queue": _("My reports"), "waiting": _("waiting to be sent"), "sent": _("sent"),
        "refused": _("refused: correct it"), "correct": _("Correct"),
        "discard": _("Discard"), "offline": _("No connection: reports wait on this phone "
                                               "and are sent when it is back."),
        "online": _("Connected"), "queued": _("Saved on this phone. It is sent as soon as "
                                               "there is a connection."),
        "login": _("Your session has ended: log in again to send the waiting reports."),
        "not_observer": _("Only an accredited observer deployed to a station may report."),
        "no_data": _("The forms could not be loaded: connect once to download them."),
        "required": _("This question must be answered."),
        "nothing": _("No reports yet."), "back": _("Back"),
        "others": _("%(count)s reports of another account wait on this phone: they are "
                    "sent when that account logs in here again."),
    }


@require_safe
@capability_required(Capability.SUBMIT_OBSERVATIONS)
def app(request: HttpRequest) -> HttpResponse:
    return render(request, "observation/observe.html", {
        "strings": _strings(),
        # Whose reports the page shows and sends: a phone may pass between observers,
        # and each report is sent only under the session of whoever made it.
        "account": request.user.pk,
        "login_url": reverse("accounts:login") + "?next=" + reverse("observation:phone"),
        "sw_url": reverse("observation:phone_worker")})


@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    """Public: the browser fetches it without the session."""
    start = reverse("observation:phone")
    body = {
        "name": "شفاف — المراقبة", "short_name": "مراقبة شفاف", "lang": "ar", "dir": "rtl",
        "start_url": start, "scope": start, "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#1f6f3a",
        "icons": [
            {"src": static("observation/icon-192.png"), "sizes": "192x192",
             "type": "image/png"},
            {"src": static("observation/icon-512.png"), "sizes": "512x512",
             "type": "image/png"},
            {"src": static("observation/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ]}
    return JsonResponse(body, content_type="application/manifest+json",
                        json_dumps_params={"ensure_ascii": False})


@require_safe
def worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from /observe/ so that it may control /observe/. Its
    version is a digest of the shell's file names (hashed in production), so a new
    release replaces the cached shell."""
    shell = [reverse("observation:phone"), reverse("observation:phone_manifest"),
             *(static(name) for name in SHELL_FILES)]
    version = hashlib.sha256("\n".join(shell).encode()).hexdigest()[:16]
    response = render(request, "observation/sw.js", {
        "shell": json.dumps(shell), "version": json.dumps(version),
        "data": json.dumps(["/api/observation/forms", "/api/observation/assignments"])},
        content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
