"""Slowing down password guessing without letting anyone lock another person out.

Each login takes a try, before its password is checked, from two counts: one for
the name from this address, one for this address across every name. A count at its
limit refuses the login until its window ends (a fixed window from the count's first
try); a login that succeeds gives its tries back. The limits are per address: a
guesser elsewhere cannot keep the real user out, and a count for a name never
outlives its window.

Taking the try and checking the limit happen together under a row lock, so forty
parallel guesses get the limit's five tries, not whatever each read before the others
wrote (docs/accounts.md).
"""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.forms import UsernameField
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from shafaf.accounts.models import LoginThrottle, User

Scope = LoginThrottle.Scope
_NAME_LENGTH = LoginThrottle._meta.get_field("username").max_length


def _now() -> datetime:
    return timezone.now()


def _window() -> timedelta:
    return timedelta(seconds=settings.SHAFAF_LOGIN_WINDOW_SECONDS)


def _name(username: str) -> str:
    """The name as the login form reads it before checking the password (trimmed and
    NFKC-normalised), lower-cased and cut to the column's length: every spelling that
    logs in as one user counts against one limit, and no name is too long to note."""
    as_read = UsernameField(
        max_length=User._meta.get_field("username").max_length).to_python(username) or ""
    return as_read.lower()[:_NAME_LENGTH]


def _address(address: str | None) -> str:
    """An IPv6 client holds a whole /64 and can pick any address in it: the network
    counts as one address."""
    if address is None:
        return ""
    parsed = ipaddress.ip_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _counts(username: str, address: str | None) -> list[tuple[Scope, str, str, int]]:
    where = _address(address)
    return [(Scope.ACCOUNT, where, _name(username), settings.SHAFAF_LOGIN_TRIES_PER_ACCOUNT),
            (Scope.ADDRESS, where, "", settings.SHAFAF_LOGIN_TRIES_PER_ADDRESS)]


def _locked(scope: Scope, address: str, username: str, now: datetime) -> LoginThrottle:
    """The count's row, locked until the transaction ends (created if need be)."""
    for _ in range(3):  # a row deleted or created by another login in between: again
        row = LoginThrottle.objects.select_for_update().filter(
            scope=scope, address=address, username=username).first()
        if row is not None:
            return row
        try:
            with transaction.atomic():
                return LoginThrottle.objects.create(scope=scope, address=address,
                                                    username=username, until=now + _window())
        except IntegrityError:
            continue
    raise RuntimeError("the login count kept changing under the lock")


def take_try(username: str, address: str | None) -> timedelta | None:
    """Take one try for ``username`` from ``address``: ``None`` when the login may go
    ahead, else how long until it may."""
    now = _now()
    with transaction.atomic():
        # Always the account's count first, then the address's: two logins lock in
        # the same order and never wait for each other in a circle.
        rows = [(_locked(scope, where, name, now), limit)
                for scope, where, name, limit in _counts(username, address)]
        for row, _limit in rows:
            if row.until <= now:
                row.tries, row.until = 0, now + _window()
        full = [row.until - now for row, limit in rows if row.tries >= limit]
        if not full:
            for row, _limit in rows:
                row.tries += 1
        for row, _limit in rows:
            row.save(update_fields=["tries", "until"])
    # Counts whose window ended long ago say nothing any more.
    LoginThrottle.objects.filter(until__lt=now - _window()).delete()
    return max(full) if full else None


def give_back(username: str, address: str | None) -> None:
    """A login succeeded: its name starts afresh from this address, and the address
    gets back the try it took (a busy office shares one address)."""
    account, shared = _counts(username, address)
    with transaction.atomic():
        LoginThrottle.objects.filter(scope=account[0], address=account[1],
                                     username=account[2]).delete()
        LoginThrottle.objects.filter(scope=shared[0], address=shared[1], username="",
                                     tries__gt=0).update(tries=F("tries") - 1)
