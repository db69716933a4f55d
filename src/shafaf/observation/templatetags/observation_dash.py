"""The observation hub's count of unread alerts."""

from __future__ import annotations

from django import template

from shafaf.access.checks import can
from shafaf.access.people import Visitor
from shafaf.access.roles import Capability
from shafaf.observation import alerts

register = template.Library()


@register.simple_tag
def unread_alerts(user: Visitor) -> int:
    return alerts.unread(user) if can(user, Capability.MANAGE_OBSERVERS) else 0
