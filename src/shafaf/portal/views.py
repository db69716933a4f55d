from __future__ import annotations

from datetime import date

from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from shafaf.access.checks import can, capability_required
from shafaf.access.roles import Capability
from shafaf.audit.selectors import head, latest_checkpoint, published_key
from shafaf.elections import selectors
from shafaf.elections.access import centres_for, governorates_for, stations_for
from shafaf.elections.models import CalendarPhase, Election, Phase
from shafaf.entities import labels
from shafaf.entities.workflow import lists_awaiting_review
from shafaf.portal.lookup_views import LookupForm


def home(request: HttpRequest) -> HttpResponse:
    election = selectors.current_election()
    contests = list(selectors.contests(election)) if election else []
    calendar = list(selectors.calendar(election)) if election else []
    return render(request, "portal/home.html", {
        **voter_information(calendar, timezone.localdate()),
        "lookup_form": LookupForm(),
        "election": election,
        # Every election with published results, the newest first (the current one is
        # not always the one whose count is under way or published).
        "published": Election.objects.filter(contests__publications__isnull=False)
        .distinct().order_by("-polling_day"),
        "contests": contests,
        "calendar": calendar,
        "totals": {
            "general": sum(c.general_seats for c in contests),
            "component": sum(s.seats for c in contests for s in c.component_seats.all()),
            "women": sum(c.women_quota for c in contests),
        },
    })


VOTING_PHASES = (Phase.SPECIAL_VOTING, Phase.GENERAL_VOTING)


def voter_information(calendar: list[CalendarPhase], today: date) -> dict[str, object]:
    """What a voter needs now: the phase under way (or the next one), whether the
    update campaign is open, and whether voting is under way (docs/register-lookup.md)."""
    now = [phase for phase in calendar if phase.starts <= today <= phase.ends]
    upcoming = [phase for phase in calendar if phase.starts > today]
    return {
        "phases_now": now,
        "next_phase": upcoming[0] if upcoming else None,
        "update_open": any(phase.phase == Phase.REGISTER_UPDATE for phase in now),
        "voting_now": any(phase.phase in VOTING_PHASES for phase in now),
        "special_voting": next((p for p in calendar if p.phase == Phase.SPECIAL_VOTING), None),
        "update_phase": next((p for p in calendar if p.phase == Phase.REGISTER_UPDATE), None),
    }


def audit_head(request: HttpRequest) -> HttpResponse:
    """The newest hash of the audit chain, public so that anyone can pin it."""
    return render(request, "portal/audit_head.html", {
        "head": head(), "checkpoint": latest_checkpoint(), "key": published_key(),
        "site": request.build_absolute_uri("/").rstrip("/")})


WAITING_SHOWN = 200
"""Lists shown in a reviewer's queue on the dashboard; the oldest submissions first."""


@capability_required(Capability.STAFF_AREA)
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    figures = {}
    if can(user, Capability.VIEW_STATIONS):
        stations = stations_for(user)
        figures = {
            "governorates": governorates_for(user).count(),
            "centres": centres_for(user).count(),
            "stations": stations.count(),
            "voters": stations.aggregate(n=Sum("registered_voters"))["n"] or 0,
        }
    awaiting = list(lists_awaiting_review(user)[:WAITING_SHOWN + 1])
    return render(request, "portal/dashboard.html", {
        "figures": figures, "head": head(), "reviews": can(user, Capability.REVIEW_CANDIDATES),
        "awaiting": awaiting[:WAITING_SHOWN], "awaiting_more": len(awaiting) > WAITING_SHOWN,
        "waiting_shown": WAITING_SHOWN, "list_states": labels.LIST_STATES})


