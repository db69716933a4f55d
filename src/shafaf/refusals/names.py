"""A name that holds a bidirectional control, refused by every form that takes a
name (:func:`shafaf.core.names.bidi_controls` says which characters, and why)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from shafaf.core.names import bidi_controls, character_label


def no_bidi_controls(value: str) -> None:
    """A form field's validator: the first embedding, override or isolate control in
    ``value``, named as Unicode names it."""
    controls = bidi_controls(value)
    if controls:
        raise ValidationError(
            gettext("%(character)s is not allowed in a name") % {
                "character": character_label(controls[0])}, code="bidi_control")
