"""Staff pages for entities and their lists: registration by the Commission,
lists prepared and submitted by each entity's agents."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shafaf.access.checks import can, capability_required
from shafaf.access.roles import Capability, Role
from shafaf.core.certification import LIST_STEP_ACTORS, Actor, ListState, list_steps_from
from shafaf.core.eligibility import EducationLevel
from shafaf.elections.models import Component, Contest, Election
from shafaf.entities import ballots, labels, logos
from shafaf.entities.access import (
    access_entity,
    access_list,
    acts_for,
    entities_for,
    lists_for,
)
from shafaf.entities.actions import certification as cert
from shafaf.entities.actions import nominations as act
from shafaf.entities.actions import registration
from shafaf.entities.models import Entity, EntityKind, ListKind, NominationList
from shafaf.entities.nomination_file import OPTIONAL, REQUIRED
from shafaf.entities.views import forms as forms_
from shafaf.entities.views.forms import step_form
from shafaf.entities.workflow import actors_for, in_the_draw
from shafaf.refusals import problem_files
from shafaf.refusals.names import no_bidi_controls
from shafaf.refusals.pages import form_lines, run

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Every name field: no bidirectional embedding, override or isolate control.
NAME = [no_bidi_controls]


class EntityForm(forms.Form):
    election = forms.ModelChoiceField(label=gettext_lazy("Election"), empty_label=None,
                                      queryset=Election.objects.order_by("-polling_day"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=EntityKind.choices)
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=32,
                           help_text=gettext_lazy("Latin letters, digits and hyphens; the id "
                                                  "in the ballot-number lottery."))
    name_ar = forms.CharField(label=gettext_lazy("Name (Arabic)"), max_length=200,
                              validators=NAME)
    name_ckb = forms.CharField(label=gettext_lazy("Name (Kurdish)"), max_length=200,
                               required=False, validators=NAME)
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=200,
                              required=False, validators=NAME)
    logo = forms.FileField(label=gettext_lazy("Logo (PNG or JPEG)"), required=False)

    def clean_logo(self) -> bytes | None:
        return _logo_bytes(self.cleaned_data.get("logo"))


class LogoForm(forms.Form):
    logo = forms.FileField(label=gettext_lazy("New logo (PNG or JPEG)"))

    def clean_logo(self) -> bytes | None:
        return _logo_bytes(self.cleaned_data.get("logo"))


def _logo_bytes(upload: Any) -> bytes | None:
    """An uploaded logo's bytes, refused unread when it is too large; the action
    decodes the picture itself."""
    if not upload:
        return None
    if (upload.size or 0) > logos.MAX_LOGO_BYTES:
        raise forms.ValidationError(labels.refusal_text(
            "logo_too_large", {"limit": logos.MAX_LOGO_BYTES // 1024}))
    content: bytes = upload.read()
    return content


class CandidateForm(forms.Form):
    position = forms.IntegerField(label=gettext_lazy("Position"), min_value=1,
                                  max_value=forms_.MAX_POSITION)
    name_ar = forms.CharField(label=gettext_lazy("Four-part name"), max_length=200,
                              validators=NAME)
    surname_ar = forms.CharField(label=gettext_lazy("Surname"), max_length=100, required=False,
                                 validators=NAME)
    mother_name_ar = forms.CharField(label=gettext_lazy("Mother's name"), max_length=200,
                                     validators=NAME)
    name_ckb = forms.CharField(label=gettext_lazy("Name (Kurdish)"), max_length=200,
                               required=False, validators=NAME)
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=200,
                              required=False, validators=NAME)
    sex = forms.ChoiceField(label=gettext_lazy("Sex"),
                            choices=[("F", gettext_lazy("Female")), ("M", gettext_lazy("Male"))])
    date_of_birth = forms.DateField(label=gettext_lazy("Date of birth"),
                                    widget=forms.DateInput(attrs={"type": "date"}))
    education = forms.ChoiceField(label=gettext_lazy("Education"),
                                  choices=[(e.value, labels.EDUCATION[e]) for e in EducationLevel])


class SubstituteForm(CandidateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["position"]


def _upload(request: HttpRequest) -> tuple[str, bytes] | None:
    """The uploaded file's name and content; None without one, or if it is too large."""
    upload = request.FILES.get("file")
    if upload is None or (upload.size or 0) > MAX_UPLOAD_BYTES:
        return None
    return upload.name or "", upload.read()


