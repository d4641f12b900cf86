"""The partner API's response header, on every answer under /api/v1/ (errors and 404s too)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from baken.casework.api import API_VERSION

__all__ = ["ApiVersionMiddleware"]


class ApiVersionMiddleware:
    """Every answer under /api/v1/ carries ``API-Version`` (Logius API Design Rules)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/v1/"):
            response["API-Version"] = API_VERSION
        return response
