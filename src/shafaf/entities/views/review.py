"""A candidate's vetting page (checks, decision, objections, appeals), and the
page where agents of other entities and the public object to candidates."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from shafaf.access.checks import can, capability_required
from shafaf.access.roles import Capability
from shafaf.core.certification import (
    CandidateState,
    CheckKind,
    ExclusionReason,
    ListState,
    candidate_steps_from,
    checks_open,
)
from shafaf.entities import labels
from shafaf.entities.access import access_candidate, acts_for, agent_entity
from shafaf.entities.actions import certification as cert
from shafaf.entities.actions import nominations as act
from shafaf.entities.models import Candidate
from shafaf.entities.views import forms as forms_
from shafaf.entities.views.forms import step_form
from shafaf.entities.views.nominations import SubstituteForm
from shafaf.entities.workflow import actors_for
from shafaf.refusals.pages import form_lines, run


class _Hands:
    """In which capacities the user acts on this candidate's page."""

    def __init__(self, request: HttpRequest, subject: Candidate) -> None:
        self.review = can(request.user, Capability.REVIEW_CANDIDATES)
        self.ruling = can(request.user, Capability.RECORD_RULING)
        self.mine = acts_for(request.user, subject.nomination.entity)


def _chosen_step(request: HttpRequest, subject: Candidate, hands: _Hands,
                 substitute: SubstituteForm
                 ) -> tuple[Callable[[], object] | None, forms.Form, str] | None:
    """The action a POST asks for, the form that read it, and what to say when it is
    done; ``None`` when the step is not this user's (403). The action is ``None``
    when the form refused the input."""
    chosen = step_form(request.POST, forms_.CANDIDATE_STEPS)
    if not chosen.is_valid():
        return None, chosen, ""
    step, user, post = chosen.cleaned_data["step"], request.user, request.POST
    done = _("Recorded.")
    review, ruling, mine = hands.review, hands.ruling, hands.mine
    if review and step in ("approve", "restore"):
        act_on = cert.approve_candidate if step == "approve" else cert.restore_candidate
        return partial(act_on, actor=user, candidate=subject), chosen, done
    posted: forms.Form
    if review and step == "check":
        posted = forms_.CheckForm(post)
        if posted.is_valid():
            data = posted.cleaned_data
            return partial(cert.record_check, actor=user, candidate=subject, kind=data["kind"],
                           outcome=data["outcome"], document=data["document"]), posted, done
    elif review and step == "exclude":
        posted = forms_.ExcludeForm(post)
        if posted.is_valid():
            return partial(cert.exclude_candidate, actor=user, candidate=subject,
                           reasons=posted.cleaned_data["reasons"],
                           note=posted.cleaned_data["note"]), posted, done
    elif review and step == "decide_objection":
        posted = forms_.DecisionForm(post, field="objection", queryset=subject.objections.all())
        if posted.is_valid():
            data = posted.cleaned_data
            return partial(cert.decide_objection, actor=user, objection=data["objection"],
                           upheld=data["upheld"] == "yes", reason=data["reason"]), posted, done
    elif ruling and step == "ruling":
        posted = forms_.DecisionForm(post, field="appeal", queryset=subject.appeals.all())
        if posted.is_valid():
            data = posted.cleaned_data
            return partial(cert.record_ruling, actor=user, appeal=data["appeal"],
                           upheld=data["upheld"] == "yes",
                           reference=data["reference"]), posted, done
    elif mine and step == "appeal":
        posted = forms_.GroundsForm(post)
        if posted.is_valid():
            return partial(cert.file_appeal, actor=user, candidate=subject,
                           grounds=posted.cleaned_data["grounds"]), posted, done
    elif mine and step == "withdraw":
        posted = forms_.ReasonForm(post)
        if posted.is_valid():
            return partial(act.withdraw_candidate, actor=user, candidate=subject,
                           reason=posted.cleaned_data["reason"]), posted, done
    elif mine and step == "substitute":
        posted = substitute
        if substitute.is_valid():
            return (partial(act.substitute_candidate, actor=user, excluded=subject,
                            **substitute.cleaned_data), posted,
                    _("The substitute is on the list, awaiting vetting."))
    else:
        return None
    return None, posted, done


