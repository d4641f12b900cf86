"""Portal's numbers for insight: page views per page and language, as facts (no region)."""

from __future__ import annotations

from collections.abc import Iterator

from baken.lib.facts import TOTAL, Fact, month_of
from baken.portal.models import PageViewStat
from baken.portal.services import published_pages

__all__ = ["page_titles", "portal_facts"]


def portal_facts() -> Iterator[Fact]:
    rows = PageViewStat.objects.values_list("day", "slug", "language", "count")
    for day, slug, language, count in rows.iterator():
        month = month_of(day)
        yield Fact("page_views", month, None, TOTAL, "", count=count)
        yield Fact("page_views", month, None, "page", slug, count=count)
        yield Fact("page_views", month, None, "language", language, count=count)


def page_titles(language: str) -> dict[str, str]:
    """{slug: title} of the published pages, in ``language`` where there is a version in it."""
    return {page.slug: version.title for page, version, _ in published_pages(language)}
