"""How this app's refusals read: a rejected file reads as its problems, each with
its row and column (the first is the message, the others follow it)."""

from __future__ import annotations

from shafaf.elections.imports import ImportRejected
from shafaf.refusals.wording import Detail, Explanation, words


def explain_import(rejected: ImportRejected) -> Explanation:
    first, *rest = [str(problem) for problem in rejected.problems] or [str(rejected)]
    return Explanation(code="file_rejected", message=first,
                       details=tuple(Detail(message=line) for line in rest))


def register() -> None:
    """Tell the refusal helper how this app's refusals read (from ``AppConfig.ready``)."""
    words(ImportRejected, explain_import)
