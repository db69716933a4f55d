"""Accreditation's API (docs/observation-accreditation.md): the public badge verifier
and the logged-in observer's own badge."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth

from shafaf.core.badge_codes import shown
from shafaf.observation import accreditation as acc
from shafaf.observation.models import Observer

router = Router(tags=["accreditation"])


class Verified(Schema):
    status: str
    name: str
    organisation: str
    governorate: str
    kind: str


class Mine(Schema):
    badge_code: str | None
    badge_shown: str | None
    status: str
    """The badge's: valid, revoked or expired; the observer's when there is no badge
    (submitted, refused)."""
    observer_status: str
    organisation: str
    governorate: str
    expires: str | None
    conduct_accepted: bool


@router.get("/verify/{code}", response=Verified, auth=None, summary="Verify a badge")
def verify(request: HttpRequest, code: str) -> Verified:
    """Public. The badge's status (valid, revoked, expired), its holder's name,
    organisation, governorate and kind, and no other personal data. 404 for a code
    never issued, malformed or forged."""
    badge = acc.verify(code[:64])
    if badge is None:
        raise Http404
    observer = badge.observer
    return Verified(status=acc.badge_status(badge), name=observer.full_name,
                    organisation=observer.organisation.name,
                    governorate=observer.governorate.name,
                    kind=observer.organisation.kind)


@router.get("/me", response=Mine, auth=django_auth, summary="The logged-in observer's badge")
def me(request: HttpRequest) -> Mine:
    """401 without a session; 404 for an account that is no observer."""
    observer = (Observer.objects.select_related("organisation", "governorate")
                .filter(user_id=int(request.user.pk or 0)).first())
    if observer is None:
        raise Http404
    badge = acc.current_badge(observer)
    return Mine(badge_code=badge.code if badge else None,
                badge_shown=shown(badge.code) if badge else None,
                status=acc.badge_status(badge) if badge else observer.status,
                observer_status=observer.status, organisation=observer.organisation.name,
                governorate=observer.governorate.name,
                expires=badge.expires.isoformat() if badge else None,
                conduct_accepted=observer.conduct_accepted is not None)
