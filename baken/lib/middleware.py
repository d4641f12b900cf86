"""Request logging that never records who the client is."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("baken.requests")


class RequestLogMiddleware:
    """Log method, path, status and duration — and deliberately no client address.

    The ASGI server's own access log is switched off (``baken serve``), so this is the only
    access log. Query strings are left out as well: they can carry search terms about people.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        response = self.get_response(request)
        elapsed_ms = (time.monotonic() - started) * 1000
        logger.info(
            "%s %s %s %.0fms", request.method, request.path, response.status_code, elapsed_ms
        )
        return response
