"""The one decorator every staff view wears."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from baken.accounts.services import mfa_is_required, otp_has_confirmed_device
from baken.audit.services import AuditAction, AuditResult, audit_record


def staff_required(permission: str | None) -> Callable:
    """Require a logged-in staff member with a verified second factor and ``permission``.

    The permission is checked against the role matrix only (``rules.has_perm``), never
    Django's superuser flag: in Baken's own pages access follows roles.

    ``permission=None`` means "any staff member" (their own account pages). The permission is
    kept on the view as ``required_permission`` so that the URL-by-URL permission test can
    check every staff URL against the matrix.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.is_verified():
                if otp_has_confirmed_device(user):
                    return redirect_to_login(request.get_full_path())
                if mfa_is_required():
                    return redirect("accounts:mfa-setup")
            if permission is not None and not rules.has_perm(permission, user):
                audit_record(
                    action=AuditAction.DENIED,
                    object_type="url",
                    object_id=request.path[:64],
                    purpose=permission,
                    result=AuditResult.DENIED,
                )
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_permission = permission  # type: ignore[attr-defined]
        wrapper.staff_view = True  # type: ignore[attr-defined]
        return wrapper

    return decorator