@capability_required(Capability.VIEW_NOMINATIONS)
def candidate(request: HttpRequest, candidate_id: int) -> HttpResponse:
    subject = access_candidate(request.user, candidate_id)
    hands = _Hands(request, subject)
    substitute = SubstituteForm(request.POST if request.POST.get("step") == "substitute"
                                else None)
    explanation: list[str] = []
    status = 200
    if request.method == "POST":
        chosen = _chosen_step(request, subject, hands, substitute)
        if chosen is None:
            return HttpResponse(status=403)
        action, posted, done = chosen
        if action is None:
            # The substitution form, where the page shows it (an excluded candidate's),
            # shows its own errors beside its fields.
            inline = posted is substitute and subject.status == CandidateState.EXCLUDED
            explanation = [] if inline else form_lines(posted)
            status = 400
        else:
            outcome = run(request, action, done=done)
            if not outcome.refused:
                return redirect("entities:candidate", candidate_id=subject.pk)
            explanation = outcome.lines
        subject.refresh_from_db()
    return render(request, "entities/candidate.html", {
        **_candidate_page(request, subject, hands), "explanation": explanation,
        "substitute": substitute}, status=status)


def _candidate_page(request: HttpRequest, subject: Candidate, hands: _Hands
                    ) -> dict[str, object]:
    checks = {c.kind: c for c in subject.checks.all()}
    # The core's table says which steps this user may take now; the page offers those.
    steps = candidate_steps_from(subject.status, actors_for(request.user, subject.nomination),
                                 list_state=subject.nomination.status)
    return {
        "steps": [s.value for s in steps],
        "candidate": subject, "review": hands.review, "ruling": hands.ruling,
        "mine": hands.mine,
        "checks": [(kind, labels.CHECKS[kind], checks.get(kind.value)) for kind in CheckKind],
        "outcomes": labels.OUTCOMES, "candidate_states": labels.CANDIDATE_STATES,
        "education": labels.EDUCATION,
        "reasons": [labels.reason_text(r) for r in subject.exclusion_reasons],
        "reason_choices": [(r.value, labels.REASONS[r]) for r in ExclusionReason],
        "violations": [labels.violation_text(v) for v in cert.open_violations(subject)],
        "in_review": checks_open(subject.nomination.status),
        "objections": subject.objections.select_related("filed_by", "filed_for"),
        "appeals": subject.appeals.select_related("filed_by"),
        "excluded": subject.status == CandidateState.EXCLUDED,
        "deadline": act.substitution_deadline(subject.nomination),
    }


@capability_required(Capability.FILE_OBJECTION)
def objections(request: HttpRequest) -> HttpResponse:
    """Candidates of lists before the Commission, open to objection by anyone with
    the right (another entity's agent, an observer, a civil-society coordinator)."""
    open_lists = Q(nomination__status__in=[ListState.SUBMITTED, ListState.UNDER_REVIEW])
    candidates = (Candidate.objects.filter(open_lists)
                  .exclude(status__in=[CandidateState.WITHDRAWN, CandidateState.REPLACED])
                  .select_related("nomination__entity", "nomination__contest__governorate")
                  .order_by("nomination__contest__governorate__code", "nomination__entity__code",
                            "position"))
    own = agent_entity(request.user)
    if own is not None:
        candidates = candidates.exclude(nomination__entity=own)
    query = request.GET.get("q", "").strip()
    if query:
        candidates = candidates.filter(Q(name_ar__icontains=query) | Q(surname_ar__icontains=query)
                                       | Q(nomination__entity__name_ar__icontains=query)
                                       | Q(nomination__entity__code=query))
    explanation: list[str] = []
    status = 200
    if request.method == "POST":
        form = forms_.ObjectionForm(request.POST, candidates=candidates)
        if form.is_valid():
            target, grounds = form.cleaned_data["candidate"], form.cleaned_data["grounds"]
            outcome = run(request, lambda: cert.file_objection(
                actor=request.user, candidate=target, grounds=grounds),
                done=_("Your objection is filed; the Commission will decide it."))
            if not outcome.refused:
                return redirect("entities:objections")
            explanation = outcome.lines
        else:
            explanation, status = form_lines(form), 400
    page = Paginator(candidates, 50).get_page(request.GET.get("page"))
    return render(request, "entities/objections.html", {
        "page": page, "query": query, "explanation": explanation}, status=status)


urlpatterns = [
    path("staff/candidates/<int:candidate_id>/", candidate, name="candidate"),
    path("staff/objections/", objections, name="objections"),
]
