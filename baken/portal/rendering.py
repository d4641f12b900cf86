"""Portal text to HTML: CommonMark via markdown-it-py with raw HTML switched off, so whatever an
editor types can never become markup or script; links other than site-relative paths, ``tel:``
and ``mailto:`` are shown as plain text."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_ALLOWED_PREFIXES = ("/", "tel:", "mailto:", "#")


class _PortalMarkdown(MarkdownIt):
    """CommonMark that lets through only site-relative, ``tel:`` and ``mailto:`` links."""

    def validateLink(self, url: str) -> bool:  # noqa: N802 - markdown-it-py's hook name
        return url.startswith(_ALLOWED_PREFIXES) and not url.startswith("//")


_md = _PortalMarkdown("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.disable("image")


def render_markdown(text: str) -> SafeString:
    return mark_safe(_md.render(text or ""))  # nosec B308, B703 # html=False: no raw HTML passes
