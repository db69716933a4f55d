"""Accreditation's pages (docs/observation-accreditation.md): the public application
and badge verifier, the commission's organisations and accreditation queue, the
coordinator's observers, badges as PDF, the observer's code of conduct."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from shafaf.access.addresses import client_address
from shafaf.access.checks import can, capability_required
from shafaf.access.people import Account
from shafaf.access.roles import Capability
from shafaf.core.badge_codes import shown
from shafaf.elections.models import Election, Governorate
from shafaf.observation import accreditation as acc
from shafaf.observation import badge_job
from shafaf.observation import badges as badge_pdf
from shafaf.observation.models import (
    Badge,
    Observer,
    ObserverStatus,
    Organisation,
    OrganisationKind,
)
from shafaf.refusals.pages import form_lines, run
from shafaf.tabular import ImportRejected

PAGE_ROWS = 500
R = TypeVar("R", bound=HttpResponseBase)


class ApplicationForm(forms.Form):
    election = forms.ModelChoiceField(Election.objects.order_by("-polling_day"),
                                      label=gettext_lazy("Election"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=[
        (OrganisationKind.LOCAL.value, OrganisationKind.LOCAL.label),
        (OrganisationKind.INTERNATIONAL.value, OrganisationKind.INTERNATIONAL.label)])
    name_ar = forms.CharField(label=gettext_lazy("Name (Arabic)"), max_length=200)
    name_ckb = forms.CharField(label=gettext_lazy("Name (Kurdish)"), max_length=200,
                               required=False)
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=200,
                              required=False)
    registration_number = forms.CharField(
        label=gettext_lazy("NGO registration number"), max_length=64, required=False,
        help_text=gettext_lazy("Local organisations: the number of the NGO directorate."))
    governorates = forms.ModelMultipleChoiceField(
        Governorate.objects.order_by("code"), label=gettext_lazy("Governorates"),
        widget=forms.CheckboxSelectMultiple)
    contact_name = forms.CharField(label=gettext_lazy("Contact person"), max_length=200)
    contact_email = forms.EmailField(label=gettext_lazy("Contact e-mail"), max_length=254)
    contact_phone = forms.RegexField(label=gettext_lazy("Contact telephone"),
                                     regex=r"^\+?[0-9 ]{7,20}$", max_length=32,
                                     required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("kind") == OrganisationKind.LOCAL and not data.get("registration_number"):
            self.add_error("registration_number",
                           _("A local organisation gives its NGO registration number."))
        return data

    def application(self, kind: str | None = None) -> acc.Application:
        data = self.cleaned_data
        return acc.Application(
            election=data["election"], kind=kind or data["kind"], name_ar=data["name_ar"],
            name_ckb=data["name_ckb"], name_en=data["name_en"],
            registration_number=data["registration_number"],
            governorates=tuple(data["governorates"]), contact_name=data["contact_name"],
            contact_email=data["contact_email"], contact_phone=data["contact_phone"])


class AgentsForm(ApplicationForm):
    """The same form, without the kind (party agents) or a registration number."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        del self.fields["kind"]

    def clean(self) -> dict[str, object]:
        return forms.Form.clean(self) or {}


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """The public application: an organisation has no account yet."""
    form = ApplicationForm(request.POST or None)
    if request.method == "POST":
        address = client_address(request)
        wait = acc.applications_refused(address)
        if wait is not None:
            response = render(request, "observation/accreditation/apply.html", {
                "form": form, "errors": [_(
                    "Too many applications were sent from your connection this hour; "
                    "nothing was recorded. Try again in an hour, or write to the "
                    "commission.")]}, status=429)
            response["Retry-After"] = str(wait)
            return response
        if not form.is_valid():
            return render(request, "observation/accreditation/apply.html",
                          {"form": form, "errors": form_lines(form)}, status=400)
        made = acc.apply(form.application(), address=address)
        return render(request, "observation/accreditation/applied.html", {"organisation": made})
    return render(request, "observation/accreditation/apply.html", {"form": form})


