"""Public portal pages (readable without JavaScript) and the editors' pages."""

from __future__ import annotations

import difflib

import rules
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from baken.directory import services as directory
from baken.lib.access import staff_required
from baken.lib.http import no_store
from baken.portal import selfcheck, services
from baken.portal.forms import HelpFinderForm, PageVersionForm, ReviewForm, SelfCheckForm
from baken.portal.models import Audience, Page, PageVersion, VersionStatus
from baken.portal.rendering import render_markdown


def _language() -> str:
    language = get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def page_index_view(request: HttpRequest) -> HttpResponse:
    language = _language()
    groups: dict[str, list] = {code: [] for code, _label in Audience.choices}
    for page, version, in_language in services.published_pages(language):
        groups[page.audience].append((page, version, in_language))
    sections = [(label, groups[code]) for code, label in Audience.choices if groups[code]]
    return render(request, "portal/index.html", {"sections": sections})


def page_view(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(Page, slug=slug)
    language = _language()
    version, in_language = services.page_for_reading(page, language)
    if version is None:
        raise Http404
    services.page_view_count(slug=page.slug, language=language)
    related = [
        (other, v)
        for other, v, _in in services.published_pages(language)
        if other.pk != page.pk and set(other.forms.split(",")) & set(page.forms.split(",")) - {""}
    ][:4]
    return render(
        request,
        "portal/page.html",
        {
            "page": page,
            "version": version,
            "in_language": in_language,
            "body": render_markdown(version.body),
            "related": related,
        },
    )


def selfcheck_view(request: HttpRequest) -> HttpResponse:
    """Questions, then advice. Answers travel in the POST body only and are not stored."""
    form = SelfCheckForm(request.POST if request.method == "POST" else None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        answers = selfcheck.clean_answers(form.cleaned_data)
        if not answers:
            form.add_error(None, _("Answer at least one question, or choose “I am not sure”."))
        else:
            outcome = selfcheck.evaluate(answers)
            pages = {p.slug: p for p in Page.objects.filter(slug__in=outcome.pages)}
            links = []
            for slug in outcome.pages:
                if slug in pages:
                    version, _in = services.page_for_reading(pages[slug], _language())
                    if version:
                        links.append((slug, version.title))
            context.update(outcome=outcome, encoded=selfcheck.encode(answers), links=links)
    return no_store(render(request, "portal/selfcheck.html", context))


def help_finder_view(request: HttpRequest) -> HttpResponse:
    """The public face of the social map. Confidential shelter addresses never appear."""
    form = HelpFinderForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        found = directory.service_search(form.filters())
        results = Paginator(found, 20).get_page(request.GET.get("page"))
    return render(request, "portal/help_finder.html", {"form": form, "results": results})


# --- editors ----------------------------------------------------------------------------------


@staff_required("portal.edit")
def editor_index_view(request: HttpRequest) -> HttpResponse:
    languages = [code for code, _name in settings.LANGUAGES]
    rows = []
    versions = PageVersion.objects.select_related("page").order_by("page", "language", "-number")
    latest: dict[tuple[int, str], PageVersion] = {}
    published: dict[tuple[int, str], PageVersion] = {}
    for version in versions:
        latest.setdefault((version.page_id, version.language), version)
        if version.status == VersionStatus.PUBLISHED:
            published[(version.page_id, version.language)] = version
    for page in Page.objects.all():
        cells = []
        for code in languages:
            cells.append(
                {
                    "language": code,
                    "latest": latest.get((page.pk, code)),
                    "published": published.get((page.pk, code)),
                }
            )
        rows.append({"page": page, "cells": cells})
    in_review = PageVersion.objects.filter(status=VersionStatus.IN_REVIEW).select_related(
        "page", "author"
    )
    return render(
        request,
        "portal/editor_index.html",
        {"rows": rows, "languages": languages, "in_review": in_review},
    )


@staff_required("portal.edit")
def editor_edit_view(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    page = get_object_or_404(Page, slug=slug)
    if language not in dict(settings.LANGUAGES):
        raise Http404
    latest = page.versions.filter(language=language).first()
    source = latest or services.published_version(page, settings.LANGUAGE_CODE)
    initial = (
        {"title": source.title, "summary": source.summary, "body": source.body} if source else {}
    )
    form = PageVersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        version = services.page_version_create(
            page=page, language=language, author=request.user, **form.cleaned_data
        )
        if "submit" in request.POST:
            services.page_version_submit(version=version, by=request.user)
            messages.success(request, _("Sent for review. A colleague publishes it."))
        else:
            messages.success(request, _("Draft saved."))
        return redirect("portal:version", version_id=version.pk)
    history = page.versions.filter(language=language).select_related("author", "reviewer")
    return render(
        request,
        "portal/editor_edit.html",
        {
            "page": page,
            "language": language,
            "form": form,
            "history": history,
            "from_other_language": latest is None and source is not None,
        },
    )


@staff_required("portal.edit")
def version_view(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(PageVersion.objects.select_related("page", "author"), pk=version_id)
    review_form = ReviewForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "submit":
                services.page_version_submit(version=version, by=request.user)
                messages.success(request, _("Sent for review. A colleague publishes it."))
            elif action in ("approve", "reject"):
                if not rules.has_perm("portal.publish", request.user):
                    raise PermissionDenied
                review_form.is_valid()
                services.page_version_review(
                    version=version,
                    by=request.user,
                    approve=action == "approve",
                    note=review_form.cleaned_data.get("note", ""),
                )
                messages.success(
                    request,
                    _("Published.") if action == "approve" else _("Sent back to the author."),
                )
            return redirect("portal:version", version_id=version.pk)
        except services.PortalError as error:
            review_form.add_error(None, str(error))
    current = services.published_version(version.page, version.language)
    diff = []
    if current is not None and current.pk != version.pk:
        diff = list(
            difflib.unified_diff(
                current.body.splitlines(), version.body.splitlines(), lineterm="", n=1
            )
        )[2:]
    return render(
        request,
        "portal/version.html",
        {
            "version": version,
            "body": render_markdown(version.body),
            "current": current,
            "diff": diff,
            "review_form": review_form,
            "can_publish": rules.has_perm("portal.publish", request.user),
        },
    )
