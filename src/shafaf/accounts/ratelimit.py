"""Slowing down password guessing: after a few failures for one name from one address,
logins for that pair are refused for a while."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.forms import UsernameField
from django.utils import timezone

from shafaf.accounts.models import LoginFailure, User

_NAME_LENGTH = LoginFailure._meta.get_field("username").max_length


def _key(username: str) -> str:
    """The name as the login form reads it before checking the password (trimmed and
    NFKC-normalised), lower-cased and cut to the column's length: every spelling that
    logs in as one user counts against one limit, and no name is too long to note."""
    as_read = UsernameField(
        max_length=User._meta.get_field("username").max_length).to_python(username) or ""
    return as_read.lower()[:_NAME_LENGTH]


def _window_start() -> datetime:
    return timezone.now() - timedelta(seconds=settings.SHAFAF_LOGIN_LOCKOUT_SECONDS)


def locked_out(username: str, address: str | None) -> bool:
    recent = LoginFailure.objects.filter(username=_key(username), address=address,
                                         at__gte=_window_start())
    return recent.count() >= settings.SHAFAF_LOGIN_FAILURES_ALLOWED


def note_failure(username: str, address: str | None) -> None:
    LoginFailure.objects.create(username=_key(username), address=address)


def clear(username: str, address: str | None) -> None:
    LoginFailure.objects.filter(username=_key(username), address=address).delete()
