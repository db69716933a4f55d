"""Running one action for a page's POST: on success a flash message and the
action's result; on a refusal the explanation, flashed and returned for the page to
show; a form's errors as lines for a page that answers bad input with a 400.
Someone else's thing (a :class:`~shafaf.core.refusal.Hidden` refusal) is a
404, as if it did not exist."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest
from django.utils.translation import gettext

from shafaf.core.refusal import Hidden
from shafaf.refusals.wording import Explanation, explain, explains

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a step gave: its ``value``, or the ``refusal`` that stopped it."""

    value: T | None = None
    refusal: Explanation | None = None

    @property
    def refused(self) -> bool:
        return self.refusal is not None

    @property
    def lines(self) -> list[str]:
        """The lines that explain the refusal, none on success."""
        return self.refusal.lines if self.refusal is not None else []


def run(request: HttpRequest, step: Callable[[], T], *, done: str,
        flash_refusal: bool = False) -> Outcome[T]:
    """Run ``step`` and flash ``done`` on success. A refusal is returned for the page
    to show; ``flash_refusal`` flashes its message too, for a view that redirects."""
    try:
        value = step()
    except Hidden:
        raise Http404 from None
    except Exception as error:
        if not explains(error):
            raise
        refusal = explain(error)
        if flash_refusal:
            messages.error(request, refusal.message)
        return Outcome(refusal=refusal)
    messages.success(request, done)
    return Outcome(value=value)


def form_lines(form: forms.Form) -> list[str]:
    """A form's errors as lines to show above the page, each with its field's label."""
    lines = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        for error in errors:
            lines.append(gettext("%(field)s: %(problem)s") % {
                "field": field.label, "problem": error} if field and field.label else str(error))
    return lines
