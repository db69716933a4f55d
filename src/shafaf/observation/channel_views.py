"""The channel's pages (docs/observation-channel.md). Staff pages under
/staff/observation/: notices, meetings, recommendations, awareness activities; public
pages under /observation/: published meetings, recommendations and their answers, the
awareness summary."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from shafaf.access.checks import can, capability_required, governorate_scope
from shafaf.access.people import Account
from shafaf.access.roles import Capability
from shafaf.observation import awareness_figures, channel
from shafaf.observation.channel_forms import (
    ActivityForm,
    AnswerForm,
    DocumentForm,
    MeetingForm,
    NewMeetingForm,
    NoticeForm,
    RecommendationForm,
)
from shafaf.observation.channel_models import (
    Audience,
    AwarenessActivity,
    Meeting,
    MeetingDocument,
    Notice,
    NoticeRead,
    Recommendation,
    RecommendationStatus,
    RecommendationTopic,
)
from shafaf.observation.models import Organisation
from shafaf.register.campaign_figures import bar_chart

GET_POST = ["GET", "HEAD", "POST"]


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    safe = "".join(c for c in name if c.isalnum() or c in "._-")[:100] or "document.pdf"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _coordinated(user: Account) -> Organisation:
    """The coordinator's organisation; a coordinator of none may not file."""
    organisation = channel.organisation_of(user)
    if organisation is None:
        raise PermissionDenied
    return organisation


# --- Notices ---------------------------------------------------------------------------

def _engaged_or_coordinating(request: HttpRequest) -> tuple[Account, str]:
    """Which side of a notice the user stands on: 'sender', 'reader' or a refusal."""
    user = request.user
    if can(user, Capability.ENGAGE_CIVIL_SOCIETY):
        return user, "sender"
    if can(user, Capability.MANAGE_OBSERVERS):
        return user, "reader"
    raise PermissionDenied


