from django import template

from baken.directory.models import (
    AUDIENCE_TAXONOMY,
    EXPLOITATION_FORM_TAXONOMY,
    Audience,
    ExploitationForm,
)
from baken.lib.phones import display_phone

register = template.Library()

_LABELS = {
    EXPLOITATION_FORM_TAXONOMY: dict(ExploitationForm.choices),
    AUDIENCE_TAXONOMY: dict(Audience.choices),
}


@register.filter
def term_label(term) -> str:
    """A taxonomy term in the page's language (Baken's own terms are translatable choices)."""
    return str(_LABELS.get(term.taxonomy, {}).get(term.code, term.name))


@register.filter
def phone(number: str) -> str:
    return display_phone(number)
