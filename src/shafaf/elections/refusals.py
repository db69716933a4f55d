"""How this app's refusals read: a rejected file reads as the count of its
problems, then each problem with its row and column, then how many more of each
reason were not listed."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shafaf.core.refusal import Refused
from shafaf.refusals.wording import Detail, Explanation, fill, words
from shafaf.tabular import ImportRejected


class ElectionsRefused(Refused):
    """A step on elections refused (codes worded in REFUSALS)."""


REFUSALS = {
    "election_code_invalid": _("The code “%(code)s” is not valid: use lowercase Latin "
                               "letters, digits and single hyphens, at most 32."),
    "election_code_taken": _("An election with the code “%(code)s” already exists."),
    "election_code_reserved": _("“%(code)s” names a page of the site: choose another code."),
    "election_kind_unknown": _("“%(kind)s” is not a kind of election."),
    "election_law_unknown": _("“%(law)s” is not a law profile Shafaf knows."),
    "election_name_missing": _("Give the election's name in Arabic."),
    "election_phase_unknown": _("“%(phase)s” is not a phase of an election."),
    "election_phase_ends_before_it_starts": _("%(phase)s ends (%(ends)s) before it starts "
                                              "(%(starts)s)."),
    "election_governorates_missing": _("The law's districts include governorates that are "
                                       "not loaded: %(codes)s."),
}


def explain(refused: ElectionsRefused) -> Explanation:
    wording = REFUSALS.get(refused.code)
    if wording is None:
        return Explanation(code=refused.code, message=refused.code)
    return Explanation(code=refused.code, message=fill(wording, refused.params))


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
    words(ElectionsRefused, explain)
