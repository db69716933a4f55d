"""The update campaign's pages: the staff's requests (list, entry form, a request's
page with its steps, the bulk removal of the deceased), the public status check
and the public campaign figures (docs/register-campaign.md)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import get_language_bidi, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from shafaf.access.addresses import counted_client
from shafaf.access.checks import can, capability_required, governorate_scope, require
from shafaf.access.people import Visitor
from shafaf.access.roles import Capability
from shafaf.core import register_requests as rules
from shafaf.elections.models import Election, PollingCentre, RegistrationCentre
from shafaf.refusals import problem_files
from shafaf.refusals.names import no_bidi_controls
from shafaf.refusals.pages import form_lines, run
from shafaf.register import campaign, campaign_figures, campaign_status
from shafaf.register.models import (
    MOTHER_NAME_LENGTH,
    NAME_LENGTH,
    REQUEST_NOTE_LENGTH,
    VOTER_NUMBER_LENGTH,
    CampaignRequest,
    CardKind,
    Category,
    Finalisation,
    RequestKind,
    RequestState,
    Sex,
)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
PER_PAGE = 50

# The fields each kind's form asks for, in order.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    RequestKind.NEW_REGISTRATION: ("first_name", "father_name", "grandfather_name",
                                   "family_name", "mother_name", "sex", "birth_date",
                                   "target_centre"),
    RequestKind.TRANSFER: ("voter_number", "target_centre", "proof_of_residence", "note"),
    RequestKind.CORRECTION: ("voter_number", "first_name", "father_name", "grandfather_name",
                             "family_name", "mother_name", "sex", "birth_date", "note"),
    RequestKind.REPLACEMENT_CARD: ("voter_number", "card_kind", "note"),
    RequestKind.SPECIAL_VOTING: ("voter_number", "category", "note"),
    RequestKind.REMOVAL_OF_DECEASED: ("voter_number", "death_evidence", "death_date"),
}
SPECIAL = [(Category.SECURITY_FORCES.value, Category.SECURITY_FORCES.label),
           (Category.DISPLACED.value, Category.DISPLACED.label)]


def _elections() -> Any:
    return Election.objects.order_by("-polling_day")


def _name(label: Any, length: int = NAME_LENGTH) -> forms.CharField:
    return forms.CharField(label=label, max_length=length, required=False,
                           validators=[no_bidi_controls])


class RequestForm(forms.Form):
    election = forms.ModelChoiceField(queryset=Election.objects.none(),
                                      label=gettext_lazy("election"), empty_label=None)
    registration_centre = forms.ModelChoiceField(
        queryset=RegistrationCentre.objects.none(), label=gettext_lazy("registration centre"))
    voter_number = forms.CharField(label=gettext_lazy("voter number"),
                                   max_length=VOTER_NUMBER_LENGTH, required=False)
    first_name = _name(gettext_lazy("first name"))
    father_name = _name(gettext_lazy("father's name"))
    grandfather_name = _name(gettext_lazy("grandfather's name"))
    family_name = _name(gettext_lazy("family name"))
    mother_name = _name(gettext_lazy("mother's name"), MOTHER_NAME_LENGTH)
    sex = forms.ChoiceField(label=gettext_lazy("sex"), required=False,
                            choices=[("", "—"), *Sex.choices])
    birth_date = forms.DateField(label=gettext_lazy("birth date"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    target_centre = forms.CharField(label=gettext_lazy("new polling centre (code)"),
                                    max_length=16, required=False)
    category = forms.ChoiceField(label=gettext_lazy("category"), required=False,
                                 choices=[("", "—"), *SPECIAL])
    card_kind = forms.ChoiceField(label=gettext_lazy("card"), required=False,
                                  choices=[("", "—"), *CardKind.choices])
    proof_of_residence = forms.BooleanField(label=gettext_lazy("proof of residence shown"),
                                            required=False)
    note = forms.CharField(label=gettext_lazy("note"), max_length=REQUEST_NOTE_LENGTH,
                           required=False, validators=[no_bidi_controls])
    death_evidence = forms.CharField(label=gettext_lazy("evidence of death"),
                                     max_length=REQUEST_NOTE_LENGTH, required=False)
    death_date = forms.DateField(label=gettext_lazy("date of death"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, user: Visitor, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["election"].queryset = _elections()  # type: ignore[attr-defined]
        centres = RegistrationCentre.objects.select_related("governorate")
        scope = governorate_scope(require(user, Capability.HANDLE_REGISTER_REQUESTS))
        if scope is not None:
            centres = centres.filter(governorate_id=scope)
        self.fields["registration_centre"].queryset = centres  # type: ignore[attr-defined]
        if kind != RequestKind.NEW_REGISTRATION and "voter_number" in KIND_FIELDS[kind]:
            self.fields["voter_number"].required = True

    def shown(self) -> list[forms.BoundField]:
        return [self[name] for name in ("election", "registration_centre",
                                        *KIND_FIELDS[self.kind])]

    def clean_target_centre(self) -> PollingCentre | None:
        code = self.cleaned_data.get("target_centre", "").strip()
        election = self.cleaned_data.get("election")
        if not code or "target_centre" not in KIND_FIELDS[self.kind]:
            return None
        centre = PollingCentre.objects.filter(election=election, code=code).first()
        if centre is None:
            raise forms.ValidationError(_("No polling centre %(code)s in this election."),
                                        params={"code": code})
        return centre

    def data_for_action(self) -> campaign.RequestData:
        wanted = KIND_FIELDS[self.kind]
        values = {name: value for name, value in self.cleaned_data.items()
                  if name in wanted and name != "voter_number"}
        cleaned: dict[str, Any] = {name: (value.strip() if isinstance(value, str) else value)
                                   for name, value in values.items()}
        return campaign.RequestData(**cleaned)


def _kind(request: HttpRequest) -> str | None:
    kind = request.GET.get("kind", "")
    return kind if kind in RequestKind.values else None


@capability_required(Capability.HANDLE_REGISTER_REQUESTS)
def new_request(request: HttpRequest) -> HttpResponse:
    kind = _kind(request)
    if kind is None:
        return render(request, "register/campaign_kinds.html", {"kinds": RequestKind.choices},
                      status=400 if request.method == "POST" else 200)
    form = RequestForm(request.POST or None, user=request.user, kind=kind)
    explanation: list[str] = []
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            explanation, status = form_lines(form), 400
        else:
            data = form.cleaned_data
            outcome = run(request, partial(
                campaign.submit_request, actor=request.user, election=data["election"],
                centre=data["registration_centre"], kind=kind,
                voter_number=data.get("voter_number", ""), data=form.data_for_action()),
                done=_("The request is submitted."))
            if outcome.value is not None:
                return redirect("register:campaign_request", pk=outcome.value.pk)
            explanation = outcome.lines
    return render(request, "register/campaign_new.html", {
        "form": form, "kind": kind, "kind_label": RequestKind(kind).label,
        "explanation": explanation}, status=status)


class ListFilter(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("state"), required=False,
                              choices=[("", "—"), *RequestState.choices])
    kind = forms.ChoiceField(label=gettext_lazy("kind"), required=False,
                             choices=[("", "—"), *RequestKind.choices])
    centre = forms.CharField(label=gettext_lazy("registration centre (code)"), max_length=16,
                             required=False)


@require_safe
@capability_required(Capability.VIEW_REGISTER)
def request_list(request: HttpRequest) -> HttpResponse:
    requests = campaign.visible_requests(request.user).select_related(
        "registration_centre", "governorate")
    chosen = ListFilter(request.GET)
    if chosen.is_valid():
        data = chosen.cleaned_data
        if data["state"]:
            requests = requests.filter(state=data["state"])
        if data["kind"]:
            requests = requests.filter(kind=data["kind"])
        if data["centre"]:
            requests = requests.filter(registration_centre__code=data["centre"].strip())
    page = Paginator(requests, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "register/campaign_list.html", {
        "page": page, "filter": chosen, "query": query.urlencode(),
        "may_submit": can(request.user, Capability.HANDLE_REGISTER_REQUESTS),
        "may_remove": can(request.user, Capability.DECIDE_REGISTER_REQUESTS)})


class StepForm(forms.Form):
    step = forms.ChoiceField(choices=[(step.value, step.value) for step in rules.RequestStep])
    reason = forms.CharField(max_length=REQUEST_NOTE_LENGTH, required=False,
                             label=gettext_lazy("reason for rejection"))
    confirm = forms.BooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("step") in ("reject", "apply") and not data.get("confirm"):
            raise forms.ValidationError(_("Tick the box to confirm."))
        return data


def _available_steps(request: HttpRequest, subject: CampaignRequest) -> list[str]:
    final = Finalisation.objects.filter(election_id=subject.election_id).exists()
    facts = rules.StepFacts(verified_it=subject.verified_by_id == request.user.pk,
                            register_final=final)
    return [step.value for step in rules.steps_from(subject.state,
                                                    campaign.actors_of(request.user), facts)]


@capability_required(Capability.VIEW_REGISTER)
def request_page(request: HttpRequest, pk: int) -> HttpResponse:
    subject = campaign.visible_requests(request.user).select_related(
        "voter", "voter__centre", "registration_centre", "target_centre", "governorate",
        "submitted_by", "verified_by", "decided_by", "applied_by").filter(pk=pk).first()
    if subject is None:
        raise Http404
    explanation: list[str] = []
    status = 200
    if request.method == "POST":
        asked = request.POST.get("step", "")
        if asked in rules.RequestStep._value2member_map_ and not can(
                request.user, campaign.STEP_CAPABILITY[rules.RequestStep(asked)]):
            return HttpResponse(status=403)
        form = StepForm(request.POST)
        if not form.is_valid():
            explanation, status = form_lines(form), 400
        else:
            step = form.cleaned_data["step"]
            actions: dict[str, Callable[[], object]] = {
                "verify": partial(campaign.verify_request, actor=request.user,
                                  request=subject),
                "approve": partial(campaign.approve_request, actor=request.user,
                                   request=subject),
                "reject": partial(campaign.reject_request, actor=request.user,
                                  request=subject, reason=form.cleaned_data["reason"]),
                "apply": partial(campaign.apply_request, actor=request.user, request=subject)}
            outcome = run(request, actions[step], done=_("Recorded."))
            if not outcome.refused:
                return redirect("register:campaign_request", pk=subject.pk)
            explanation = outcome.lines
    return render(request, "register/campaign_request.html", {
        "subject": subject, "steps": _available_steps(request, subject),
        "explanation": explanation, "kind_fields": KIND_FIELDS[subject.kind]}, status=status)


@capability_required(Capability.DECIDE_REGISTER_REQUESTS)
def remove_deceased(request: HttpRequest) -> HttpResponse:
    explanation: list[str] = []
    problems_file: str | None = None
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        chosen = request.POST.get("election", "")
        election = (_elections().filter(pk=int(chosen)).first()
                    if chosen.isdigit() and len(chosen) < 10 else None)
        if upload is None or upload.size is None or upload.size > MAX_UPLOAD_BYTES:
            explanation, status = [_("Choose a CSV or XLSX file of at most 20 MB.")], 400
        elif election is None or not request.POST.get("confirm"):
            explanation, status = [_("Choose the election and tick the box to confirm.")], 400
        else:
            with problem_files.recorded(request.user.pk) as recorded:
                outcome = run(request, lambda: campaign.remove_deceased(
                    actor=request.user, election=election, name=upload.name or "",
                    content=upload.read()), done=_("Every voter in the file is removed."))
            if not outcome.refused:
                return redirect("register:campaign_requests")
            explanation, problems_file = outcome.lines, recorded.url
            if problems_file is not None:
                status = 400
    return render(request, "register/campaign_remove_deceased.html", {
        "explanation": explanation, "problems_file": problems_file,
        "elections": _elections(), "columns": campaign.BULK_COLUMNS}, status=status)


# --- public --------------------------------------------------------------------------

class StatusForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("request number"), max_length=20)
    birth_year = forms.IntegerField(label=gettext_lazy("birth year"), min_value=1900,
                                    max_value=9999)


def status_context(answer: campaign_status.Answer) -> dict[str, Any]:
    status = answer.status
    if status is None:
        return {"found": None}
    return {"found": {"number": status.number, "kind": RequestKind(status.kind).label,
                      "state": RequestState(status.state).label,
                      "rejection_reason": status.rejection_reason,
                      "steps": [(RequestState(state).label, day) for state, day in status.steps]}}


def request_status(request: HttpRequest) -> HttpResponse:
    form = StatusForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "checked": False}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "register/campaign_status.html",
                          {**context, "explanation": form_lines(form)}, status=400)
        answer = campaign_status.check(number=form.cleaned_data["number"],
                                       birth_year=form.cleaned_data["birth_year"],
                                       address=counted_client(request))
        if answer.throttled:
            response = render(request, "register/campaign_status.html", {
                **context, "retry_after": answer.retry_after}, status=429)
            response["Retry-After"] = str(answer.retry_after)
            return response
        context.update(checked=True, **status_context(answer))
    return render(request, "register/campaign_status.html", context)


def _figures_election(request: HttpRequest) -> Election:
    code = request.GET.get("election", "")
    elections = Election.objects.order_by("-polling_day")
    chosen = elections.filter(code=code[:32]).first() if code else elections.first()
    if chosen is None:
        raise Http404
    return chosen


@require_safe
def figures_page(request: HttpRequest) -> HttpResponse:
    election = _figures_election(request)
    found = campaign_figures.figures(election)
    labels = {kind.value: str(kind.label) for kind in RequestKind}
    rtl = get_language_bidi()

    def chart(rows: list[campaign_figures.Row], applied: bool, title: str, ident: str) -> Any:
        return campaign_figures.bar_chart(rows, applied=applied, title=title, labels=labels,
                                          rtl=rtl, ident=ident)

    return render(request, "register/campaign_figures.html", {
        "election": election, "elections": _elections(), "figures": found,
        "kinds": [(kind.value, kind.label, campaign_figures.COLOURS[kind])
                  for kind in RequestKind],
        "national": [(kind.label, found.national.submitted[kind], found.national.applied[kind])
                     for kind in RequestKind],
        "by_day": chart(found.days, False, _("Requests submitted per day, by kind"), "by-day"),
        "by_governorate": chart(found.governorates, False,
                                _("Requests submitted per governorate, by kind"), "by-gov"),
        "applied_by_governorate": chart(found.governorates, True,
                                        _("Requests applied per governorate, by kind"),
                                        "applied-gov")})


@require_safe
def figures_csv(request: HttpRequest) -> HttpResponse:
    election = _figures_election(request)
    response = HttpResponse(campaign_figures.figures_csv(campaign_figures.figures(election)),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="campaign-{election.code}.csv"'
    return response


urlpatterns = [
    path("staff/register/requests/", request_list, name="campaign_requests"),
    path("staff/register/requests/new/", new_request, name="campaign_new"),
    path("staff/register/requests/<int:pk>/", request_page, name="campaign_request"),
    path("staff/register/requests/remove-deceased/", remove_deceased,
         name="campaign_remove_deceased"),
    path("register/request-status/", request_status, name="campaign_status"),
    path("register/campaign/", figures_page, name="campaign_figures"),
    path("register/campaign/figures.csv", figures_csv, name="campaign_figures_csv"),
]