def lottery_verify(request: HttpRequest) -> HttpResponse:
    """Check a published lottery transcript, in the reader's browser: the page's script
    (static/shafaf/lottery.js) redoes the draw; nothing is sent back to the server."""
    messages = {
        "verifying": _("Verifying…"),
        "empty_input": _("Paste a transcript or choose its file first."),
        "load_failed": _("The transcript named in the address could not be loaded from "
                         "this site: download it, then paste it or choose its file."),
        "kinds": {
            "malformed": _("The transcript is not in the expected form."),
            "algorithm": _("The transcript does not use the algorithm shafaf-lottery/1."),
            "participants_sha256": _("The participants' hash does not match the "
                                     "participants."),
            "seed_sha256": _("The seed's hash does not match the seed."),
            "participants": _("The assignments are not exactly one for each participant."),
            "ticket": _("A ticket is not the hash of the seed and the participant."),
            "number": _("A number is not the one the tickets give."),
            "transcript_sha256": _("A field was changed after the transcript was hashed: "
                                   "its hash does not match."),
            "commitment": _("A revealed part of the seed does not match its commitment."),
            "seed": _("The seed is not the one the revealed parts and the beacon's value "
                      "give."),
            "pool_size": _("The pool's size is not the size of its ranges less its "
                           "exclusions."),
        },
        "no_transcript_hash": _("none: an older transcript (/1), whose names, times and "
                                "pool size no hash covers"),
        "reasons": {
            "json": _("It is not valid JSON."),
            "form": _("A field is missing or holds the wrong type of value: see the place "
                      "named below."),
            "id": _("A participant id is empty, spans several lines or has spaces around it."),
            "duplicate": _("A participant id appears twice."),
            "empty": _("There are no participants."),
            "pool": _("The pool holds fewer numbers than there are participants."),
        },
    }
    return render(request, "portal/lottery_verify.html", {"verifier_messages": messages})


@require_safe  # the page only reads: its form is never sent
def pvt_verify(request: HttpRequest) -> HttpResponse:
    """Redo a parallel vote tabulation's public sample (shafaf-sample/1,
    docs/pvt-sample.md) in the reader's browser: the page's script
    (static/shafaf/pvt_sample.js) reads the frame file, draws and compares; nothing is
    sent back to the server."""
    messages = {
        "working": _("Drawing…"),
        "no_frame": _("Choose the frame file first."),
        "bad_size": _("The sample size must be a whole number from 1 to the frame's "
                      "%(frame)s stations."),
        "failed": _("This browser could not redo the draw: its SHA-256 gives other "
                    "tickets than its Web Crypto. Use another browser or the shafaf "
                    "command."),
        "frame_rejected": _("The frame file has %(count)s problem(s); nothing was drawn."),
        "row": _("Row %(row)s:"),
        "more_problems": _("…and %(count)s more."),
        "frame_errors": {
            "utf8": _("The frame file is not UTF-8 text: save it as CSV UTF-8."),
            "csv": _("The frame file is not a readable CSV file (a quote is not closed)."),
            "empty": _("The frame file is empty: it needs a header row."),
            "columns": _("The frame file needs the columns station_id and stratum; its "
                         "header has: %(header)s"),
            "no_stations": _("The frame file has no stations."),
        },
        "problems": {
            "fields": _("%(found)s fields where the header has %(expected)s."),
            "empty_id": _("The station id is empty."),
            "id_lines": _("The station id spans several lines."),
            "duplicate": _("Station %(id)s is already in the frame (row %(first)s)."),
            "empty_stratum": _("The stratum is empty."),
            "stratum_lines": _("The stratum spans several lines."),
        },
        "kinds": {
            "malformed": _("The published draw is not in the expected form (%(where)s)."),
            "algorithm": _("The published draw does not use the algorithm shafaf-sample/1."),
            "frame_sha256": _("The draw was made from another frame file: its hash "
                              "differs from this file's."),
            "seed_sha256": _("The draw was made with another seed: the seed's hash differs."),
            "size": _("The strata's numbers do not add up to the stations listed, or the "
                      "list is empty or longer than the frame."),
            "strata": _("The number drawn in stratum %(where)s is not the one the frame "
                        "gives."),
            "stations": _("The station at place %(where)s of the list is not the one the "
                          "draw gives."),
        },
    }
    return render(request, "portal/pvt_verify.html", {"verifier_messages": messages})
