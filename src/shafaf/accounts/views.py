from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import password_validation, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from shafaf.access.addresses import client_address
from shafaf.access.checks import capability_required
from shafaf.access.roles import Capability, Role
from shafaf.accounts import actions, throttle
from shafaf.accounts.models import User
from shafaf.elections.models import Governorate
from shafaf.refusals.names import no_bidi_controls
from shafaf.refusals.pages import run


def _wait_message(wait: timedelta) -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return ngettext("Too many failed attempts: try again in %(minutes)d minute.",
                    "Too many failed attempts: try again in %(minutes)d minutes.",
                    minutes) % {"minutes": minutes}


def _too_many(response: HttpResponse, wait: timedelta) -> HttpResponse:
    response.status_code = 429
    response["Retry-After"] = str(math.ceil(wait.total_seconds()))
    return response


class LoginView(auth_views.LoginView):
    """Django's login, each try taken from the counts that slow down guessing."""

    template_name = "accounts/login.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")
        if "\x00" in username or "\x00" in request.POST.get("password", ""):
            # No name or password holds one, and PostgreSQL cannot store or compare
            # text with it: the site's 400 page, before anything is counted.
            raise BadRequest("NUL in the login form")
        wait = throttle.take_try(username, client_address(request))
        if wait is not None:
            # Without the password: validating it would, through the form's message,
            # tell a guesser whether it was right.
            form = self.get_form_class()(request, data={"username": username})
            form.add_error(None, _wait_message(wait))
            return _too_many(self.render_to_response(self.get_context_data(form=form)), wait)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        throttle.give_back(self.request.POST.get("username", ""),
                           client_address(self.request))
        return super().form_valid(form)


class UserForm(forms.Form):
    username = forms.RegexField(label=gettext_lazy("Username"), regex=r"^[\w.@+-]+$",
                                max_length=150)
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150,
                                required=False, validators=[no_bidi_controls])
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput,
                               help_text=gettext_lazy("The user replaces it at their first "
                                                      "login."))
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
    own = user.pk == request.user.pk
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
        if own:
            status = 403
    return render(request, "accounts/change_user.html", {"form": form, "subject": user,
                                                         "own": own}, status=status)


class OwnPasswordForm(PasswordChangeForm):
    """Django's form (the current password, the new one twice, the validators), and a
    new password that is not the current one: keeping the one an administrator chose
    would leave it known to two people."""

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        new = self.cleaned_data.get("new_password2")
        if new and self.user.check_password(new):
            self.add_error("new_password2",
                           _("The new password must differ from the current one."))
        return cleaned


def change_password(request: HttpRequest) -> HttpResponse:
    """Every signed-in user replaces their own password, knowing the current one; the
    page everyone is sent to while an administrator's choice is still theirs."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    form = OwnPasswordForm(user, request.POST or None)
    if form.is_bound:
        # The current password is checked here too: whoever holds a session must not
        # be able to guess it faster than at the login.
        address = client_address(request)
        wait = throttle.take_try(user.get_username(), address)
        if wait is not None:
            return _too_many(render(request, "accounts/change_password.html", {
                "form": OwnPasswordForm(user), "forced": user.must_change_password,
                "next": request.GET.get("next", ""), "refusal": _wait_message(wait)}), wait)
        if "old_password" not in form.errors:
            throttle.give_back(user.get_username(), address)
    status = 400 if form.is_bound and not form.is_valid() else 200
    if request.method == "POST" and form.is_valid():
        actions.change_own_password(actor=user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)  # this session stays signed in
        messages.success(request, _("Your password has been changed."))
        wanted = request.POST.get("next") or request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
            return redirect(wanted)
        return redirect("portal:dashboard")
    return render(request, "accounts/change_password.html", {
        "form": form, "forced": user.must_change_password,
        "next": request.GET.get("next", "")}, status=status)


@capability_required(Capability.MANAGE_USERS)
def set_password(request: HttpRequest, user_id: int) -> HttpResponse:
    """An administrator sets another user's password, which that user must replace."""
    user = get_object_or_404(User, pk=user_id)
    own = user.pk == request.user.pk
    form = SetPasswordForm(user, request.POST or None)
    status = 400 if form.is_bound and not form.is_valid() else 200
    if request.method == "POST" and form.is_valid():
        outcome = run(request, lambda: actions.set_password(
            actor=request.user, user=user, password=form.cleaned_data["new_password1"]),
            done=_("The password of %(name)s is set: they must change it when they next "
                   "log in.") % {"name": user.username})
        if not outcome.refused:
            return redirect("staff_accounts:change_user", user_id=user.pk)
        form.add_error(None, outcome.lines)
        status = 403
    return render(request, "accounts/set_password.html", {
        "form": form, "subject": user, "own": own}, status=status)
