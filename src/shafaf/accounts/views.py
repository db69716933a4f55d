from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shafaf.access.checks import capability_required
from shafaf.access.roles import Capability, Role
from shafaf.accounts import actions, ratelimit
from shafaf.accounts.models import User
from shafaf.elections.models import Governorate
from shafaf.refusals.names import no_bidi_controls
from shafaf.refusals.pages import run


def client_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


class LoginView(auth_views.LoginView):
    """Django's login, refusing a name and address pair after repeated failures."""

    template_name = "accounts/login.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")
        if ratelimit.locked_out(username, client_address(request)):
            # Without the password: validating it would, through the form's message,
            # tell a guesser whether it was right, lockout or not.
            form = self.get_form_class()(request, data={"username": username})
            form.add_error(None, _("Too many failed attempts. Wait a few minutes and try "
                                   "again."))
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        ratelimit.note_failure(self.request.POST.get("username", ""),
                               client_address(self.request))
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        ratelimit.clear(form.get_user().username, client_address(self.request))
        return super().form_valid(form)


class UserForm(forms.Form):
    username = forms.RegexField(label=gettext_lazy("Username"), regex=r"^[\w.@+-]+$",
                                max_length=150)
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150,
                                required=False, validators=[no_bidi_controls])
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput,
                               min_length=10)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    governorate = forms.ModelChoiceField(label=gettext_lazy("Governorate"),
                                         queryset=Governorate.objects.all(), required=False)

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        password = cleaned.get("password")
        if password:
            # The validators of the settings (length, common passwords, likeness to
            # the name), as Django's own password forms apply them.
            candidate = User(username=cleaned.get("username", ""),
                             first_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class ChangeUserForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    governorate = forms.ModelChoiceField(label=gettext_lazy("Governorate"),
                                         queryset=Governorate.objects.all(), required=False)
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False)


@capability_required(Capability.MANAGE_USERS)
def users(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None)
    status = 400 if form.is_bound and not form.is_valid() else 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = run(request, lambda: actions.create_user(
            actor=request.user, username=data["username"], password=data["password"],
            role=Role(data["role"]), governorate=data["governorate"],
            full_name=data["full_name"]),
            done=_("User %(name)s created.") % {"name": data["username"]})
        if not outcome.refused:
            return redirect("staff_accounts:users")
        form.add_error("governorate", outcome.lines)
    listing = User.objects.select_related("governorate").order_by("username")
    page = Paginator(listing, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/users.html", {"page": page, "form": form},
                  status=status)


@capability_required(Capability.MANAGE_USERS)
def change_user(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(User, pk=user_id)
    form = ChangeUserForm(request.POST or None, initial={
        "role": user.role, "governorate": user.governorate, "is_active": user.is_active})
    status = 400 if form.is_bound and not form.is_valid() else 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = run(request, lambda: actions.change_user(
            actor=request.user, user=user, role=Role(data["role"]),
            governorate=data["governorate"], is_active=data["is_active"]),
            done=_("User %(name)s updated.") % {"name": user.username})
        if not outcome.refused:
            return redirect("staff_accounts:users")
        form.add_error("governorate", outcome.lines)
    return render(request, "accounts/change_user.html", {"form": form, "subject": user},
                  status=status)