@require_http_methods(["GET", "POST"])
@capability_required(Capability.MANAGE_OBSERVERS)
def agents(request: HttpRequest) -> HttpResponse:
    """An entity's agent registers its party agents' organisation."""
    user: Account = request.user  # type: ignore[assignment]
    form = AgentsForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "observation/accreditation/agents.html",
                          {"form": form, "errors": form_lines(form)}, status=400)
        outcome = run(request, lambda: acc.register_agents(
            actor=user, application=form.application(OrganisationKind.AGENTS)),
            done=_("Your party agents' organisation is registered: the commission will "
                   "approve it."))
        if not outcome.refused:
            return redirect("observation:observers")
        return render(request, "observation/accreditation/agents.html",
                      {"form": form, "errors": outcome.lines}, status=409)
    return render(request, "observation/accreditation/agents.html",
                  {"form": form, "organisation": acc.organisation_of(user)})


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=acc.REASON_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 2}))


@require_safe
@capability_required(Capability.ACCREDIT_OBSERVERS)
def organisations(request: HttpRequest) -> HttpResponse:
    found = (Organisation.objects.select_related("election", "entity")
             .prefetch_related("governorates").order_by("status", "-applied")[:PAGE_ROWS])
    return render(request, "observation/accreditation/organisations.html",
                  {"organisations": found, "reason_form": ReasonForm()})


@require_http_methods(["POST"])
@capability_required(Capability.ACCREDIT_OBSERVERS)
def organisation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user: Account = request.user  # type: ignore[assignment]
    organisation = get_object_or_404(Organisation, pk=pk)
    step = request.POST.get("step", "")
    if step == "approve":
        outcome = run(request, lambda: acc.approve(actor=user, organisation=organisation),
                      done=_("The organisation is approved."), flash_refusal=True)
        if outcome.value is not None and outcome.value.password:
            # The coordinator's one-time password: shown here once, never again.
            return render(request, "observation/accreditation/approved.html",
                          {"approved": outcome.value})
    elif step == "reject":
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason."))
            return render(request, "observation/accreditation/organisations.html", {
                "organisations": Organisation.objects.none(), "reason_form": form,
                "errors": form_lines(form)}, status=400)
        run(request, lambda: acc.reject(actor=user, organisation=organisation,
                                        reason=form.cleaned_data["reason"]),
            done=_("The organisation is rejected."), flash_refusal=True)
    else:
        return HttpResponse(_("Unknown step."), status=400)
    return redirect("observation:organisations")


def _observers_allowed(request: HttpRequest) -> Account:
    """The observers pages: the accreditation staff, or a coordinator (their own)."""
    if not request.user.is_authenticated:
        raise _Login
    user: Account = request.user
    if not (can(user, Capability.ACCREDIT_OBSERVERS) or can(user, Capability.MANAGE_OBSERVERS)):
        raise PermissionDenied
    return user


class _Login(Exception):
    pass


def _guard(view: Callable[..., R]) -> Callable[..., R | HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> R | HttpResponse:
        try:
            _observers_allowed(request)
        except _Login:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


class ObserverForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=acc.NAME_LENGTH)
    voter_number = forms.CharField(label=gettext_lazy("Voter number"), max_length=32,
                                   required=False)
    birth_date = forms.CharField(label=gettext_lazy("Birth date"), max_length=40,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), choices=[("M", gettext_lazy("male")),
                                                                 ("F", gettext_lazy("female"))])
    phone = forms.CharField(label=gettext_lazy("Telephone"), max_length=32, required=False)
    governorate = forms.CharField(label=gettext_lazy("Governorate"), max_length=100)
    nationality = forms.CharField(label=gettext_lazy("Nationality"), max_length=64,
                                  required=False)
    passport_number = forms.CharField(label=gettext_lazy("Passport number"), max_length=32,
                                      required=False)


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV or XLSX file"))


def _observers_page(request: HttpRequest, user: Account, *, status: int = 200,
                    **extra: object) -> HttpResponse:
    organisation = acc.organisation_of(user)
    shown = acc.observers_for(user).order_by("organisation__name_ar", "full_name")
    wanted = request.GET.get("status", "")[:16]
    if wanted in ObserverStatus.values:
        shown = shown.filter(status=wanted)
    rows = list(shown[:PAGE_ROWS])
    badges = acc.latest_badges(Observer.objects.filter(pk__in=[o.pk for o in rows]))
    governorates = organisation.governorates.all() if organisation is not None else []
    return render(request, "observation/accreditation/observers.html", {
        "organisation": organisation, "rows": [(o, badges.get(o.pk)) for o in rows],
        "total": shown.count(), "form": extra.pop("form", ObserverForm()),
        "upload": UploadForm(), "governorates": governorates, "columns": acc.COLUMNS,
        "commission": can(user, Capability.ACCREDIT_OBSERVERS), **extra}, status=status)


