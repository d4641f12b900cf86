"""The portal's public API: writing, reviewing and publishing pages; counting visits.

A page has a version per language; an editor writes and submits it, a second person reviews it
before it is published (``page_version_create`` → ``page_version_submit`` →
``page_version_review``). Visits are counted per page and language, never per visitor.
Shipped content (``portal/content/``) is loaded with ``portal_load_content``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from baken.audit.services import AuditAction, audit_record
from baken.lib.counters import counter_add, counters_add_many
from baken.portal.models import Page, PageVersion, PageViewStat, VersionStatus

__all__ = [
    "CONTENT_DIR",
    "ContentFile",
    "PortalError",
    "missing_key_translations",
    "page_for_reading",
    "page_version_create",
    "page_version_review",
    "page_version_submit",
    "page_view_count",
    "page_view_stats_import",
    "PageViewCount",
    "parse_content_file",
    "portal_load_content",
    "published_pages",
    "published_version",
]

CONTENT_DIR = Path(__file__).parent / "content"


class PortalError(ValueError):
    pass


def published_version(page: Page, language: str) -> PageVersion | None:
    return page.versions.filter(language=language, status=VersionStatus.PUBLISHED).first()


def page_for_reading(page: Page, language: str) -> tuple[PageVersion | None, bool]:
    """The version to show in ``language``; falls back to Dutch, then English.
    Returns the version and whether it is in the asked language."""
    version = published_version(page, language)
    if version is not None:
        return version, True
    for fallback in (settings.LANGUAGE_CODE, "en"):
        version = published_version(page, fallback)
        if version is not None:
            return version, False
    return None, False


def published_pages(language: str) -> list[tuple[Page, PageVersion, bool]]:
    result = []
    for page in Page.objects.all():
        version, in_language = page_for_reading(page, language)
        if version is not None:
            result.append((page, version, in_language))
    return result


def page_version_create(
    *, page: Page, language: str, title: str, summary: str, body: str, author
) -> PageVersion:
    """A new draft, numbered after the last version of this page in this language."""
    if language not in dict(settings.LANGUAGES):
        raise PortalError(_("Choose one of the languages in the list."))
    with transaction.atomic():
        last = page.versions.filter(language=language).aggregate(n=Max("number"))["n"] or 0
        return PageVersion.objects.create(
            page=page,
            language=language,
            number=last + 1,
            title=title.strip(),
            summary=summary.strip(),
            body=body.strip() + "\n",
            status=VersionStatus.DRAFT,
            author=author,
        )


def page_version_submit(*, version: PageVersion, by) -> PageVersion:
    if version.status not in (VersionStatus.DRAFT, VersionStatus.REJECTED):
        raise PortalError(_("Only a draft can be sent for review."))
    version.status = VersionStatus.IN_REVIEW
    version.submitted_at = timezone.now()
    version.save(update_fields=["status", "submitted_at"])
    return version


def page_version_review(*, version: PageVersion, by, approve: bool, note: str = "") -> PageVersion:
    """Publish (replacing the published version) or send back with a note. Four eyes: the
    author cannot review their own version."""
    if version.status != VersionStatus.IN_REVIEW:
        raise PortalError(_("This version is not waiting for review."))
    if version.author_id is not None and version.author_id == by.pk:
        raise PortalError(_("Someone else must review your own text."))
    if not approve and not note.strip():
        raise PortalError(_("Say what must change before it can be published."))
    with transaction.atomic():
        if approve:
            PageVersion.objects.filter(
                page=version.page, language=version.language, status=VersionStatus.PUBLISHED
            ).update(status=VersionStatus.RETIRED)
        version.status = VersionStatus.PUBLISHED if approve else VersionStatus.REJECTED
        version.reviewer = by
        version.reviewed_at = timezone.now()
        version.review_note = note.strip()
        version.save(update_fields=["status", "reviewer", "reviewed_at", "review_note"])
    return version


def page_view_count(*, slug: str, language: str) -> None:
    """Count a visit: one row per day, page and language; nothing about who."""
    key = {"day": timezone.localdate(), "slug": slug, "language": language}
    counter_add(PageViewStat, key, count=1)


@dataclass(frozen=True)
class PageViewCount:
    """Visits of one page in one language on one day, as counted elsewhere (or by the demo)."""

    day: date
    slug: str
    language: str
    count: int


def page_view_stats_import(*, views: Iterable[PageViewCount]) -> int:
    """Add visit counts from earlier work to the trend figures; returns the rows written.

    Checked first, all or nothing: a bad row refuses the import (``PortalError``) and nothing is
    stored. Counts for a day, page and language Baken has already are added to. Audited.
    """
    views = list(views)
    languages = dict(settings.LANGUAGES)
    problems = []
    for row in views:
        if not row.slug or len(row.slug) > 80 or row.slug != row.slug.strip():
            problems.append(_("%(slug)r is not a page address.") % {"slug": row.slug})
        if row.language not in languages:
            problems.append(_("Unknown language %(code)r.") % {"code": row.language})
        if row.count < 0:
            problems.append(_("Counts cannot be negative (%(day)s).") % {"day": row.day})
    if problems:
        raise PortalError(" ".join(problems[:5]))
    with transaction.atomic():
        written = counters_add_many(
            PageViewStat,
            ("day", "slug", "language"),
            (((row.day, row.slug, row.language), {"count": row.count}) for row in views),
        )
        audit_record(
            action=AuditAction.CREATE,
            object_type="portal.PageViewStat",
            purpose=f"import of earlier counts: {len(views)} page days",
        )
    return written


# --- the content shipped with Baken ----------------------------------------------------------


@dataclass(frozen=True)
class ContentFile:
    slug: str
    language: str
    title: str
    summary: str
    body: str


def parse_content_file(path: Path, *, slug: str, language: str) -> ContentFile:
    """A Markdown file with ``title:`` and ``summary:`` between ``---`` lines at the top."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise PortalError(f"{path}: expected front matter between --- lines")
    header, _sep, body = text[4:].partition("\n---\n")
    meta = {}
    for line in header.splitlines():
        key, _colon, value = line.partition(":")
        meta[key.strip()] = value.strip()
    if not meta.get("title") or not meta.get("summary"):
        raise PortalError(f"{path}: title and summary are required")
    return ContentFile(slug, language, meta["title"], meta["summary"], body.strip() + "\n")