@capability_required(Capability.VIEW_NOMINATIONS)
def entities(request: HttpRequest) -> HttpResponse:
    register = can(request.user, Capability.REGISTER_ENTITIES)
    form = EntityForm(request.POST or None, request.FILES or None) if register else None
    status = 200
    if request.method == "POST":
        if form is None:
            return HttpResponse(status=403)
        if form.is_valid():
            data = form.cleaned_data
            outcome = run(request, lambda: registration.register_entity(
                actor=request.user, election=data["election"], kind=data["kind"],
                code=data["code"], name_ar=data["name_ar"], name_ckb=data["name_ckb"],
                name_en=data["name_en"], logo=data["logo"]),
                done=_("The entity is registered."))
            if outcome.value is not None:
                return redirect("entities:entity", entity_id=outcome.value.pk)
            # A refused logo is said beside the logo field.
            refused_logo = outcome.refusal is not None and outcome.refusal.code.startswith("logo_")
            form.add_error("logo" if refused_logo else None, outcome.lines)
        status = 400
    return render(request, "entities/entities.html", {
        "entities": entities_for(request.user).order_by("election", "code"), "form": form},
        status=status)


@capability_required(Capability.VIEW_NOMINATIONS)
def entity(request: HttpRequest, entity_id: int) -> HttpResponse:
    subject = access_entity(request.user, entity_id)
    register = can(request.user, Capability.REGISTER_ENTITIES)
    mine = acts_for(request.user, subject)
    if request.method == "POST":
        chosen = step_form(request.POST, forms_.ENTITY_STEPS)
        step = chosen.cleaned_data["step"] if chosen.is_valid() else ""
        user, post = request.user, request.POST
        form: forms.Form
        if not chosen.is_valid():
            form = chosen
        elif register and step in ("approve", "reject"):
            form = forms_.ReasonForm(post)
            if form.is_valid():
                reason = form.cleaned_data["reason"]
                run(request, lambda: registration.decide_entity(
                    actor=user, entity=subject, approve=step == "approve", reason=reason),
                    done=_("The decision is recorded."), flash_refusal=True)
        elif register and step == "agent":
            form = forms_.AgentForm(post, agents=get_user_model().objects.all())
            if form.is_valid():
                agent = form.cleaned_data["user"]
                run(request, lambda: registration.assign_agent(actor=user, user=agent,
                                                               entity=subject),
                    done=_("The agent now acts for this entity."), flash_refusal=True)
        elif register and step == "alliance":
            form = forms_.AllianceForm(post, alliances=entities_for(user))
            if form.is_valid():
                alliance = form.cleaned_data["alliance"]
                run(request, lambda: registration.join_alliance(actor=user, party=subject,
                                                                alliance=alliance),
                    done=_("The alliance is recorded."), flash_refusal=True)
        elif register and step in ("logo", "remove_logo"):
            form = LogoForm(post, request.FILES) if step == "logo" else chosen
            if form.is_valid():
                logo = form.cleaned_data["logo"] if step == "logo" else None
                replaced = run(request, lambda: registration.replace_logo(
                    actor=user, entity=subject, logo=logo),
                    done=_("The logo is replaced.") if logo else _("The logo is removed."))
                if replaced.refused:  # a file that is not a usable logo: a 400 that says why
                    return _entity_page(request, subject, register, mine, replaced.lines,
                                        status=400)
        elif mine and step == "create_list":
            form = forms_.NewListForm(post, contests=Contest.objects.filter(
                election_id=subject.election_id))
            if form.is_valid():
                data = form.cleaned_data
                outcome = run(request, lambda: act.create_list(
                    actor=user, entity=subject, contest=data["contest"],
                    component=data["component"]), done=_("The list is created."),
                    flash_refusal=True)
                if outcome.value is not None:
                    return redirect("entities:nomination", list_id=outcome.value.pk)
        else:
            return HttpResponse(status=403)
        if form.is_valid():
            return redirect("entities:entity", entity_id=subject.pk)
        return _entity_page(request, subject, register, mine, form_lines(form), status=400)
    return _entity_page(request, subject, register, mine, [])


def _entity_page(request: HttpRequest, subject: Entity, register: bool, mine: bool,
                 explanation: list[str], *, status: int = 200) -> HttpResponse:
    return render(request, "entities/entity.html", {
        "entity": subject, "register": register, "mine": mine, "explanation": explanation,
        # Only the lists this user may open: an office sees its governorate's.
        "lists": lists_for(request.user).filter(entity=subject).order_by(
            "contest__governorate__code", "component"),
        "list_states": labels.LIST_STATES,
        "agents": get_user_model().objects.filter(role=Role.ENTITY_AGENT, is_active=True).order_by(
            "username") if register else (),
        "alliances": entities_for(request.user).filter(
            election_id=subject.election_id, kind=EntityKind.ALLIANCE) if register else (),
        "contests": Contest.objects.filter(election_id=subject.election_id).select_related(
            "governorate") if mine else (),
        "components": Component.choices,
        # A logo stored before logos were checked in full, which its ballots leave off.
        "unprintable_logo": next(iter(ballots.unprintable_logos([subject])), None),
    }, status=status)


