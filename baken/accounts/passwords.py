"""Password rules beyond Django's own validators.

Django 5.2 changed the text of ``MinimumLengthValidator``'s error (``%d`` instead of
``%(min_length)d``) and its Dutch catalogue still has only the old one, so a too-short password
was refused in English. This subclass says the same in Baken's own (translated) words.
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext

__all__ = ["MinimumLengthValidator"]


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: use at least %(count)d character.",
            "This password is too short: use at least %(count)d characters.",
            self.min_length,
        ) % {"count": self.min_length}