def portal_load_content(*, directory: Path = CONTENT_DIR) -> int:
    """Create the pages of ``pages.toml`` and publish the shipped texts where they differ from
    what is published (so editors' later versions are not overwritten by an unchanged file).
    Returns the number of versions published."""
    catalogue = tomllib.loads((directory / "pages.toml").read_text(encoding="utf-8"))
    published = 0
    with transaction.atomic():
        for position, entry in enumerate(catalogue["page"]):
            page, _created = Page.objects.update_or_create(
                slug=entry["slug"],
                defaults={
                    "audience": entry["audience"],
                    "forms": ",".join(entry.get("forms", [])),
                    "is_key": entry.get("key", False),
                    "position": position,
                },
            )
            for path in sorted((directory / page.slug).glob("*.md")):
                content = parse_content_file(path, slug=page.slug, language=path.stem)
                if content.language not in dict(settings.LANGUAGES):
                    continue
                current = published_version(page, content.language)
                if current is not None and (current.title, current.body) == (
                    content.title,
                    content.body,
                ):
                    continue
                if page.versions.filter(language=content.language).exclude(author=None).exists():
                    continue  # an editor has taken this page over: leave it to them
                last = (
                    page.versions.filter(language=content.language).aggregate(n=Max("number"))["n"]
                    or 0
                )
                PageVersion.objects.filter(
                    page=page, language=content.language, status=VersionStatus.PUBLISHED
                ).update(status=VersionStatus.RETIRED)
                PageVersion.objects.create(
                    page=page,
                    language=content.language,
                    number=last + 1,
                    title=content.title,
                    summary=content.summary,
                    body=content.body,
                    status=VersionStatus.PUBLISHED,
                    reviewed_at=timezone.now(),
                    review_note="Shipped with Baken (baken/portal/content).",
                )
                published += 1
    return published


def missing_key_translations() -> list[tuple[str, str]]:
    """(slug, language) of key pages without a published version."""
    missing = []
    for page in Page.objects.filter(is_key=True):
        have = set(
            page.versions.filter(status=VersionStatus.PUBLISHED).values_list("language", flat=True)
        )
        missing += [(page.slug, code) for code, _name in settings.LANGUAGES if code not in have]
    return missing
