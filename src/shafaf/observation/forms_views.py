"""Pages of forms as data and quality (docs/observation-reports.md): the forms and
their versions, the question builder, the organisation's reports with filters, a
report's page (with the other observer's answers when flagged) and its verdict."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from shafaf.access.checks import can
from shafaf.access.people import Account
from shafaf.access.roles import Capability
from shafaf.elections.models import Governorate
from shafaf.observation import form_builder, quality, standard_forms
from shafaf.observation.models import FormDefinition, Organisation, Submission, Verification


def _reader(request: HttpRequest) -> Account:
    """A coordinator of an organisation, or the accreditation staff."""
    user = request.user
    if can(user, Capability.ACCREDIT_OBSERVERS):
        return user
    if can(user, Capability.MANAGE_OBSERVERS) and quality.organisation_of(user) is not None:
        return user
    raise PermissionDenied


def _coordinator(request: HttpRequest) -> tuple[Account, Organisation]:
    user = request.user
    if can(user, Capability.MANAGE_OBSERVERS):
        organisation = quality.organisation_of(user)
        if organisation is not None:
            return user, organisation
    raise PermissionDenied


def _login_first(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login
        return redirect_to_login(request.get_full_path())
    return None


@require_safe
def form_list(request: HttpRequest) -> HttpResponse:
    if (login := _login_first(request)) is not None:
        return login
    user = _reader(request)
    organisation = quality.organisation_of(user) if can(user, Capability.MANAGE_OBSERVERS) \
        else None
    versions = FormDefinition.objects.select_related("organisation").order_by(
        "code", "organisation_id", "-version")
    if organisation is not None:
        versions = versions.filter(Q(organisation__isnull=True) | Q(organisation=organisation))
    return render(request, "observation/forms.html", {
        "versions": versions, "organisation": organisation,
        "fixed": standard_forms.FIXED_IDS,
        "letters": "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})


@require_http_methods(["GET", "HEAD", "POST"])
def new_version(request: HttpRequest, code: str | None = None) -> HttpResponse:
    if (login := _login_first(request)) is not None:
        return login
    user, organisation = _coordinator(request)
    base = form_builder.current(organisation, code) if code else None
    if code and base is None:
        raise Http404
    problems: list[str] = []
    if request.method == "POST":
        names = _names(form_builder.FormNames(request.POST), code)
        rows = form_builder.QuestionRows(request.POST)
        if names.is_valid() and rows.is_valid():
            form_code = code or names.cleaned_data["code"]
            questions = form_builder.questions_of(rows)
            problems = form_builder.problems(form_code, questions)
            if not code and FormDefinition.objects.filter(
                    Q(organisation__isnull=True) | Q(organisation=organisation),
                    code=form_code).exists():
                problems.append(_("There is already a form %(code)s: make a new version of "
                                  "it from the list.") % {"code": form_code})
            if not problems:
                made = form_builder.save_version(actor=user, organisation=organisation,
                                                 code=form_code, names=names.cleaned_data,
                                                 questions=questions)
                messages.success(request, _("Version %(version)s of %(code)s saved.") % {
                    "version": made.version, "code": made.code})
                return redirect("observation:forms")
    else:
        initial: dict[str, Any] = {"code": code or ""}
        if base is not None:
            initial |= {"name_ar": base.name_ar, "name_ckb": base.name_ckb,
                        "name_en": base.name_en}
        names = _names(form_builder.FormNames(initial=initial), code)
        rows = form_builder.QuestionRows(
            initial=form_builder.rows_of(base.questions) if base else None)
    return render(request, "observation/form_builder.html", {
        "names": names, "rows": rows, "base": base, "code": code, "problems": problems,
        "fixed": standard_forms.FIXED_IDS.get(code or "", ())},
        status=422 if problems else 200)


def _names(names: form_builder.FormNames, code: str | None) -> form_builder.FormNames:
    """A new version keeps its form's code: the field shows it and cannot change it."""
    if code:
        names.fields["code"].disabled = True
        names.fields["code"].initial = code
    return names


class Filters(forms.Form):
    form = forms.SlugField(required=False, max_length=32, label=gettext_lazy("Form"))
    governorate = forms.ModelChoiceField(Governorate.objects.order_by("name_ar"),
                                         required=False, to_field_name="code",
                                         label=gettext_lazy("Governorate"))
    status = forms.ChoiceField(required=False, label=gettext_lazy("Status"),
                               choices=[("", "—"), *Verification.choices])
    conflict = forms.ChoiceField(required=False, label=gettext_lazy("Conflict"),
                                 choices=[("", "—"), ("yes", gettext_lazy("flagged")),
                                          ("no", gettext_lazy("not flagged"))])


