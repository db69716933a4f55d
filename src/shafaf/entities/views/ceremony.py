"""The ballot-number lottery ceremony (docs/lottery.md, "The ceremony").

Staff pages, for the commission's administrators who run it and the Board members who
sign it off: ``staff/lottery/`` (the draws, and freezing a new one) and
``staff/lottery/<id>/`` (sealing the commitments, closing the reveals, the beacon's
value, the run, sign-off, correction). ``staff/lottery/<id>/my-part/`` is each
contributor's (agents of the entities in the draw, observers, civil-society
coordinators, commission staff): commit to a part of the seed, then reveal it.
Public pages, for agents, observers, the press and anyone: ``lottery/<election>/``
(what was frozen, the seed as it is built, the numbers), its ``projector/`` view for
the screen in the hall, and ``transcript.json``, which the in-browser verifier checks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shafaf.access.checks import P, View, can, require
from shafaf.access.people import Visitor
from shafaf.access.roles import Capability
from shafaf.core import lottery
from shafaf.core.ceremony import STEP_ACTORS, Actor, DrawStep, steps_from
from shafaf.core.certification import ListState
from shafaf.elections.models import Election, Governorate
from shafaf.entities import labels
from shafaf.entities.actions import ceremony
from shafaf.entities.models import DrawStatus, LotteryDraw, NominationList
from shafaf.entities.selectors import awaiting_a_number, lottery_participants
from shafaf.refusals.pages import run

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PROJECTOR_REFRESH_SECONDS = 5
# A draw's id in ?draw=: longer is no draw (and int() refuses 4,300 digits).
DRAW_ID_DIGITS = 18

# --- Access ---------------------------------------------------------------------------

def _runs(user: Visitor) -> bool:
    return can(user, Capability.RUN_LOTTERY)


def _signs(user: Visitor) -> bool:
    return can(user, Capability.SIGN_OFF_LOTTERY)


def ceremony_staff(view: View[P]) -> View[P]:
    """The staff pages: for those who run the lottery and the Board, who signs it off."""

    @wraps(view)
    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (_runs(request.user) or _signs(request.user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def access_draw(user: Visitor, draw_id: int) -> LotteryDraw:
    if not (_runs(user) or _signs(user)):
        raise PermissionDenied
    return get_object_or_404(LotteryDraw.objects.select_related(
        "election", "frozen_by", "drawn_by", "signed_off_by", "supersedes"), pk=draw_id)


# --- Forms ----------------------------------------------------------------------------

def _confirm(label: StrOrPromise) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=True)


BEACON_HELP = gettext_lazy(
    "Announced now, before any commitment; its value closes the seed after the reveals: "
    "a named beacon's pulse at a stated time after the reveals will close.")


class FreezeForm(forms.Form):
    election = forms.ModelChoiceField(label=gettext_lazy("Election"),
                                      queryset=Election.objects.order_by("-polling_day"),
                                      empty_label=None)
    numbers = forms.CharField(
        label=gettext_lazy("Numbers to give out"), max_length=200,
        help_text=gettext_lazy("Ranges, separated by commas: 201-399, 401-500."))
    exclude = forms.CharField(label=gettext_lazy("Numbers left out"), max_length=200,
                              required=False,
                              help_text=gettext_lazy("Separated by commas: 256, 300."))
    beacon = forms.CharField(
        label=gettext_lazy("Public randomness beacon's round"), max_length=300,
        help_text=BEACON_HELP)
    confirm = _confirm(gettext_lazy(
        "Freeze the participants now: their list and its hash are published, and nobody "
        "can be added or removed afterwards."))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("numbers") is not None:
            try:
                lottery.parse_pool(data["numbers"], data.get("exclude") or "")
            except lottery.LotteryError:
                self.add_error("numbers", str(labels.CEREMONY_REFUSALS["bad_pool"]))
        return data


class CommitForm(forms.Form):
    commitment = forms.CharField(
        label=gettext_lazy("Commitment (SHA-256)"), min_length=64, max_length=64,
        help_text=gettext_lazy("Computed in your browser from your part and a secret, or "
                               "pasted: SHA-256 of shafaf-seed-part/1, the secret and the "
                               "part, each on its own line."))

    def clean_commitment(self) -> str:
        value: str = self.cleaned_data["commitment"].strip().lower()
        if not set(value) <= ceremony.SHA256_HEX:
            raise forms.ValidationError(labels.CEREMONY_REFUSALS["bad_commitment"])
        return value


class RevealForm(forms.Form):
    value = forms.CharField(label=gettext_lazy("Your part of the seed"),
                            max_length=ceremony.MAX_PART_LENGTH)
    nonce = forms.CharField(label=gettext_lazy("Your secret"),
                            max_length=ceremony.MAX_NONCE_LENGTH,
                            widget=forms.TextInput(attrs={"dir": "ltr",
                                                          "autocomplete": "off"}))


class SealForm(forms.Form):
    confirm = _confirm(gettext_lazy(
        "Seal the commitments now: nobody can commit any more, and the reveals open."))


class CloseRevealsForm(forms.Form):
    confirm = _confirm(gettext_lazy(
        "Close the reveals now: a part not revealed is left out and recorded as withheld."))


class BeaconValueForm(forms.Form):
    value = forms.CharField(label=gettext_lazy("The beacon's value"),
                            max_length=ceremony.MAX_BEACON_LENGTH)


class RunForm(forms.Form):
    confirm = _confirm(gettext_lazy(
        "Run the draw now, with this seed. It runs once: it can never be run again."))


class SignOffForm(forms.Form):
    confirm = _confirm(gettext_lazy(
        "On behalf of the Board of Commissioners, ratify this table of numbers: it is "
        "published and becomes every entity's ballot number."))


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for the correction"),
                             max_length=ceremony.MAX_REASON_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=gettext_lazy("Published with both draws."))
    numbers = forms.CharField(label=gettext_lazy("Numbers to give out"), max_length=200)
    exclude = forms.CharField(label=gettext_lazy("Numbers left out"), max_length=200,
                              required=False)
    beacon = forms.CharField(label=gettext_lazy("A new beacon round"), max_length=300,
                             help_text=BEACON_HELP)
    confirm = _confirm(gettext_lazy(
        "Set this draw aside and freeze a new one, with the participants as they are now. "
        "A published draw's numbers are withdrawn until the new draw is signed off."))


# --- What the pages show ----------------------------------------------------------------

def _pool_size(draw: LotteryDraw) -> int | None:
    try:
        return lottery.parse_pool(draw.numbers, draw.exclude).size()
    except lottery.LotteryError:
        return None


def _numbers(draw: LotteryDraw) -> list[dict[str, Any]]:
    """The drawn table, by number: number, participant id and the frozen name."""
    if not draw.transcript:
        return []
    names = {p["participant_id"]: p["name"] for p in draw.participants}
    return sorted(({"number": a["number"], "participant_id": a["participant_id"],
                    "name": names.get(a["participant_id"], "")}
                   for a in draw.transcript["assignments"]), key=lambda row: row["number"])


def _when(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text or "")
    except ValueError:
        return None


def _parts(draw: LotteryDraw) -> list[dict[str, Any]]:
    """The seed parts as committed: the commitment always, the value once revealed,
    withheld once the reveals are closed without it; times as times."""
    closed = draw.status not in (DrawStatus.FROZEN, DrawStatus.SEALED)
    return [{**part, "committed_at": _when(part.get("committed_at")),
             "revealed_at": _when(part.get("revealed_at")),
             "withheld": closed and part.get("value") is None}
            for part in draw.seed_parts]


def _summary(draw: LotteryDraw) -> dict[str, Any]:
    """What every page shows of a draw. Nothing here computes a draw: the numbers come
    only from the stored transcript, which exists only once the draw was run."""
    return {
        "draw": draw,
        "parts": _parts(draw),
        "revealed": ceremony.revealed_parts(draw),
        "pool_size": _pool_size(draw),
        "seed": ceremony.seed_of(draw),
        "numbers": _numbers(draw),
        "has_transcript": bool(draw.transcript),
    }


def _election(code: str) -> Election:
    return get_object_or_404(Election, code=code)


def _live(election: Election) -> LotteryDraw | None:
    """The election's live main draw (supplementary draws are listed apart)."""
    return (LotteryDraw.objects.filter(election=election, governorate=None)
            .exclude(status=DrawStatus.SUPERSEDED)
            .select_related("election", "frozen_by", "drawn_by", "signed_off_by",
                            "supersedes").first())


