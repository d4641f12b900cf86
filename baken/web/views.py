from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from baken.lib.access import staff_required


def home_view(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


def accessibility_view(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html")


@staff_required("web.view_staff_home")
def staff_home_view(request: HttpRequest) -> HttpResponse:
    return render(request, "web/staff_home.html")


@never_cache
def health_view(request: HttpRequest) -> HttpResponse:
    """Liveness and database check for the proxy and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


def permission_denied_view(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found_view(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error_view(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