class Verdict(forms.Form):
    step = forms.ChoiceField(choices=[("verify", "verify"), ("reject", "reject")])
    reason = forms.CharField(required=False, max_length=quality.REASON_LIMIT,
                             label=gettext_lazy("Reason (for a rejection)"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("step") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reason the report is rejected."))
        return data


def _decide(request: HttpRequest, ids: list[uuid.UUID]) -> HttpResponse | None:
    """A verdict from the posted form; None when it was recorded, else the 400."""
    user, organisation = _coordinator(request)
    verdict = Verdict(request.POST)
    if not verdict.is_valid():
        return HttpResponse(" ".join(str(e) for errs in verdict.errors.values()
                                     for e in errs), status=400)
    status = (Verification.VERIFIED if verdict.cleaned_data["step"] == "verify"
              else Verification.REJECTED)
    done = quality.decide(actor=user, organisation=organisation, ids=ids, status=status,
                          reason=verdict.cleaned_data["reason"])
    if not done:
        raise Http404
    messages.success(request, ngettext("%(count)s report decided.",
                                       "%(count)s reports decided.", done) % {"count": done})
    return None


@require_http_methods(["GET", "HEAD", "POST"])
def submission_list(request: HttpRequest) -> HttpResponse:
    if (login := _login_first(request)) is not None:
        return login
    user = _reader(request)
    reports = quality.visible_submissions(user)
    if reports is None:
        raise PermissionDenied
    if request.method == "POST":
        ids = []
        for raw in request.POST.getlist("selected")[:quality.SELECTION_LIMIT]:
            try:
                ids.append(uuid.UUID(raw))
            except ValueError:
                return HttpResponse(_("A selected report is not a report's id."), status=400)
        if not ids:
            return HttpResponse(_("Select at least one report."), status=400)
        refused = _decide(request, ids)
        return refused or redirect(request.get_full_path())
    filters = Filters(request.GET)
    if filters.is_valid():
        chosen = filters.cleaned_data
        if chosen["form"]:
            reports = reports.filter(form__code=chosen["form"])
        if chosen["governorate"]:
            reports = reports.filter(station__centre__governorate=chosen["governorate"])
        if chosen["status"]:
            reports = reports.filter(status=chosen["status"])
        if chosen["conflict"]:
            reports = reports.filter(conflict=chosen["conflict"] == "yes")
    page = Paginator(reports.order_by("-received", "pk"), 50).get_page(request.GET.get("page"))
    return render(request, "observation/submissions.html", {
        "page": page, "filters": filters,
        "may_decide": quality.organisation_of(user) is not None
        and can(user, Capability.MANAGE_OBSERVERS),
        "codes": FormDefinition.objects.values_list("code", flat=True).distinct()
        .order_by("code")})


def _answers(report: Submission) -> list[tuple[str, str, Any]]:
    """(id, label, answer) for each of the form's questions."""
    from django.utils.translation import get_language
    lang = (get_language() or "ar").split("-")[0]
    rows = []
    for question in report.form.questions:
        label = question.get("label", {})
        rows.append((question["id"], label.get(lang) or label.get("ar", question["id"]),
                     report.answers.get(question["id"])))
    return rows


@require_http_methods(["GET", "HEAD", "POST"])
def submission_page(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    if (login := _login_first(request)) is not None:
        return login
    user = _reader(request)
    reports = quality.visible_submissions(user)
    report = reports.filter(pk=pk).first() if reports is not None else None
    if report is None:
        raise Http404
    if request.method == "POST":
        refused = _decide(request, [report.pk])
        return refused or redirect("observation:submission", pk=report.pk)
    others = []
    if report.conflict:
        for other in Submission.objects.filter(
                station_id=report.station_id, form__code=report.form.code).exclude(
                observer_id=report.observer_id).select_related("observer__organisation"):
            mine = other.observer.organisation_id == report.observer.organisation_id
            others.append({"report": other, "named": mine or can(
                user, Capability.ACCREDIT_OBSERVERS),
                "answers": other.answers})
    rows = [(qid, label, answer, [o["answers"].get(qid) for o in others])
            for qid, label, answer in _answers(report)]
    return render(request, "observation/submission.html", {
        "report": report, "answers": rows, "others": others,
        "reviews": report.reviews.select_related("by"),
        "may_decide": report.observer.organisation == quality.organisation_of(user)
        and can(user, Capability.MANAGE_OBSERVERS)})
