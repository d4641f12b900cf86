"""Ends staff sessions that were idle or are past their absolute limit (``accounts.sessions``),
and tells pages when the session will end."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.translation import gettext as _

from baken.accounts.sessions import (
    BACKGROUND_HEADER,
    LAST_SEEN_KEY,
    SessionLimits,
    note_activity,
    session_deadline,
    session_end_reason,
)

__all__ = ["LAST_SEEN_KEY", "SECONDS_LEFT_HEADER", "StaffSessionMiddleware"]

SECONDS_LEFT_HEADER = "X-Baken-Session-Seconds"


class StaffSessionMiddleware:
    """Log a staff member out after ``STAFF_SESSION_IDLE_MINUTES`` without activity, or
    ``SESSION_MAX_HOURS`` after login, whichever comes first. Background polls do not count
    as activity."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            limits = SessionLimits.from_settings()
            now = int(time.time())
            reason = session_end_reason(request.session, now, limits)
            if reason is not None:
                logout(request)
                if reason == "idle":
                    messages.info(
                        request, _("Your session ended because it was idle. Log in again.")
                    )
                else:
                    messages.info(
                        request,
                        _("Your session ended after %(hours)d hours. Log in again.")
                        % {"hours": limits.absolute_seconds // 3600},
                    )
                if request.headers.get("HX-Request"):
                    # An htmx swap would put the login page inside the page: reload instead.
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
                    return response
                return redirect(settings.LOGIN_URL)
            if not request.headers.get(BACKGROUND_HEADER):
                note_activity(request.session, now)
            seconds_left = max(session_deadline(request.session, now, limits) - now, 0)
            # Typed on StaffRequest (accounts.http), which staff views receive.
            request.session_seconds_left = seconds_left  # type: ignore[attr-defined]
            response = self.get_response(request)
            # The page's warning timer (session.js) follows this on every htmx response.
            response[SECONDS_LEFT_HEADER] = str(seconds_left)
            return response
        return self.get_response(request)
