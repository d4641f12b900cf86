"""Typed access to a form's fields, for forms that narrow a field per request.

``form.fields[name]`` is typed as a plain ``Field``; these return the field as the kind it is
(or fail loudly if a rename broke the form), so setting its queryset or choices type-checks.
"""

from __future__ import annotations

from typing import Any

from django import forms

__all__ = ["choice_field", "model_choice_field"]


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's own copy of the model choice field ``name`` (multiple choice included)."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a model choice field")
    return field


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's own copy of the choice field ``name``."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a choice field")
    return field
