"""Running one action from a page's POST, and wording its refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from shafaf.core.certification import StepRefused
from shafaf.entities import labels
from shafaf.entities.actions.nominations import NominationRefused, NotYourEntity
from shafaf.entities.actions.registration import RegistrationRefused
from shafaf.tabular import ImportRejected


def run(request: HttpRequest, step: Callable[[], Any], *, done: str) -> list[str]:
    """Run ``step``; on success flash ``done``. Returns the lines that explain a
    refusal (also flashed), empty on success. An agent acting for another entity
    meets a 404, as if the thing did not exist."""
    try:
        step()
    except NotYourEntity:
        raise Http404 from None
    except PermissionError:
        raise PermissionDenied from None
    except (NominationRefused, RegistrationRefused) as refused:
        lines = [labels.refusal_text(refused.code, refused.details)]
        lines += [labels.violation_text(v) for v in getattr(refused, "violations", ())]
    except StepRefused:
        lines = [str(labels.REFUSALS["step_not_possible"])]
    except ImportRejected as rejected:
        # The problems are listed once, on the page; the message only counts them.
        messages.error(request, _("Problems in the file: %(count)s. Nothing was changed.")
                       % {"count": number_format(rejected.total, force_grouping=True)})
        return [str(problem) for problem in rejected.problems] + [
            _("%(count)s more like this: %(reason)s") % {
                "count": number_format(more.count, force_grouping=True), "reason": str(more)}
            for more in rejected.unlisted]
    else:
        messages.success(request, done)
        return []
    messages.error(request, lines[0])
    return lines
