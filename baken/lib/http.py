"""Small helpers for HTTP responses shared by the contexts."""

from django.http import HttpResponse


def no_store(response: HttpResponse) -> HttpResponse:
    """Pages with a visitor's answers, codes or chat: never kept in a cache or the back-forward
    store of a shared browser."""
    response["Cache-Control"] = "no-store"
    return response