def _signed_in(view: Any) -> Any:
    """Anonymous users go to the login page; each view then says who may see it."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        response: HttpResponse = view(request, *args, **kwargs)
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_safe
@_signed_in
def notices(request: HttpRequest) -> HttpResponse:
    user, side = _engaged_or_coordinating(request)
    if side == "sender":
        sent = (channel.sent_notices(user).select_related("office")
                .annotate(read_count=Count("reads", distinct=True)))
        return render(request, "observation/notices_sent.html", {"notices": sent})
    organisation = channel.organisation_of(user)
    found = channel.inbox(organisation) if organisation is not None else []
    read = set(NoticeRead.objects.filter(user=user, notice__in=found)
               .values_list("notice_id", flat=True))
    return render(request, "observation/notices_inbox.html", {
        "organisation": organisation, "notices": [(n, n.pk in read) for n in found],
        "unread": sum(1 for n in found if n.pk not in read)})


@require_http_methods(GET_POST)
@capability_required(Capability.ENGAGE_CIVIL_SOCIETY)
def notice_new(request: HttpRequest) -> HttpResponse:
    user: Account = request.user  # type: ignore[assignment]
    if request.method != "POST":
        return render(request, "observation/notice_new.html", {"form": NoticeForm()})
    form = NoticeForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "observation/notice_new.html", {"form": form}, status=400)
    data = form.cleaned_data
    attached = data["attachment"]
    notice = channel.send_notice(
        actor=user, election=data["election"],
        titles={code: data[f"title_{code}"] for code in ("ar", "ckb", "en")},
        bodies={code: data[f"body_{code}"] for code in ("ar", "ckb", "en")},
        governorates=list(data["governorates"]), kinds=data["kinds"],
        attachment=attached[1] if attached else None,
        attachment_name=attached[0] if attached else "")
    messages.success(request, _("The notice is sent to %(count)s organisations.")
                     % {"count": channel.targeted(notice).count()})
    return redirect("observation:notice", notice.pk)


def _notice_for(request: HttpRequest, notice_id: int) -> tuple[Notice, str, Organisation | None]:
    user, side = _engaged_or_coordinating(request)
    if side == "sender":
        return get_object_or_404(channel.sent_notices(user), pk=notice_id), side, None
    organisation = channel.organisation_of(user)
    if organisation is None:
        raise Http404
    for notice in channel.inbox(organisation):
        if notice.pk == notice_id:
            return notice, side, organisation
    raise Http404  # not theirs: as if it did not exist


@require_safe
@_signed_in
def notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    found, side, organisation = _notice_for(request, notice_id)
    context: dict[str, Any] = {"notice": found, "side": side}
    if organisation is not None:
        channel.mark_read(user=request.user, notice=found,  # type: ignore[arg-type]
                          organisation=organisation)
    else:
        reads = {r.organisation_id: r for r in found.reads.select_related("user")}
        context["organisations"] = [(o, [r for r in found.reads.all()
                                         if r.organisation_id == o.pk])
                                    for o in channel.targeted(found).order_by("name_ar")]
        context["read_count"] = len({r.organisation_id for r in reads.values()})
    return render(request, "observation/notice.html", context)


@require_safe
@_signed_in
def notice_attachment(request: HttpRequest, notice_id: int) -> HttpResponse:
    found, _side, _organisation = _notice_for(request, notice_id)
    if not found.attachment:
        raise Http404
    return _pdf(bytes(found.attachment), found.attachment_name)


# --- Meetings --------------------------------------------------------------------------

@require_safe
@capability_required(Capability.ENGAGE_CIVIL_SOCIETY)
def meetings_staff(request: HttpRequest) -> HttpResponse:
    user: Account = request.user  # type: ignore[assignment]
    return render(request, "observation/meetings_staff.html", {
        "meetings": channel.meetings_for(user).select_related("office")})


def _meeting_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in channel.MEETING_FIELDS}


@require_http_methods(GET_POST)
@capability_required(Capability.ENGAGE_CIVIL_SOCIETY)
def meeting_new(request: HttpRequest) -> HttpResponse:
    user: Account = request.user  # type: ignore[assignment]
    scoped = governorate_scope(user) is not None
    if request.method != "POST":
        return render(request, "observation/meeting_edit.html",
                      {"form": NewMeetingForm(), "scoped": scoped})
    form = NewMeetingForm(request.POST)
    if not form.is_valid():
        return render(request, "observation/meeting_edit.html",
                      {"form": form, "scoped": scoped}, status=400)
    data = form.cleaned_data
    made = channel.record_meeting(actor=user, election=data["election"], office=data["office"],
                                  fields=_meeting_fields(data),
                                  organisations=data["organisations"])
    messages.success(request, _("The meeting is recorded."))
    return redirect("observation:meeting_edit", made.pk)


@require_http_methods(GET_POST)
@capability_required(Capability.ENGAGE_CIVIL_SOCIETY)
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user: Account = request.user  # type: ignore[assignment]
    meeting = get_object_or_404(channel.meetings_for(user), pk=meeting_id)
    initial = {name: getattr(meeting, name) for name in channel.MEETING_FIELDS}
    initial |= {"office": meeting.office, "organisations": list(meeting.organisations.all())}
    form = MeetingForm(initial=initial, election=meeting.election)
    document_form = DocumentForm()
    status = 200
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step == "save":
            form = MeetingForm(request.POST, election=meeting.election)
            if form.is_valid():
                channel.correct_meeting(actor=user, meeting=meeting,
                                        fields=_meeting_fields(form.cleaned_data),
                                        organisations=form.cleaned_data["organisations"])
                messages.success(request, _("The record is saved."))
                return redirect("observation:meeting_edit", meeting.pk)
        elif step == "document":
            document_form = DocumentForm(request.POST, request.FILES)
            if document_form.is_valid():
                name, content = document_form.cleaned_data["document"]
                channel.add_meeting_document(actor=user, meeting=meeting, name=name,
                                             content=content)
                messages.success(request, _("The document is added."))
                return redirect("observation:meeting_edit", meeting.pk)
        else:
            messages.error(request, _("Unknown step."))
        status = 400
    return render(request, "observation/meeting_edit.html", {
        "meeting": meeting, "form": form, "document_form": document_form,
        "scoped": governorate_scope(user) is not None}, status=status)


@require_safe
def meetings_public(request: HttpRequest) -> HttpResponse:
    return render(request, "observation/meetings_public.html", {
        "meetings": Meeting.objects.filter(published=True).select_related("office")})


@require_safe
def meeting_public(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("office"), pk=meeting_id,
                                published=True)
    return render(request, "observation/meeting_public.html", {
        "meeting": meeting, "organisations": meeting.organisations.all(),
        "documents": meeting.documents.defer("content")})


@require_safe
def meeting_document(request: HttpRequest, meeting_id: int, document_id: int) -> HttpResponse:
    """Public once the meeting is published; staff who may edit it see it before."""
    document = get_object_or_404(MeetingDocument.objects.select_related("meeting"),
                                 pk=document_id, meeting_id=meeting_id)
    if not document.meeting.published:
        user = request.user
        if not (can(user, Capability.ENGAGE_CIVIL_SOCIETY)
                and channel.meetings_for(user).filter(pk=meeting_id).exists()):
            raise Http404
    return _pdf(bytes(document.content), document.name)


# --- Recommendations -------------------------------------------------------------------

@require_http_methods(GET_POST)
@_signed_in
def recommendations_staff(request: HttpRequest) -> HttpResponse:
    """A coordinator's: their organisation's recommendations, and filing one. The
    commission's: every recommendation, to answer."""
    user, side = _engaged_or_coordinating(request)
    if side == "sender":
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "observation/recommendations_staff.html", {
            "recommendations": Recommendation.objects.select_related("organisation"),
            "answer_form": AnswerForm(), "side": side})
    organisation = _coordinated(user)
    form = RecommendationForm()
    status = 200
    if request.method == "POST":
        form = RecommendationForm(request.POST)
        if form.is_valid():
            channel.file_recommendation(actor=user, organisation=organisation,
                                        **form.cleaned_data)
            messages.success(request, _("The recommendation is filed: the commission's "
                                        "answer will be public."))
            return redirect("observation:recommendations_staff")
        status = 400
    return render(request, "observation/recommendations_staff.html", {
        "recommendations": organisation.recommendations.all(), "form": form,
        "side": side, "organisation": organisation}, status=status)


