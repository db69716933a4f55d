"""The password rules' own wording where Django's does not reach the reader."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, refusing in the project's words: Django 5.2 reworded
    its refusal and its Arabic catalogue still holds the old sentence, so a short
    password was refused in English on an Arabic page."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: it must have at least %(min_length)d character.",
            "This password is too short: it must have at least %(min_length)d characters.",
            self.min_length) % {"min_length": self.min_length}
