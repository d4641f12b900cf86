"""Small helpers for HTTP requests and responses shared by the contexts."""

from django.http import HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

__all__ = ["HtmxRequest", "no_store"]


class HtmxRequest(HttpRequest):
    """A request that has passed django-htmx's middleware (``request.htmx``), for mypy."""

    htmx: HtmxDetails


def no_store(response: HttpResponse) -> HttpResponse:
    """Pages with a visitor's answers, codes or chat: never kept in a cache or the back-forward
    store of a shared browser."""
    response["Cache-Control"] = "no-store"
    return response
