"""Who may enter a staff page: the one decorator every staff view wears, and the MFA rule.

This lives in the kernel so that every context, the low ones (``audit``, ``directory``)
included, can guard its pages without importing ``accounts``. It depends only on Django,
django-otp and rules; the role matrix itself is registered with rules by ``accounts``.

A refusal is announced on :data:`access_denied` (a Django signal) instead of being written to
the audit trail here: ``audit`` connects its receiver in its ``AppConfig.ready``, so the kernel
needs no context to have every refusal audited.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import rules
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_otp import user_has_device

__all__ = ["access_denied", "mfa_is_required", "staff_required"]

#: Sent with ``request`` and ``permission`` when a staff member is refused a page.
access_denied = Signal()

StaffView = Callable[..., HttpResponse]


def mfa_is_required() -> bool:
    """Staff need a second factor, except in demo mode."""
    return not settings.DEMO_MODE


def staff_required(permission: str | None) -> Callable[[StaffView], StaffView]:
    """Require a logged-in staff member with a verified second factor and ``permission``.

    The permission is checked against the role matrix only (``rules.has_perm``), never
    Django's superuser flag: in Baken's own pages access follows roles.

    ``permission=None`` means "any staff member" (their own account pages). The permission is
    kept on the view as ``required_permission`` so that the URL-by-URL permission test can
    check every staff URL against the matrix.
    """

    def decorator(view: StaffView) -> StaffView:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user: Any = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.is_verified():
                if user_has_device(user, confirmed=True):
                    return redirect_to_login(request.get_full_path())
                if mfa_is_required():
                    return redirect("accounts:mfa-setup")
            if permission is not None and not rules.has_perm(permission, user):
                access_denied.send(sender=staff_required, request=request, permission=permission)
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_permission = permission  # type: ignore[attr-defined]
        wrapper.staff_view = True  # type: ignore[attr-defined]
        return wrapper

    return decorator
