"""How this app's refusals read: a rejected file reads as the count of its
problems, then each problem with its row and column, then how many more of each
reason were not listed."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext

from shafaf.refusals.wording import Detail, Explanation, words
from shafaf.tabular import ImportRejected


def explain_import(rejected: ImportRejected) -> Explanation:
    # The message only counts the problems: the page lists them once, below it.
    message = gettext("Problems in the file: %(count)s. Nothing was changed.") % {
        "count": number_format(rejected.total, force_grouping=True)}
    details = [Detail(message=str(problem)) for problem in rejected.problems]
    details += [Detail(message=gettext("%(count)s more like this: %(reason)s") % {
        "count": number_format(more.count, force_grouping=True), "reason": str(more)})
        for more in rejected.unlisted]
    return Explanation(code="file_rejected", message=message, details=tuple(details))


def register() -> None:
    """Tell the refusal helper how this app's refusals read (from ``AppConfig.ready``)."""
    words(ImportRejected, explain_import)