@require_http_methods(["GET", "POST"])
@_guard
def observers(request: HttpRequest) -> HttpResponse:
    user: Account = request.user  # type: ignore[assignment]
    if request.method == "GET":
        return _observers_page(request, user)
    organisation = acc.organisation_of(user)
    if organisation is None:
        raise PermissionDenied  # the accreditation staff do not submit observers
    step = request.POST.get("step", "")
    if step == "add":
        form = ObserverForm(request.POST)
        if not form.is_valid():
            return _observers_page(request, user, form=form, errors=form_lines(form),
                                   status=400)
        outcome = run(request, lambda: acc.add_observer(
            actor=user, organisation=organisation, values=form.cleaned_data, translate=_),
            done=_("The observer is submitted for accreditation."))
        if outcome.refused:
            return _observers_page(request, user, form=form, errors=outcome.lines,
                                   status=409)
        return redirect("observation:observers")
    if step == "upload":
        upload = UploadForm(request.POST, request.FILES)
        if not upload.is_valid():
            return _observers_page(request, user, errors=form_lines(upload), status=400)
        file = upload.cleaned_data["file"]
        if file.size > acc.FILE_BYTES:
            return _observers_page(request, user, errors=[
                _("The file is larger than %(limit)s MB.") % {
                    "limit": acc.FILE_BYTES // (1024 * 1024)}], status=400)
        try:
            count = acc.import_observers(actor=user, organisation=organisation,
                                         name=file.name or "observers", content=file.read(),
                                         translate=_)
        except ImportRejected as rejected:
            return _observers_page(request, user, problems=rejected.problems,
                                   unlisted=rejected.unlisted, total_problems=rejected.total,
                                   status=400)
        messages.success(request, _("%(count)s observers are submitted for accreditation.")
                         % {"count": count})
        return redirect("observation:observers")
    return HttpResponse(_("Unknown step."), status=400)


@require_safe
@capability_required(Capability.MANAGE_OBSERVERS)
def observers_template(request: HttpRequest) -> HttpResponse:
    """The file to fill in: the header and one example row."""
    user: Account = request.user  # type: ignore[assignment]
    organisation = acc.organisation_of(user)
    if organisation is None:
        raise Http404
    governorate = organisation.governorates.order_by("code").first()
    international = organisation.kind == OrganisationKind.INTERNATIONAL
    example = {"full_name": "Jane Doe" if international else "علي حسن كاظم",
               "voter_number": "" if international else "100000000001",
               "birth_date": "1990-04-12", "sex": "F" if international else "M",
               "phone": "+9647701234567", "governorate": governorate.code if governorate else "",
               "nationality": "Norway" if international else "",
               "passport_number": "P1234567" if international else ""}
    body = ",".join(acc.COLUMNS) + "\r\n" + ",".join(example[c] for c in acc.COLUMNS) + "\r\n"
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="observers-template.csv"'
    return response


class PhotoForm(forms.Form):
    photo = forms.FileField(label=gettext_lazy("Photo (PNG or JPEG)"))


@require_http_methods(["GET", "POST"])
@_guard
def observer(request: HttpRequest, pk: int) -> HttpResponse:
    user: Account = request.user  # type: ignore[assignment]
    one = acc.observer_for(user, pk) if _visible(user, pk) else None
    if one is None:
        raise Http404
    shown: dict[str, object] = {}
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step == "photo":
            form = PhotoForm(request.POST, request.FILES)
            if not form.is_valid() or form.cleaned_data["photo"].size > 4 * 1024 * 1024:
                return HttpResponse(_("Choose a photo (PNG or JPEG)."), status=400)
            run(request, lambda: acc.set_photo(
                actor=user, observer=one, content=form.cleaned_data["photo"].read()),
                done=_("The photo is saved."), flash_refusal=True)
        elif step == "revoke":
            reason = ReasonForm(request.POST)
            if not reason.is_valid():
                return HttpResponse(_("Give the reason."), status=400)
            run(request, lambda: acc.revoke(actor=user, observer=one,
                                            reason=reason.cleaned_data["reason"]),
                done=_("The accreditation is revoked: the verifier says so at once."),
                flash_refusal=True)
        elif step == "password":
            outcome = run(request, lambda: acc.give_password(actor=user, observer=one),
                          done=_("A one-time password is given: it is shown once."),
                          flash_refusal=True)
            if outcome.value is not None:
                shown = {"username": outcome.value[0], "password": outcome.value[1]}
                one.refresh_from_db()
                return _observer_page(request, user, one, shown)
        else:
            return HttpResponse(_("Unknown step."), status=400)
        return redirect("observation:observer", pk=one.pk)
    return _observer_page(request, user, one, shown)


def _visible(user: Account, pk: int) -> bool:
    return acc.observers_for(user).filter(pk=pk).exists()


def _observer_page(request: HttpRequest, user: Account, one: Observer,
                   shown: dict[str, object]) -> HttpResponse:
    return render(request, "observation/accreditation/observer.html", {
        "observer": one, "badges": one.badges.all(), "shown": shown,
        "checks": _check_rows(one), "reason_form": ReasonForm(), "photo_form": PhotoForm(),
        "mine": acc.organisation_of(user) == one.organisation,
        "commission": can(user, Capability.ACCREDIT_OBSERVERS)})


CHECK_NAMES = {
    "age": gettext_lazy("18 or older on polling day"),
    "voter": gettext_lazy("An active voter, birth date as in the register"),
    "passport": gettext_lazy("Passport and nationality (international observers)"),
    "candidate": gettext_lazy("Not a candidate"),
    "agent": gettext_lazy("Not an entity's agent (party agents: not another entity's)"),
    "twice": gettext_lazy("Not accredited twice"),
    "staff": gettext_lazy("Not on the commission's staff"),
}
REASONS = {
    "under_18": gettext_lazy("under 18 on polling day"),
    "no_voter_number": gettext_lazy("no voter number"),
    "not_in_register": gettext_lazy("the voter number is not in the register"),
    "not_active_voter": gettext_lazy("not an active voter"),
    "birth_date_differs": gettext_lazy("the birth date differs from the register's"),
    "no_passport": gettext_lazy("no passport number or nationality"),
    "is_candidate": gettext_lazy("a candidate of this election has this name and birth date"),
    "is_agent": gettext_lazy("an entity's agent"),
    "accredited_twice": gettext_lazy("the same person is accredited or submitted elsewhere"),
    "is_staff": gettext_lazy("a commission staff account has this name"),
}
OUTCOMES = {"ok": gettext_lazy("passed"), "fail": gettext_lazy("failed"),
            "skip": gettext_lazy("does not apply")}


def _check_rows(one: Observer) -> list[tuple[str, str, str, str]]:
    from shafaf.core.accreditation_checks import outcome

    rows = []
    for name, label in CHECK_NAMES.items():
        value = (one.checks or {}).get(name)
        if value is None:
            continue
        result = outcome(value)
        reason = value.get("reason", "") if isinstance(value, dict) else ""
        rows.append((str(label), result, str(OUTCOMES.get(result, result)),
                     str(REASONS.get(reason, reason))))
    return rows


@require_safe
@_guard
def observer_photo(request: HttpRequest, pk: int) -> HttpResponse:
    user: Account = request.user  # type: ignore[assignment]
    if not _visible(user, pk):
        raise Http404
    one = acc.observer_for(user, pk)
    if not one.photo:
        raise Http404
    response = HttpResponse(bytes(one.photo), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def _pdf(request: HttpRequest, badges: list[Badge], name: str) -> HttpResponse:
    pdf = badge_pdf.render(badges, request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@_guard
def observer_badge(request: HttpRequest, pk: int) -> HttpResponse:
    user: Account = request.user  # type: ignore[assignment]
    if not _visible(user, pk):
        raise Http404
    one = acc.observer_for(user, pk)
    printable = badge_job.printable_of([one])
    if not printable:
        return render(request, "observation/accreditation/no_badge.html",
                      {"observer": one}, status=409)
    return _pdf(request, printable, f"badge-{one.pk}.pdf")


@require_http_methods(["GET", "POST"])
@_guard
def organisation_badges(request: HttpRequest) -> HttpResponse:
    """All of an organisation's printable badges in one PDF: the coordinator's own;
    the accreditation staff name the organisation (?organisation=). Up to a chunk is
    laid out now; more are prepared by the job worker (a POST queues them)."""
    user: Account = request.user  # type: ignore[assignment]
    organisation = acc.organisation_of(user)
    if can(user, Capability.ACCREDIT_OBSERVERS):
        wanted = request.GET.get("organisation", "")[:12]
        if not wanted.isdigit():
            raise Http404
        organisation = get_object_or_404(Organisation, pk=int(wanted))
    if organisation is None:
        raise Http404
    if request.method == "POST":
        job = badge_job.queue(actor=user, organisation=organisation,
                              base=request.build_absolute_uri("/"))
        return redirect("jobs:job", job.pk)
    printable = badge_job.printable(organisation)
    if not printable:
        return render(request, "observation/accreditation/no_badge.html",
                      {"organisation": organisation}, status=409)
    if len(printable) > badge_job.IN_REQUEST:
        return render(request, "observation/accreditation/badges_prepare.html",
                      {"organisation": organisation, "count": len(printable)})
    return _pdf(request, printable, f"badges-{organisation.code or organisation.pk}.pdf")


@require_safe
@_guard
def badges_file(request: HttpRequest, token: str) -> FileResponse:
    """The PDF a badges job prepared, for the person who asked for it alone."""
    path = badge_job.prepared(request.user, token[:40])
    if path is None:
        raise Http404
    response = FileResponse(path.open("rb"), content_type="application/pdf",
                            as_attachment=True, filename=f"badges-{token[:8]}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@capability_required(Capability.ACCREDIT_OBSERVERS)
def queue(request: HttpRequest) -> HttpResponse:
    """The accreditation staff's queue: every submitted observer with the automatic
    checks' outcome (run as the page opens); accredit a selection or refuse one."""
    user: Account = request.user  # type: ignore[assignment]
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step == "accredit":
            wanted = [int(v) for v in request.POST.getlist("observer")[:PAGE_ROWS]
                      if v.isdigit() and len(v) < 12]
            chosen = list(Observer.objects.filter(pk__in=wanted,
                                                  status=ObserverStatus.SUBMITTED))
            outcome = run(request, lambda: acc.accredit(actor=user, observers=chosen),
                          done=_("Accredited: each has a badge."), flash_refusal=True)
            if outcome.refused:
                return redirect("observation:accreditation")
        elif step == "refuse":
            form = ReasonForm(request.POST)
            number = request.POST.get("observer", "")[:12]
            if not form.is_valid() or not number.isdigit():
                return HttpResponse(_("Give the reason."), status=400)
            one = get_object_or_404(Observer, pk=int(number))
            run(request, lambda: acc.refuse(actor=user, observer=one,
                                            reason=form.cleaned_data["reason"]),
                done=_("The observer is refused."), flash_refusal=True)
        else:
            return HttpResponse(_("Unknown step."), status=400)
        return redirect("observation:accreditation")
    waiting = list(Observer.objects.filter(status=ObserverStatus.SUBMITTED)
                   .select_related("organisation__election", "governorate")
                   .order_by("submitted")[:PAGE_ROWS])
    acc.run_checks(waiting)
    from shafaf.core.accreditation_checks import passed

    return render(request, "observation/accreditation/queue.html", {
        "rows": [(o, _check_rows(o), passed(o.checks)) for o in waiting],
        "reason_form": ReasonForm()})


@require_http_methods(["GET", "POST"])
@capability_required(Capability.SUBMIT_OBSERVATIONS)
def conduct(request: HttpRequest) -> HttpResponse:
    """The code of conduct in the reader's language; the observer accepts it."""
    user: Account = request.user  # type: ignore[assignment]
    mine = Observer.objects.filter(user=user).select_related("organisation").first()
    if mine is None:
        raise Http404
    if request.method == "POST":
        if request.POST.get("accept") != "on":
            return render(request, "observation/accreditation/conduct.html",
                          {"observer": mine, "errors": [_("Tick the box to accept.")]},
                          status=400)
        run(request, lambda: acc.accept_conduct(actor=user),
            done=_("You accepted the code of conduct."))
        return redirect("observation:conduct")
    return render(request, "observation/accreditation/conduct.html", {"observer": mine})


@require_safe
def verify_form(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "")[:64].strip()
    if code:
        return redirect(reverse("observation:verify", args=[code.replace(" ", "")]))
    return render(request, "observation/accreditation/verify.html", {})


@require_safe
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: whether a badge is valid, revoked or expired, with the holder's name,
    organisation and governorate, and nothing else."""
    badge = acc.verify(code)
    if badge is None:
        return render(request, "observation/accreditation/verify.html",
                      {"code": code[:64], "unknown": True}, status=404)
    return render(request, "observation/accreditation/verify.html", {
        "badge": badge, "status": acc.badge_status(badge),
        "shown": shown(badge.code)})
