"""The duplicate review queue (docs/register-dedup.md): the open groups of suspected
duplicates within the reviewer's governorate, one group's records side by side with
their differences marked, its two decisions, and the start of a detection run (a
background job)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from shafaf.access.checks import can, capability_required, governorate_scope
from shafaf.access.roles import Capability
from shafaf.elections.models import Election, Governorate
from shafaf.refusals.pages import form_lines, run
from shafaf.register import duplicates
from shafaf.register.models import DuplicateGroup, DuplicateMember, DuplicateState, Voter

PAGE = 50


class RunForm(forms.Form):
    election = forms.ModelChoiceField(label=gettext_lazy("Election"),
                                      queryset=Election.objects.order_by("-polling_day"),
                                      empty_label=None)
    governorate = forms.ModelChoiceField(label=gettext_lazy("Governorate"), required=False,
                                         queryset=Governorate.objects.order_by("code"),
                                         empty_label=gettext_lazy("The whole country"))


class ConfirmForm(forms.Form):
    keep = forms.TypedChoiceField(label=gettext_lazy("The record to keep"), coerce=int,
                                  widget=forms.RadioSelect)
    sure = forms.BooleanField(label=gettext_lazy(
        "I have checked these records: the others will be removed from the register."))

    def __init__(self, *args: Any, voters: list[Voter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = cast(forms.TypedChoiceField, self.fields["keep"])
        keep.choices = [(v.pk, v.voter_number) for v in voters]


class DifferentForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why these are different people"),
                             max_length=duplicates.REASON_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 3}))


@require_safe
@capability_required(Capability.REVIEW_DUPLICATES)
def queue(request: HttpRequest) -> HttpResponse:
    groups = DuplicateGroup.objects.filter(state=DuplicateState.OPEN)
    scope = governorate_scope(request.user)  # type: ignore[arg-type]
    if scope is not None:
        groups = groups.filter(governorate_id=scope)
    page = Paginator(groups.select_related("election", "governorate").order_by(
        "-probability", "pk"), PAGE).get_page(request.GET.get("page"))
    members: dict[int, list[str]] = {}
    for group, number in DuplicateMember.objects.filter(
            group__in=[g.pk for g in page]).order_by("voter__voter_number").values_list(
            "group_id", "voter__voter_number"):
        members.setdefault(group, []).append(number)
    rows = [(group, members.get(group.pk, [])) for group in page]
    starts = can(request.user, Capability.IMPORT_REGISTER)
    return render(request, "register/duplicates.html", {
        "page": page, "rows": rows, "run_form": RunForm() if starts else None})


@require_POST
@capability_required(Capability.IMPORT_REGISTER)
def start(request: HttpRequest) -> HttpResponse:
    form = RunForm(request.POST)
    if not form.is_valid():
        return render(request, "register/duplicates.html", {
            "page": None, "rows": [], "run_form": form,
            "explanation": form_lines(form)}, status=400)
    data = form.cleaned_data
    governorate = data["governorate"].pk if data["governorate"] else None
    outcome = run(request, lambda: duplicates.start_detection(
        actor=request.user, election=data["election"], governorate=governorate),
        done=_("Duplicate detection is queued."), flash_refusal=True)
    if outcome.value is not None:
        return redirect("jobs:job", job_id=outcome.value.pk)
    return redirect("register:duplicates")


# The fields shown side by side, labelled with the register's own field names.
SHOWN = ("voter_number", "first_name", "father_name", "grandfather_name", "family_name",
         "mother_name", "sex", "birth_date", "centre", "governorate", "status")


def _value(voter: Voter, field: str) -> str:
    if field == "centre":
        return f"{voter.centre.code} {voter.centre.name}"
    if field == "governorate":
        return str(voter.governorate.name)
    if field in ("sex", "status"):
        return str(getattr(voter, f"get_{field}_display")())
    return str(getattr(voter, field))


def _fields(voters: list[Voter]) -> list[tuple[str, list[str], bool]]:
    """Each field's label, its value in each record, and whether they differ."""
    rows: list[tuple[str, list[str], bool]] = []
    for field in SHOWN:
        values = [_value(v, field) for v in voters]
        label = capfirst(str(getattr(Voter._meta.get_field(field), "verbose_name", field)))
        rows.append((label, values, len(set(values)) > 1))
    return rows


@capability_required(Capability.REVIEW_DUPLICATES)
def group(request: HttpRequest, group_id: int) -> HttpResponse:
    found = duplicates.group_for(request.user, group_id)
    voters = list(Voter.objects.filter(pk__in=found.members.values("voter_id"))
                  .select_related("centre", "governorate").order_by("voter_number"))
    confirm_form = ConfirmForm(voters=voters)
    different_form = DifferentForm()
    explanation: list[str] = []
    status = 200
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "confirm":
            confirm_form = ConfirmForm(request.POST, voters=voters)
            if confirm_form.is_valid():
                outcome = run(request, lambda: duplicates.confirm(
                    actor=request.user, group=found.pk,
                    keep=confirm_form.cleaned_data["keep"]),
                    done=_("Confirmed: one record kept, the others removed."))
                if not outcome.refused:
                    return redirect("register:duplicates")
                explanation = outcome.lines
            else:
                explanation = form_lines(confirm_form)
        elif step == "different":
            different_form = DifferentForm(request.POST)
            if different_form.is_valid():
                outcome = run(request, lambda: duplicates.different_people(
                    actor=request.user, group=found.pk,
                    reason=different_form.cleaned_data["reason"]),
                    done=_("Recorded: different people; every record stays."))
                if not outcome.refused:
                    return redirect("register:duplicates")
                explanation = outcome.lines
            else:
                explanation = form_lines(different_form)
        else:
            explanation = [_("Choose a decision.")]
        status = 400
        found = get_object_or_404(DuplicateGroup, pk=found.pk)
    return render(request, "register/duplicate.html", {
        "group": found, "voters": voters, "fields": _fields(voters),
        "confirm_form": confirm_form, "different_form": different_form,
        "explanation": explanation}, status=status)
