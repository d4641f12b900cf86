"""Request logging that never records who the client is, with a request id and metrics."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

import structlog
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from baken.lib.metrics import REQUEST_SECONDS, REQUESTS

logger = logging.getLogger("baken.requests")

#: A request id from the proxy is taken over only if it looks like one (no log injection).
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
#: Methods counted by name; anything else is "other" (a label per made-up method would grow
#: the metrics without end).
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class RequestLogMiddleware:
    """Log method, path, status and duration — and deliberately no client address.

    The ASGI server's own access log is switched off (``baken serve``), so this is the only
    access log. Query strings are left out as well: they can carry search terms about people.
    Every log line written while the request runs carries its ``request_id`` (structlog's
    context variables; the proxy's ``X-Request-ID`` when it sends a sane one), and the response
    returns it in ``X-Request-ID`` so that a user's report can be found in the log.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            elapsed = time.monotonic() - started
            match = request.resolver_match
            method = request.method if request.method in _METHODS else "other"
            REQUESTS.labels(
                view=match.view_name if match else "unmatched",
                method=method,
                status=str(response.status_code),
            ).inc()
            REQUEST_SECONDS.labels(method=method).observe(elapsed)
            logger.info(
                "%s %s %s %.0fms",
                request.method,
                request.path,
                response.status_code,
                elapsed * 1000,
            )
            response["X-Request-ID"] = request_id
            return response
        finally:
            structlog.contextvars.unbind_contextvars("request_id")


class NoStoreForStaffMiddleware:
    """Every answer under the staff, admin and partner-API prefixes carries
    ``Cache-Control: no-store``: they show personal data, and a shared computer's browser cache
    or back-forward store must not keep a copy (one rule here instead of one per view)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefixes = tuple(settings.NO_STORE_PATH_PREFIXES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(self.prefixes) and "no-store" not in response.get(
            "Cache-Control", ""
        ):
            response["Cache-Control"] = "no-store"  # what a view already forbids stays as it is
        return response


#: The methods Baken answers; anything else (TRACE, CONNECT, made-up ones) gets 405 before a
#: view runs. TRACE would echo the request back (ASVS V13.4.4).
ALLOWED_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class AllowedMethodsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ALLOWED_METHODS:
            response = HttpResponse(status=405)
            response["Allow"] = ", ".join(sorted(ALLOWED_METHODS))
            return response
        return self.get_response(request)
