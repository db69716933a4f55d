"""What each POST of the entity, list and candidate pages may carry. Every value
is parsed here, with its size bounded and its choices checked, before an action
sees it: bad input is answered with the form's message and a 400."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from shafaf.access.people import Account
from shafaf.core.certification import CheckKind, CheckOutcome, ExclusionReason
from shafaf.elections.models import Component, Contest
from shafaf.entities import labels
from shafaf.entities.models import Appeal, Candidate, Entity, Objection

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

M = TypeVar("M", bound=Model)

MAX_TEXT = 4000
"""A reason, grounds or a note: a few paragraphs."""
MAX_REFERENCE = 200
"""A document's or a ruling's reference, as the models keep it."""
MAX_POSITION = 999
"""Far beyond the longest list the law allows (twice a governorate's seats)."""

ENTITY_STEPS = ("approve", "reject", "agent", "alliance", "create_list", "logo", "remove_logo")
LIST_STEPS = ("add", "remove", "upload", "submit", "withdraw_list", "start_review",
              "return_to_draft", "certify", "reject")
CANDIDATE_STEPS = ("check", "approve", "restore", "exclude", "decide_objection", "ruling", "appeal",
                   "withdraw", "substitute")
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def step_form(data: Any, steps: tuple[str, ...]) -> forms.Form:
    """The ``step`` a POST asks for, one of ``steps``."""
    form = forms.Form(data)
    form.fields["step"] = forms.ChoiceField(label=_("Step"), choices=[(s, s) for s in steps])
    return form


def _text(label: StrOrPromise, limit: int = MAX_TEXT) -> forms.CharField:
    # Not required here: the action says, in its words, when it needs the text.
    return forms.CharField(label=label, max_length=limit, required=False)


def _choice(queryset: QuerySet[M], label: StrOrPromise, *, required: bool = True
            ) -> forms.ModelChoiceField[M]:
    return forms.ModelChoiceField(label=label, queryset=queryset, required=required)


class ReasonForm(forms.Form):
    reason = _text(_("Reason"))


class GroundsForm(forms.Form):
    grounds = _text(_("Grounds"))


class AgentForm(forms.Form):
    def __init__(self, data: Any, *, agents: QuerySet[Account]) -> None:
        super().__init__(data)
        self.fields["user"] = _choice(agents, _("Agent"))


class AllianceForm(forms.Form):
    def __init__(self, data: Any, *, alliances: QuerySet[Entity]) -> None:
        super().__init__(data)
        self.fields["alliance"] = _choice(alliances, _("Alliance"), required=False)


class NewListForm(forms.Form):
    component = forms.ChoiceField(label=_("Component"), required=False,
                                  choices=[("", ""), *Component.choices])

    def __init__(self, data: Any, *, contests: QuerySet[Contest]) -> None:
        super().__init__(data)
        self.fields["contest"] = _choice(contests, _("Governorate"))


class RemoveForm(forms.Form):
    def __init__(self, data: Any, *, candidates: QuerySet[Candidate]) -> None:
        super().__init__(data)
        self.fields["candidate"] = _choice(candidates, _("Candidate"))


class ObjectionForm(GroundsForm):
    def __init__(self, data: Any, *, candidates: QuerySet[Candidate]) -> None:
        super().__init__(data)
        self.fields["candidate"] = _choice(candidates, _("Candidate"))


class CheckForm(forms.Form):
    kind = forms.ChoiceField(label=_("Check"),
                             choices=[(k.value, labels.CHECKS[k]) for k in CheckKind])
    outcome = forms.ChoiceField(label=_("Outcome"),
                                choices=[(o.value, labels.OUTCOMES[o]) for o in CheckOutcome])
    document = _text(_("Document reference"), MAX_REFERENCE)


class ExcludeForm(forms.Form):
    reasons = forms.MultipleChoiceField(
        label=_("Reasons"), required=False,
        choices=[(r.value, labels.REASONS[r]) for r in ExclusionReason])
    note = _text(_("Note"))


class DecisionForm(forms.Form):
    """Deciding an objection (``subject``: the candidate's objections) or recording
    the ruling on an appeal (the candidate's appeals)."""

    upheld = forms.ChoiceField(label=_("Decision"), choices=YES_NO)
    reason = _text(_("Reason"))
    reference = _text(_("Ruling reference"), MAX_REFERENCE)

    def __init__(self, data: Any, *, field: str,
                 queryset: QuerySet[Objection] | QuerySet[Appeal]) -> None:
        super().__init__(data)
        self.fields[field] = _choice(queryset, _("Objection") if field == "objection"
                                     else _("Appeal"))
