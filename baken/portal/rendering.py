"""Portal text to HTML: CommonMark via markdown-it-py with raw HTML switched off, so whatever an
editor types can never become markup or script; links other than site-relative paths, ``tel:``
and ``mailto:`` are shown as plain text."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_ALLOWED_PREFIXES = ("/", "tel:", "mailto:", "#")


def _validate_link(url: str) -> bool:
    return url.startswith(_ALLOWED_PREFIXES) and not url.startswith("//")


_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.validateLink = _validate_link
_md.disable("image")


def render_markdown(text: str) -> SafeString:
    return mark_safe(_md.render(text or ""))  # noqa: S308 - html=False: no raw HTML passes