@require_http_methods(["POST"])
@capability_required(Capability.ENGAGE_CIVIL_SOCIETY)
def recommendation_answer(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    user: Account = request.user  # type: ignore[assignment]
    found = get_object_or_404(Recommendation, pk=recommendation_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return render(request, "observation/recommendations_staff.html", {
            "recommendations": Recommendation.objects.select_related("organisation"),
            "answer_form": form, "side": "sender", "failed": found.pk}, status=400)
    channel.answer_recommendation(actor=user, recommendation=found, **form.cleaned_data)
    messages.success(request, _("The answer is published."))
    return redirect(reverse("observation:recommendations_staff") + f"#r{found.pk}")


@require_safe
def recommendations_public(request: HttpRequest) -> HttpResponse:
    found = Recommendation.objects.select_related("organisation")
    status = request.GET.get("status", "")
    topic = request.GET.get("topic", "")
    if status in RecommendationStatus.values:
        found = found.filter(status=status)
    if topic in RecommendationTopic.values:
        found = found.filter(topic=topic)
    counts = dict(Recommendation.objects.values_list("status").annotate(n=Count("pk"))
                  .values_list("status", "n"))
    return render(request, "observation/recommendations_public.html", {
        "recommendations": found[:500], "status": status, "topic": topic,
        "statuses": RecommendationStatus.choices, "topics": RecommendationTopic.choices,
        "counts": [(label, counts.get(value, 0))
                   for value, label in RecommendationStatus.choices]})


# --- Voter awareness -------------------------------------------------------------------

@require_http_methods(GET_POST)
@capability_required(Capability.MANAGE_OBSERVERS)
def awareness_staff(request: HttpRequest) -> HttpResponse:
    user: Account = request.user  # type: ignore[assignment]
    organisation = _coordinated(user)
    form = ActivityForm()
    status = 200
    if request.method == "POST":
        form = ActivityForm(request.POST)
        if form.is_valid():
            channel.file_activity(actor=user, organisation=organisation,
                                  fields=form.cleaned_data)
            messages.success(request, _("The activity is recorded."))
            return redirect("observation:awareness_staff")
        status = 400
    return render(request, "observation/awareness_staff.html", {
        "organisation": organisation, "form": form,
        "activities": organisation.awareness_activities.select_related("governorate")[:500]},
        status=status)


@require_safe
def awareness_public(request: HttpRequest) -> HttpResponse:
    found = awareness_figures.summary()
    labels = {audience.value: str(audience.label) for audience in Audience}
    chart = bar_chart(found.rows, applied=False,
                      title=_("Participants per governorate, by audience"), labels=labels,
                      rtl=get_language_bidi(), ident="awareness",
                      kinds=awareness_figures.AUDIENCES, colours=awareness_figures.COLOURS)
    return render(request, "observation/awareness_public.html", {
        "summary": found, "chart": chart,
        "audiences": [(a.value, a.label, awareness_figures.COLOURS[a.value]) for a in Audience],
        "rows": [(row, found.sessions.get(row.key, 0),
                  [row.submitted[a] for a in awareness_figures.AUDIENCES])
                 for row in found.rows],
        "totals": [found.total.submitted[a] for a in awareness_figures.AUDIENCES],
        "sessions": AwarenessActivity.objects.count(),
        "organisations": AwarenessActivity.objects.values("organisation").distinct().count()})


@require_safe
def awareness_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(awareness_figures.summary_csv(awareness_figures.summary()),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="awareness.csv"'
    return response