# --- Staff pages ------------------------------------------------------------------------

@ceremony_staff
def draws(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        require(request.user, Capability.RUN_LOTTERY)
    runs = _runs(request.user)
    form = FreezeForm(request.POST or None) if runs else None
    status = 400 if form is not None and form.is_bound and not form.is_valid() else 200
    if form is not None and form.is_valid():
        data = form.cleaned_data
        outcome = run(request, lambda: ceremony.freeze(
            actor=request.user, election=data["election"], numbers=data["numbers"],
            exclude=data["exclude"], beacon=data["beacon"]),
            done=_("The participants are frozen and their hash published."))
        if outcome.value is not None:
            return redirect("entities:ceremony_draw", draw_id=outcome.value.pk)
        form.add_error(None, outcome.lines)
    elections = list(Election.objects.order_by("-polling_day"))
    listing = LotteryDraw.objects.select_related("election").order_by("election_id",
                                                                       "-frozen_at")
    by_election: dict[int, list[LotteryDraw]] = {}
    for draw in listing:
        by_election.setdefault(draw.election_id, []).append(draw)
    rows = [{"election": e, "draws": by_election.get(e.pk, []),
             "participants": lottery_participants(e).count()} for e in elections]
    return render(request, "entities/ceremony_draws.html", {
        "rows": rows, "form": form, "runs": runs}, status=status)


STAFF_STEPS = {step.value: step for step in (
    DrawStep.SEAL, DrawStep.CLOSE_REVEALS, DrawStep.BEACON, DrawStep.RUN, DrawStep.SIGN_OFF,
    DrawStep.CORRECT)}
"""The steps the staff page's POST may name; who takes each is the core's table
(``STEP_ACTORS``). Commit and reveal are on each contributor's own page."""


def _errors_of_hidden(step: str, form: forms.Form | None, steps: set[DrawStep]) -> str:
    """A refused form of a step the page does not offer now shows its errors in the
    page's alert: its own form is not on the page."""
    if not step or form is None or not form.errors or DrawStep(step) in steps:
        return ""
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


def _post_step(request: HttpRequest, allowed: dict[str, DrawStep],
               actors: frozenset[Actor]) -> tuple[str, str]:
    """The step a POST names and a refusal if it names none of ``allowed``; 403 if
    the user does not take that step."""
    if request.method != "POST":
        return "", ""
    step = request.POST.get("step", "")
    if step not in allowed:
        return "", _("This page has no such step.")
    if STEP_ACTORS[allowed[step]] not in actors:
        raise PermissionDenied
    return step, ""


@ceremony_staff
def draw_page(request: HttpRequest, draw_id: int) -> HttpResponse:
    draw = access_draw(request.user, draw_id)
    user = request.user
    step, refusal = _post_step(request, STAFF_STEPS, ceremony.actors_for(user))
    posted = request.POST if step else None
    forms_: dict[str, forms.Form] = {
        "seal": SealForm(posted if step == "seal" else None, prefix="seal"),
        "close_reveals": CloseRevealsForm(posted if step == "close_reveals" else None,
                                          prefix="close_reveals"),
        "beacon": BeaconValueForm(posted if step == "beacon" else None, prefix="beacon"),
        "run": RunForm(posted if step == "run" else None, prefix="run"),
        "sign_off": SignOffForm(posted if step == "sign_off" else None, prefix="sign_off"),
        "correct": CorrectionForm(posted if step == "correct" else None, prefix="correct",
                                  initial={"numbers": draw.numbers, "exclude": draw.exclude}),
    }
    status = 400 if refusal or (step and not forms_[step].is_valid()) else 200
    if step and forms_[step].is_valid():
        data = forms_[step].cleaned_data
        actions: dict[str, tuple[Callable[[], LotteryDraw], str]] = {
            "seal": (lambda: ceremony.seal(actor=user, draw=draw),
                     _("The commitments are sealed. The reveals are open.")),
            "close_reveals": (lambda: ceremony.close_reveals(actor=user, draw=draw),
                              _("The reveals are closed.")),
            "beacon": (lambda: ceremony.record_beacon_value(
                actor=user, draw=draw, value=data["value"]), _("Beacon value recorded.")),
            "run": (lambda: ceremony.run(actor=user, draw=draw),
                    _("The draw is done. It awaits the Board's sign-off.")),
            "sign_off": (lambda: ceremony.sign_off(actor=user, draw=draw),
                         _("Signed off: the numbers are published.")),
            "correct": (lambda: ceremony.correct(
                actor=user, draw=draw, reason=data["reason"], numbers=data["numbers"],
                exclude=data["exclude"], beacon=data["beacon"]),
                _("The draw is set aside; a new draw is frozen in its place.")),
        }
        action, done = actions[step]
        outcome = run(request, action, done=done)
        if outcome.value is not None:
            return redirect("entities:ceremony_draw", draw_id=outcome.value.pk)
        refusal = outcome.lines[0]
        forms_[step].add_error(None, refusal)
    # The core's table says which steps this user may take now; the page offers those.
    steps = set(steps_from(draw.status, ceremony.actors_for(user, draw),
                           ceremony.facts_of(draw, user)))
    refusal = refusal or _errors_of_hidden(step, forms_.get(step), steps)
    return render(request, "entities/ceremony_draw.html", {
        **_summary(draw), "forms": forms_, "refusal": refusal,
        "runs": _runs(user), "signs": _signs(user),
        **{f"show_{name}": DrawStep(name) in steps for name in STAFF_STEPS},
        "contributes": Actor.CONTRIBUTOR in ceremony.actors_for(user, draw),
        "superseded_by": LotteryDraw.objects.filter(supersedes=draw).first(),
    }, status=status)


CONTRIBUTOR_STEPS = {step.value: step for step in (DrawStep.COMMIT, DrawStep.REVEAL)}


def my_part(request: HttpRequest, draw_id: int) -> HttpResponse:
    """A contributor's own part of a draw's seed: commit to it (only its hash leaves the
    browser), then, once the commitments are sealed, reveal it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    draw = get_object_or_404(LotteryDraw.objects.select_related("election", "frozen_by"),
                             pk=draw_id)
    actors = ceremony.actors_for(user, draw)
    if Actor.CONTRIBUTOR not in actors:
        raise PermissionDenied
    step, refusal = _post_step(request, CONTRIBUTOR_STEPS, actors)
    posted = request.POST if step else None
    forms_: dict[str, forms.Form] = {
        "commit": CommitForm(posted if step == "commit" else None, prefix="commit"),
        "reveal": RevealForm(posted if step == "reveal" else None, prefix="reveal"),
    }
    status = 400 if refusal or (step and not forms_[step].is_valid()) else 200
    if step and forms_[step].is_valid():
        data = forms_[step].cleaned_data
        actions: dict[str, tuple[Callable[[], LotteryDraw], str]] = {
            "commit": (lambda: ceremony.commit(actor=user, draw=draw,
                                               commitment=data["commitment"]),
                       _("Your commitment is recorded. Keep your part and your secret: "
                         "you reveal them once the commitments are sealed.")),
            "reveal": (lambda: ceremony.reveal(actor=user, draw=draw, value=data["value"],
                                               nonce=data["nonce"]),
                       _("Your part is revealed: it matches your commitment.")),
        }
        action, done = actions[step]
        outcome = run(request, action, done=done)
        if outcome.value is not None:
            return redirect("entities:ceremony_my_part", draw_id=draw.pk)
        refusal = outcome.lines[0]
        forms_[step].add_error(None, refusal)
    steps = set(steps_from(draw.status, actors, ceremony.facts_of(draw, user)))
    refusal = refusal or _errors_of_hidden(step, forms_.get(step), steps)
    return render(request, "entities/ceremony_my_part.html", {
        **_summary(draw), "forms": forms_, "refusal": refusal,
        "mine": ceremony.own_part(draw, user),
        "show_commit": DrawStep.COMMIT in steps, "show_reveal": DrawStep.REVEAL in steps,
    }, status=status)


class SupplementaryForm(forms.Form):
    election = forms.ModelChoiceField(label=gettext_lazy("Election"),
                                      queryset=Election.objects.order_by("-polling_day"),
                                      empty_label=None)
    governorate = forms.ModelChoiceField(label=gettext_lazy("Governorate"),
                                         queryset=Governorate.objects.order_by("code"))
    beacon = forms.CharField(label=gettext_lazy("Public randomness beacon's round"),
                             max_length=300, help_text=BEACON_HELP)
    confirm = _confirm(gettext_lazy(
        "Freeze these participants now: their list and its hash are published, with the "
        "numbers they will draw from."))


@ceremony_staff
def supplementary(request: HttpRequest) -> HttpResponse:
    """Lists certified after the draw: who awaits a number, and freezing the
    supplementary draw of one governorate."""
    if request.method == "POST":
        require(request.user, Capability.RUN_LOTTERY)
    runs = _runs(request.user)
    form = SupplementaryForm(request.POST or None) if runs else None
    status = 400 if form is not None and form.is_bound and not form.is_valid() else 200
    if form is not None and form.is_valid():
        data = form.cleaned_data
        outcome = run(request, lambda: ceremony.freeze_supplementary(
            actor=request.user, election=data["election"], governorate=data["governorate"],
            beacon=data["beacon"]),
            done=_("The participants are frozen and their hash published."))
        if outcome.value is not None:
            return redirect("entities:ceremony_draw", draw_id=outcome.value.pk)
        form.add_error(None, outcome.lines)
    awaiting = [
        {"election": e, "lists": NominationList.objects.filter(
            entity__in=awaiting_a_number(e), status=ListState.CERTIFIED)
            .select_related("entity", "contest__governorate")
            .order_by("contest__governorate__code", "entity__code")}
        for e in Election.objects.order_by("-polling_day")]
    return render(request, "entities/ceremony_supplementary.html", {
        "awaiting": awaiting, "form": form}, status=status)


# --- Public pages -----------------------------------------------------------------------

def _transcript_url(election: Election, draw: LotteryDraw | None = None) -> str:
    url = reverse("entities:ceremony_transcript", kwargs={"election": election.code})
    return f"{url}?draw={draw.pk}" if draw else url


def public(request: HttpRequest, election: str) -> HttpResponse:
    subject = _election(election)
    live = _live(subject)
    history = list(LotteryDraw.objects.filter(election=subject, status=DrawStatus.SUPERSEDED)
                   .select_related("superseded_by").order_by("-frozen_at"))
    supplementary = (LotteryDraw.objects.filter(election=subject, governorate__isnull=False)
                     .exclude(status=DrawStatus.SUPERSEDED).select_related("governorate")
                     .order_by("frozen_at"))
    return render(request, "entities/ceremony_public.html", {
        "election": subject,
        **(_summary(live) if live else {"draw": None}),
        "contributes": live is not None
        and Actor.CONTRIBUTOR in ceremony.actors_for(request.user, live),
        "supplementary": [{"draw": d, "transcript_url": _transcript_url(subject, d),
                           "numbers": _numbers(d)} for d in supplementary],
        "transcript_url": _transcript_url(subject),
        "history": [{"draw": d, "transcript_url": _transcript_url(subject, d),
                     "numbers": _numbers(d)} for d in history],
    })


def projector(request: HttpRequest, election: str) -> HttpResponse:
    """For the screen in the hall: large, high contrast, and it reloads itself. The
    election's draw, or a supplementary draw of it with ``?draw=<id>``."""
    subject = _election(election)
    wanted = request.GET.get("draw", "")
    live: LotteryDraw | None
    if wanted:
        if not wanted.isdigit() or len(wanted) > DRAW_ID_DIGITS:
            raise Http404
        live = get_object_or_404(LotteryDraw.objects.filter(election=subject)
                                 .exclude(status=DrawStatus.SUPERSEDED), pk=int(wanted))
    else:
        live = _live(subject)
    response = render(request, "entities/ceremony_projector.html", {
        "election": subject, **(_summary(live) if live else {"draw": None}),
        "refresh": PROJECTOR_REFRESH_SECONDS})
    response["Refresh"] = str(PROJECTOR_REFRESH_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def transcript(request: HttpRequest, election: str) -> HttpResponse:
    """The transcript (docs/lottery.md) of the election's live draw once it is run, or
    of an earlier, superseded one with ``?draw=<id>``."""
    subject = _election(election)
    wanted = request.GET.get("draw", "")
    if wanted:
        if not wanted.isdigit() or len(wanted) > DRAW_ID_DIGITS:
            raise Http404
        draw = LotteryDraw.objects.filter(election=subject, pk=int(wanted)).first()
    else:
        draw = _live(subject)
    if draw is None or not draw.transcript:
        raise Http404
    response = JsonResponse(draw.transcript, json_dumps_params={"ensure_ascii": False,
                                                                "indent": 2})
    response["Content-Disposition"] = (
        f'attachment; filename="{subject.code}-lottery-draw-{draw.pk}.json"')
    response["Cache-Control"] = "no-cache"
    return response


urlpatterns = [
    path("staff/lottery/", draws, name="ceremony_draws"),
    path("staff/lottery/<int:draw_id>/", draw_page, name="ceremony_draw"),
    path("staff/lottery/<int:draw_id>/my-part/", my_part, name="ceremony_my_part"),
    path("staff/lottery/supplementary/", supplementary, name="ceremony_supplementary"),
    path("lottery/<slug:election>/", public, name="ceremony_public"),
    path("lottery/<slug:election>/projector/", projector, name="ceremony_projector"),
    path("lottery/<slug:election>/transcript.json", transcript, name="ceremony_transcript"),
]
