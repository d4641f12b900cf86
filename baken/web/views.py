from __future__ import annotations

import asyncio
import hmac
from datetime import timedelta

import rules
from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from baken.accounts.http import StaffRequest
from baken.lib.access import staff_required
from baken.operations.services import mails_failed
from baken.web.health import background_problems, check_name, readiness_checks
from baken.web.metrics import metrics_text


def home_view(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@require_GET
def language_choose_view(request: HttpRequest, code: str) -> HttpResponse:
    """The language links at the top of every public page: plain links, so they work with one
    tap, without a form, and (through quick-exit.js) without a history entry. Only the language
    cookie is set (for the browser session, like Django's ``set_language``)."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    next_url = request.GET.get("next", "/")
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite="Lax",  # as LANGUAGE_COOKIE_SAMESITE (a literal for the type checker)
    )
    return response


def accessibility_view(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html")


@staff_required("web.view_staff_home")
def staff_home_view(request: StaffRequest) -> HttpResponse:
    context: dict[str, object] = {
        # Alerts still reach the user in Baken; say when their e-mail copies did not.
        "mail_failures": mails_failed(
            since=timezone.now() - timedelta(days=14), to=request.user.email
        )
        if request.user.email
        else [],
    }
    if rules.has_perm("admin.access", request.user):
        context["background_problems"] = background_problems()
    return render(request, "web/staff_home.html", context)


@never_cache
def health_view(request: HttpRequest) -> HttpResponse:
    """Liveness and database check for the proxy and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


@never_cache
def health_live_view(request: HttpRequest) -> HttpResponse:
    """The process is up and answers (for a restart decision; nothing else is checked)."""
    return JsonResponse({"status": "ok"})


@never_cache
async def health_ready_view(request: HttpRequest) -> HttpResponse:
    """Whether this instance can do its work; 503 with what is wrong when not (web/health.py)."""
    results = await asyncio.gather(*(check.get_result() for check in readiness_checks()))
    checks = {
        check_name(result.check): "ok" if result.error is None else result.error.message
        for result in results
    }
    failing = any(result.error is not None for result in results)
    return JsonResponse(
        {"status": "unavailable" if failing else "ok", "checks": checks},
        status=503 if failing else 200,
    )


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics (``baken.web.metrics``), for the bearer of ``METRICS_TOKEN``."""
    token = settings.METRICS_TOKEN
    if token:
        offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(offered.encode(), token.encode()):
            raise Http404
    elif settings.PRODUCTION:
        raise Http404
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)


def permission_denied_view(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found_view(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error_view(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
