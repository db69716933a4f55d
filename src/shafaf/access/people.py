"""Who acts, as the type checker sees them.

``Visitor`` is whoever sends a request: a signed-in account or an anonymous visitor
(Django's ``request.user``). ``Account`` is a signed-in one: what a check lets
through and what an action records as having acted. The checks take a visitor and
refuse the anonymous; an action that the system itself may take (an operator at
the command line, the demo data) takes ``None`` for it, and says so in its
signature.

The account model lives in ``shafaf.accounts``, a layer above this one: it is named
here for the type checker only, never imported when the code runs (the import
contract exempts this one type-checking edge).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from shafaf.accounts.models import User

Account: TypeAlias = "User"
Visitor: TypeAlias = "User | AnonymousUser"