@capability_required(Capability.VIEW_NOMINATIONS)
def nomination(request: HttpRequest, list_id: int) -> HttpResponse:
    subject = access_list(request.user, list_id)
    mine = acts_for(request.user, subject.entity)
    review = can(request.user, Capability.REVIEW_CANDIDATES)
    form = CandidateForm(request.POST if request.POST.get("step") == "add" else None)
    explanation: list[str] = []
    problems_file: str | None = None
    if request.method == "POST":
        chosen = step_form(request.POST, forms_.LIST_STEPS)
        if not chosen.is_valid():
            return _nomination_page(request, subject, mine, review, form, form_lines(chosen),
                                    status=400)
        step = chosen.cleaned_data["step"]
        user, post = request.user, request.POST
        done = _("The list's status is updated.")
        action: Callable[[], object] | None = None
        posted: forms.Form = chosen
        if mine and step == "add":
            posted = form
            if form.is_valid():
                action = partial(act.add_candidate, actor=user, nomination=subject,
                                 **form.cleaned_data)
                done = _("The candidate is added.")
        elif mine and step == "remove":
            posted = forms_.RemoveForm(post, candidates=subject.candidates.all())
            if posted.is_valid():
                action = partial(act.remove_candidate, actor=user,
                                 candidate=posted.cleaned_data["candidate"])
                done = _("The candidate is removed.")
        elif mine and step == "upload":
            upload = _upload(request)
            if upload is None:
                return _nomination_page(request, subject, mine, review, form, [
                    _("Choose a CSV or XLSX file of at most 5 MB.")], status=400)
            name, content = upload
            action = partial(act.import_candidates, actor=user, nomination=subject,
                             name=name, content=content)
            done = _("The file's candidates replace the list's.")
        elif mine and step == "submit":
            action = partial(act.submit_list, actor=user, nomination=subject)
            done = _("The list is submitted to the Commission.")
        elif (mine and step == "withdraw_list") or (
                review and step in ("return_to_draft", "reject")):
            posted = forms_.ReasonForm(post)
            if posted.is_valid():
                reason = posted.cleaned_data["reason"]
                action = {
                    "withdraw_list": partial(act.withdraw_list, actor=user, nomination=subject,
                                             reason=reason),
                    "return_to_draft": partial(cert.return_to_draft, actor=user,
                                               nomination=subject, reason=reason),
                    "reject": partial(cert.reject_list, actor=user, nomination=subject,
                                      reason=reason),
                }[step]
                if step == "withdraw_list":
                    done = _("The list is withdrawn.")
        elif review and step == "start_review":
            action = partial(cert.start_review, actor=user, nomination=subject)
        elif review and step == "certify":
            action = partial(cert.certify_list, actor=user, nomination=subject)
        else:
            return HttpResponse(status=403)
        if action is None:
            # The candidate form, where the page shows it (a draft's), shows its own
            # errors beside its fields.
            inline = posted is form and subject.status == ListState.DRAFT
            return _nomination_page(request, subject, mine, review, form,
                                    [] if inline else form_lines(posted), status=400)
        if step == "upload":
            with problem_files.recorded(user.pk) as recorded:
                outcome = run(request, action, done=done)
            problems_file = recorded.url
        else:
            outcome = run(request, action, done=done)
        if not outcome.refused:
            return redirect("entities:nomination", list_id=subject.pk)
        explanation = outcome.lines
        subject.refresh_from_db()
        if problems_file is not None:  # a rejected file: bad input
            return _nomination_page(request, subject, mine, review, form, explanation,
                                    status=400, problems_file=problems_file)
    return _nomination_page(request, subject, mine, review, form, explanation)


def _nomination_page(request: HttpRequest, subject: NominationList, mine: bool, review: bool,
                     form: CandidateForm, explanation: list[str], *, status: int = 200,
                     problems_file: str | None = None) -> HttpResponse:
    candidates = list(subject.candidates.all())
    # The core's table says which steps this user may take now; the page offers those.
    steps = list_steps_from(subject.status, actors_for(request.user, subject),
                            drawn=in_the_draw(subject))
    return render(request, "entities/nomination.html", {
        "list": subject, "candidates": candidates, "mine": mine, "review": review,
        "form": form, "explanation": explanation, "steps": [s.value for s in steps],
        "review_steps": [s.value for s in steps if LIST_STEP_ACTORS[s] is Actor.REVIEWER],
        "list_states": labels.LIST_STATES, "candidate_states": labels.CANDIDATE_STATES,
        "education": labels.EDUCATION, "columns": (*REQUIRED, *OPTIONAL),
        "violations": [labels.violation_text(v) for v in act.list_violations(subject)]
        if subject.status == "draft" and candidates else [],
        "kind_label": dict(ListKind.choices)[subject.kind], "problems_file": problems_file,
    }, status=status)


urlpatterns = [
    path("staff/entities/", entities, name="entities"),
    path("staff/entities/<int:entity_id>/", entity, name="entity"),
    path("staff/nominations/<int:list_id>/", nomination, name="nomination"),
]
