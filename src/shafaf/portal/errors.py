"""The error pages: the site's layout, in the reader's language, a sentence saying
what happened and the ways back; never a traceback.

400, 403 and 404 render with the request's context (the navigation, the user). The
500 page renders without it: whatever failed (the database, a context processor)
must not fail again while the page explains the failure, and base.html reads every
request value so that it degrades to the anonymous layout.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token


def _page(request: HttpRequest, status: int, heading: str, explanation: str) -> HttpResponse:
    return render(request, f"{status}.html", {
        "status": status, "heading": heading, "explanation": explanation}, status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, 400, _("The request could not be understood"),
                 _("Something in the address or the form was not in the expected form. "
                   "Go back, check what was entered, and try again."))


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, 403, _("You may not open this page"),
                 _("Your role does not allow this page or this step. If your work needs it, "
                   "ask the Commission's administrator for the right role."))


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, 404, _("Page not found"),
                 _("There is no page at this address, or it is outside what your account "
                   "may see. Check the address, or start again from one of the pages below."))


def server_error(request: HttpRequest) -> HttpResponse:
    html = loader.get_template("500.html").render({
        "status": 500, "heading": _("Something went wrong on our side"),
        "explanation": _("The error is recorded for the Commission's technical team. "
                         "If you were saving something, check whether it was saved, then try "
                         "again in a few minutes."),
    })
    return HttpResponse(html, status=500)
