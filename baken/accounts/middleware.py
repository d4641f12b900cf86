"""Ends idle staff sessions and tells pages when the session will end."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

LAST_SEEN_KEY = "baken_last_seen"


class StaffSessionMiddleware:
    """Log a staff member out after ``STAFF_SESSION_IDLE_MINUTES`` without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            idle_limit = settings.STAFF_SESSION_IDLE_MINUTES * 60
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY, now)
            if now - last_seen > idle_limit:
                logout(request)
                messages.info(request, _("Your session ended because it was idle. Log in again."))
                return redirect(settings.LOGIN_URL)
            request.session[LAST_SEEN_KEY] = now
            # Typed on StaffRequest (accounts.http), which staff views receive.
            request.session_seconds_left = idle_limit  # type: ignore[attr-defined]
        return self.get_response(request)
