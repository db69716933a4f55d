"""A candidate's vetting page (checks, decision, objections, appeals), and the
page where agents of other entities and the public object to candidates."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
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
from shafaf.entities.views.nominations import SubstituteForm
from shafaf.entities.views.steps import run
from shafaf.entities.workflow import actors_for


@capability_required(Capability.VIEW_NOMINATIONS)
def candidate(request: HttpRequest, candidate_id: int) -> HttpResponse:
    subject = access_candidate(request.user, candidate_id)
    review = can(request.user, Capability.REVIEW_CANDIDATES)
    ruling = can(request.user, Capability.RECORD_RULING)
    mine = acts_for(request.user, subject.nomination.entity)
    substitute = SubstituteForm(request.POST if request.POST.get("step") == "substitute"
                                else None)
    explanation: list[str] = []
    if request.method == "POST":
        user, post = request.user, request.POST
        step = post.get("step", "")
        done = _("Recorded.")
        action: Any = None
        if review and step == "check":
            action = partial(cert.record_check,
                actor=user, candidate=subject, kind=post.get("kind", ""),
                outcome=post.get("outcome", ""), document=post.get("document", ""))
        elif review and step == "approve":
            action = partial(cert.approve_candidate, actor=user, candidate=subject)
        elif review and step == "restore":
            action = partial(cert.restore_candidate, actor=user, candidate=subject)
        elif review and step == "exclude":
            action = partial(cert.exclude_candidate,
                actor=user, candidate=subject, reasons=post.getlist("reasons"),
                note=post.get("note", ""))
        elif review and step == "decide_objection":
            objection = get_object_or_404(subject.objections, pk=post.get("objection") or 0)
            action = partial(cert.decide_objection,
                actor=user, objection=objection, upheld=post.get("upheld") == "yes",
                reason=post.get("reason", ""))
        elif ruling and step == "ruling":
            appeal = get_object_or_404(subject.appeals, pk=post.get("appeal") or 0)
            action = partial(cert.record_ruling,
                actor=user, appeal=appeal, upheld=post.get("upheld") == "yes",
                reference=post.get("reference", ""))
        elif mine and step == "appeal":
            action = partial(cert.file_appeal,
                actor=user, candidate=subject, grounds=post.get("grounds", ""))
        elif mine and step == "withdraw":
            action = partial(act.withdraw_candidate,
                actor=user, candidate=subject, reason=post.get("reason", ""))
        elif mine and step == "substitute" and substitute.is_valid():
            action = partial(act.substitute_candidate,
                actor=user, excluded=subject, **substitute.cleaned_data)
            done = _("The substitute is on the list, awaiting vetting.")
        elif not (mine and step == "substitute"):
            return HttpResponse(status=403)
        if action is not None:
            explanation = run(request, action, done=done)
            if not explanation:
                return redirect("entities:candidate", candidate_id=subject.pk)
        subject.refresh_from_db()
    checks = {c.kind: c for c in subject.checks.all()}
    # The core's table says which steps this user may take now; the page offers those.
    steps = candidate_steps_from(subject.status, actors_for(request.user, subject.nomination),
                                 list_state=subject.nomination.status)
    return render(request, "entities/candidate.html", {
        "steps": [s.value for s in steps],
        "candidate": subject, "review": review, "ruling": ruling, "mine": mine,
        "explanation": explanation, "substitute": substitute,
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
    })


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
    if request.method == "POST":
        target = get_object_or_404(candidates, pk=request.POST.get("candidate") or 0)
        explanation = run(request, lambda: cert.file_objection(
            actor=request.user, candidate=target, grounds=request.POST.get("grounds", "")),
            done=_("Your objection is filed; the Commission will decide it."))
        if not explanation:
            return redirect("entities:objections")
    page = Paginator(candidates, 50).get_page(request.GET.get("page"))
    return render(request, "entities/objections.html", {
        "page": page, "query": query, "explanation": explanation})


urlpatterns = [
    path("staff/candidates/<int:candidate_id>/", candidate, name="candidate"),
    path("staff/objections/", objections, name="objections"),
]
