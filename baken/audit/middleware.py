"""Sets the audit actor for each request: the staff member and their address, or nobody."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from baken.audit.context import Actor, acting_as


class AuditContextMiddleware:
    """Staff requests carry the staff member and their address as origin.

    Anonymous requests carry origin ``web`` and no address at all: a visitor's address is never
    written to the trail (or anywhere else).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = Actor.for_user(user, origin=f"web {request.META.get('REMOTE_ADDR', '')}")
        else:
            actor = Actor(actor_name="anonymous", origin="web")
        with acting_as(actor):
            return self.get_response(request)
