"""The words for refusals. Each app says, once, how its kinds of refusal read
(``words(NominationRefused, labels.explain_refusal)``, in its ``AppConfig.ready``);
pages, the API and the command line all ask :func:`explain`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.utils.translation import gettext

from shafaf.core.refusal import Refused


@dataclass(frozen=True)
class Detail:
    """One line under a refusal's message: a rule the list breaks, a problem in a
    file. ``code`` and ``position`` are for the API's readers."""

    message: str
    code: str = ""
    position: int | None = None


@dataclass(frozen=True)
class Explanation:
    """A refusal in the reader's language: the message, and the details under it."""

    code: str
    message: str
    details: tuple[Detail, ...] = ()

    @property
    def lines(self) -> list[str]:
        return [self.message, *(detail.message for detail in self.details)]


E = TypeVar("E", bound=BaseException)
Wording = Callable[[Any], Explanation]
_WORDINGS: dict[type[BaseException], Wording] = {}


def words(kind: type[E], wording: Callable[[E], Explanation]) -> None:
    """Register how refusals of ``kind`` (and its subclasses) read. A kind that is not
    a :class:`Refused` (a file importer's rejection) joins the family this way."""
    _WORDINGS[kind] = wording


def explains(error: BaseException) -> bool:
    """Whether ``error`` is a refusal: a :class:`Refused` or a registered kind."""
    return isinstance(error, Refused) or _wording(type(error)) is not None


def _wording(kind: type[BaseException]) -> Wording | None:
    for cls in kind.__mro__:
        if cls in _WORDINGS:
            return _WORDINGS[cls]
    return None


def explain(error: BaseException) -> Explanation:
    """The refusal in the active language. A code nobody worded still gets a
    sentence (with the code, so that it can be reported), never a crash."""
    wording = _wording(type(error))
    if wording is not None:
        return wording(error)
    code = error.code if isinstance(error, Refused) else type(error).__name__
    return Explanation(code=code, message=gettext("This step was refused (%(code)s).")
                       % {"code": code})


class _Params(dict[str, object]):
    def __missing__(self, name: str) -> str:
        return "…"  # a figure the refusal did not carry: shown as missing, never a crash


def fill(text: object, params: Mapping[str, object]) -> str:
    """``text`` with its ``%(name)s`` placeholders filled from ``params``."""
    sentence = str(text)
    return sentence % _Params(params) if "%(" in sentence else sentence
