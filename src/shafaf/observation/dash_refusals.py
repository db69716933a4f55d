"""How deployment's, evidence's and statements' refusals read."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shafaf.core.refusal import Refused
from shafaf.refusals.wording import Explanation, fill, words


class DashRefused(Refused):
    """A step on deployment, evidence, a statement or a finding refused (codes worded
    below)."""


REFUSALS = {
    "no_such_place": _("No centre or station %(code)s in this organisation's governorates."),
    "observer_not_accredited": _("Only an accredited observer of this organisation can be "
                                 "deployed."),
    "already_assigned": _("The observer is already deployed to every station of %(code)s."),
    "photo_too_large": _("The photo is larger than %(limit)s MB."),
    "photo_not_an_image": _("The file is not a JPEG or PNG photo."),
    "photo_unreadable": _("The photo cannot be read: it is damaged or incomplete."),
    "photo_too_many_pixels": _("The photo has more than %(limit)s million pixels."),
    "too_many_photos": _("A report has at most %(limit)s photos."),
    "not_an_incident": _("Photos are added to incident and counting reports only."),
    "statement_empty": _("Write the statement in Arabic."),
    "finding_not_found": _("There is no such difference in your organisation's reports."),
    "finding_step_not_allowed": _("This step is not open for this difference."),
    "finding_reason_required": _("Say why the difference is dismissed."),
    "no_verified_findings": _("No verified difference is waiting to be published."),
    "pvt_seed_empty": _("Type the public seed."),
    "pvt_seed_too_long": _("The seed has at most %(limit)s characters."),
    "pvt_seed_lines": _("The seed must be written on one line."),
    "pvt_empty_frame": _("The organisation's governorates have no polling station in this "
                         "election: there is nothing to draw from."),
    "pvt_bad_size": _("The sample size must be from 1 to the frame's %(frame)s stations, "
                      "not %(size)s."),
    "pvt_already_drawn": _("The sample is already drawn and stays as drawn: discard it "
                           "first to draw again."),
    "pvt_reports_arrived": _("Counting reports have arrived from sampled stations: the "
                             "sample can no longer be discarded."),
    "pvt_not_drawn": _("Draw the sample first."),
}


def explain(refused: DashRefused) -> Explanation:
    wording = REFUSALS.get(refused.code)
    if wording is None:
        return Explanation(code=refused.code, message=refused.code)
    return Explanation(code=refused.code, message=fill(wording, refused.params))


def register() -> None:
    words(DashRefused, explain)
