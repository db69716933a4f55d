"""How results' refusals read. Each part of results adds its codes in its own block."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shafaf.core.refusal import Refused
from shafaf.refusals.wording import Explanation, fill, words


class ResultsRefused(Refused):
    """A step on results refused (codes worded below)."""


REFUSALS = {
    # Shared
    "results_not_counted": _("The law of this election sets no counting rules."),
    # Counting devices and transmissions
    "devices_registered_meanwhile": _(
        "Some of these devices or keys were registered by someone else meanwhile: nothing "
        "was written. Load the file again to see which."),
    "device_revoke_reason": _("Give the reason the device is revoked."),
    "device_already_revoked": _("The device %(serial)s is already revoked."),
    "transmission_too_large": _("The transmission is larger than %(limit)s bytes."),
    "transmission_malformed": _("The transmission is not a shafaf-transmission/1 document: "
                                "%(reason)s."),
    "transmission_unsigned": _("The transmission is not signed."),
    "transmission_unknown_device": _("No counting device %(serial)s is registered."),
    "transmission_device_revoked": _("The counting device %(serial)s is revoked."),
    "transmission_bad_signature": _("The signature is not the device %(serial)s's signature "
                                    "of this transmission."),
    "transmission_unknown_election": _("There is no election %(election)s."),
    "transmission_unknown_station": _("There is no station %(station)s in this election."),
    "transmission_wrong_station": _("The device %(serial)s is not the counting device of "
                                    "station %(station)s."),
    "transmission_replayed": _("The device %(serial)s sent this transmission already, or one "
                               "with a sequence number not above %(last)s, its last accepted."),
    "transmission_unknown_list": _("There is no list %(list)s in this contest."),
    "transmission_unknown_candidate": _("There is no candidate %(candidate)s on that list."),
    "transmission_not_counted": _("The law of this election sets no counting rules."),
    "transmission_throttled": _("Too many refused transmissions from this address in the "
                                "last minute: try again in a minute."),

    # Paper entry, twice, and the audit centre
    "entry_bad_source": _("Only the hand count, the device's printed tape and the audit "
                          "centre's recount are entered from paper."),
    "entry_bad_numbers": _("Every number on the form must be a whole number from 0 to "
                           "100,000, each list and candidate once."),
    "entry_audit_not_ordered": _("The audit centre has not asked for a recount of this "
                                 "station."),
    "entry_same_clerk": _("You made the first entry of this form: another clerk must make "
                          "the second."),
    "entry_awaits_coordinator": _("The two entries of this form differ: the coordinator "
                                  "resolves them."),
    "entry_definitive": _("This form is already definitive."),
    "entry_wrong_state": _("This step is not possible in the form's present state."),
    "entry_not_yours": _("This step is not yours to take."),
    "entry_no_task": _("There is no such entry."),
    "entry_reason_too_long": _("The reason is too long."),
    "entry_no_station": _("No polling station with this code in your reach."),
    "audit_no_station": _("There is no such station at the audit centre."),
    "audit_reason_needed": _("Give the reason for clearing the form (at most 2,000 "
                             "characters)."),
    "audit_not_quarantined": _("This form is not in quarantine."),
    "audit_not_at_centre": _("This station is not at the audit centre."),

    # The Board cancels a station held at the audit centre (shafaf.results.cancellation)
    "cancel_reason_needed": _("A cancellation needs its reason (at most %(limit)s "
                              "characters): it is published."),
    "cancel_not_at_audit": _("Only a station held at the audit centre is cancelled here; "
                             "a complaint's cancellation is decided on the complaint."),
    "station_already_cancelled": _("This station is already cancelled."),
    # Complaints and appeals
    "complaint_statement_required": _("Say what happened at the station or the centre."),
    "complaint_no_stations": _("This polling centre has no stations to complain about."),
    "complaint_before_polling": _("Complaints on the count are filed from polling day, "
                                  "%(opens)s."),
    "complaint_period_over": _("Complaints on this count were filed from %(opens)s to "
                               "%(closes)s: the period is over."),
    "complaint_step_not_allowed": _("This step cannot be taken on the complaint where it "
                                    "stands now."),
    "complaint_reason_required": _("Give the reason: it is published with the decision."),
    "appeal_period_over": _("The Board decided on %(decided)s; appeals were lodged until "
                            "%(closes)s: the period is over."),
    "panel_order_only_on_dismissal": _("The Panel's own order (a recount, a cancellation) "
                                       "goes only with a ruling that overturns a dismissal."),
    "candidate_not_in_contest": _("This candidate does not stand in this governorate's "
                                  "contest."),
    "candidate_already_disqualified": _("This candidate is already disqualified."),

    # Tabulation, certification and publication
    "results_not_allowed": _("Your role may not take this step on results."),
    "results_stations_pending": _(
        "%(count)s station(s) of this governorate are still awaiting their count or at the "
        "audit centre: the results can be certified only when every station is settled."),
    "results_tie_undecided": _(
        "A tie decides a seat: draw it by a public lot and give the lot's seed."),
    "results_lot_seed_too_long": _("The lot seed is longer than %(limit)s characters."),
    "results_not_certified": _(
        "The Board has not certified these results: publish them as preliminary, or certify "
        "them first."),
    "results_changed_since_certification": _(
        "The totals have changed since the Board certified these results: they must be "
        "certified again before the certified results are published."),
    "results_unknown_stage": _("The stage is preliminary or certified."),

}


def explain(refused: ResultsRefused) -> Explanation:
    wording = REFUSALS.get(refused.code)
    if wording is None:
        return Explanation(code=refused.code, message=refused.code)
    return Explanation(code=refused.code, message=fill(wording, refused.params))


def register() -> None:
    """Tell the refusal helper how this app's refusals read (from ``AppConfig.ready``)."""
    words(ResultsRefused, explain)
