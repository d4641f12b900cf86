"""The knowledge portal: pages per audience, each with versions per language.

A version is written as a draft, sent for review, and published by a reviewer who is not its
author (four eyes). The published version of a page in a language is the one visitors read;
earlier ones stay as history. Visits are counted per day, page and language only: no cookie,
no identifier.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    VICTIMS = "victims", _("For you, if something is wrong")
    SURROUNDINGS = "surroundings", _("For parents, friends and others around")
    PROFESSIONALS = "professionals", _("For professionals")
    EVERYONE = "everyone", _("For everyone")


class Page(models.Model):
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    forms = models.CharField(_("forms of exploitation"), max_length=80, blank=True, default="")
    is_key = models.BooleanField(
        _("key page"), default=False, help_text=_("Key pages must exist in every language.")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.slug


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Sent back")
    RETIRED = "retired", _("Replaced")


class PageVersion(models.Model):
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=120)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(
        _("text"),
        max_length=20_000,
        help_text=_("Markdown: ## heading, - list item, **bold**, [link](/chat/). No HTML."),
    )
    status = models.CharField(max_length=12, choices=VersionStatus.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True, max_length=2000)

    class Meta:
        ordering = ["page", "language", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language", "number"], name="portal_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["page", "language"],
                condition=models.Q(status="published"),
                name="portal_one_published_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.page.slug} [{self.language}] v{self.number}"


class PageViewStat(models.Model):
    """Visits per day, page and language (trends). Nothing about the visitor."""

    day = models.DateField()
    slug = models.CharField(max_length=80)
    language = models.CharField(max_length=8)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "slug", "language"], name="portal_view_stat_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.slug} [{self.language}]: {self.count}"
