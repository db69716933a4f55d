"""Which address a request comes from, as far as this server can trust it.

Behind proxies that terminate the connection, REMOTE_ADDR is the nearest proxy's
address, shared by every client. Each proxy appends the address it received the
request from to X-Forwarded-For, so with N trusted proxies the client is the Nth
entry from the right; everything left of it was written by the client and can say
anything. ``SHAFAF_TRUSTED_PROXIES`` is N; with 0 (the default) the header is
ignored, since anyone could send it.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(value: str | None) -> str | None:
    try:
        address = ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(address)


def client_address(request: HttpRequest) -> str | None:
    remote = _valid(request.META.get("REMOTE_ADDR"))
    proxies: int = settings.SHAFAF_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(forwarded) >= proxies:
            found = _valid(forwarded[-proxies])
            if found is not None:
                return found
        # Fewer entries than proxies, or not an address there: the request did not
        # come the configured way (or the configuration is wrong). The connection's
        # own address is the one thing not written by the client.
    return remote


def counted_address(address: str | None) -> str:
    """The address a throttle counts failures against: an IPv6 client holds a whole
    /64 and can pick any address in it, so the network counts as one address; ""
    when there is none."""
    if not address:
        return ""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return ""
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def counted_client(request: HttpRequest) -> str:
    """The request's client as a throttle counts it (:func:`counted_address`)."""
    return counted_address(client_address(request))
