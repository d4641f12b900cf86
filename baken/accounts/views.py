"""Login in two steps (password, then a second factor), second-factor setup, staff list."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from baken.accounts import services
from baken.accounts.decorators import staff_required
from baken.accounts.forms import LoginForm, TokenForm
from baken.accounts.models import User
from baken.audit.services import Actor, AuditAction, AuditResult, audit_read, audit_record

PENDING_USER_KEY = "baken_pending_user"
PENDING_SINCE_KEY = "baken_pending_since"
PENDING_NEXT_KEY = "baken_pending_next"
PENDING_MAX_SECONDS = 300


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next")
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            # django-axes answers with its lockout page (429) from its middleware.
            return render(request, "accounts/locked_out.html", status=429)
        if user is None:
            audit_record(
                action=AuditAction.LOGIN_FAILED,
                object_type="accounts.User",
                result=AuditResult.FAILED,
                actor=Actor(
                    actor_name=form.cleaned_data["username"][:150], origin=_origin(request)
                ),
            )
            form.add_error(None, _("The username or password is not right. Try again."))
        elif services.otp_has_confirmed_device(user):
            request.session.cycle_key()
            request.session[PENDING_USER_KEY] = user.pk
            request.session[PENDING_SINCE_KEY] = int(time.time())
            request.session[PENDING_NEXT_KEY] = _safe_next(request, next_url)
            return redirect("accounts:login-code")
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            _record_login(request, user)
            if services.mfa_is_required():
                return redirect("accounts:mfa-setup")
            return redirect(_safe_next(request, next_url))
    return render(request, "accounts/login.html", {"form": form, "next": next_url or ""})


@never_cache
def login_code_view(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get(PENDING_USER_KEY)
    since = request.session.get(PENDING_SINCE_KEY, 0)
    if user_id is None or time.time() - since > PENDING_MAX_SECONDS:
        messages.info(request, _("Log in again, please: the code step took too long."))
        return redirect("accounts:login")
    user = get_object_or_404(User, pk=user_id, is_active=True)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = _throttled_for(services.otp_devices(user=user))
        device = None if wait else services.otp_match(user=user, token=form.cleaned_data["token"])
        if wait:
            form.add_error("token", _wait_message(wait))
        elif device is None:
            audit_record(
                action=AuditAction.LOGIN_FAILED,
                object_type="accounts.User",
                object_id=user.pk,
                purpose="second factor",
                result=AuditResult.FAILED,
                actor=Actor.for_user(user, origin=_origin(request)),
            )
            form.add_error("token", _("This code is not right, or it has expired. Try again."))
        else:
            next_url = request.session.get(PENDING_NEXT_KEY) or "/werk/"
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            _record_login(request, user)
            return redirect(next_url)
    return render(request, "accounts/login_code.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(
            action=AuditAction.LOGOUT, object_type="accounts.User", object_id=request.user.pk
        )
    logout(request)
    messages.info(request, _("You are logged out."))
    return redirect("accounts:login")


@never_cache
def mfa_setup_view(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan or type the secret, confirm with a first code."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    user = request.user
    if services.otp_has_confirmed_device(user) and not request.user.is_verified():
        logout(request)
        return redirect("accounts:login")
    device = services.totp_device_pending(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = _throttled_for([device])
        if wait:
            form.add_error("token", _wait_message(wait))
        elif services.totp_confirm(device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            codes = services.recovery_codes_create(user=user)
            audit_record(
                action=AuditAction.UPDATE,
                object_type="accounts.User",
                object_id=user.pk,
                fields=["second_factor"],
            )
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        else:
            form.add_error(
                "token", _("This code is not right. Check the time on your phone and try again.")
            )
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "qr_data_uri": services.totp_qr_svg_data_uri(device),
            "secret": services.totp_secret_base32(device),
            "required": services.mfa_is_required(),
            "has_device": services.otp_has_confirmed_device(user),
        },
    )


@staff_required(None)
def account_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/account.html",
        {"has_device": services.otp_has_confirmed_device(request.user)},
    )


@staff_required(None)
def session_keepalive_view(request: HttpRequest) -> HttpResponse:
    """Called by the session warning's "stay logged in" button; the middleware did the work."""
    return HttpResponse(status=204)


@staff_required("accounts.view_staff")
def staff_list_view(request: HttpRequest) -> HttpResponse:
    users = (
        User.objects.filter(is_active=True)
        .select_related("organisation")
        .prefetch_related("role_assignments")
    )
    query = request.GET.get("q", "").strip()[:100]
    if query:
        users = users.filter(last_name__icontains=query) | users.filter(
            organisation__name__icontains=query
        )
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    audit_read(page.object_list, purpose="staff list", fields=["first_name", "last_name"])
    return render(request, "accounts/staff_list.html", {"page": page, "query": query})


@staff_required("accounts.view_staff")
def staff_detail_view(request: HttpRequest, user_id: int) -> HttpResponse:
    member = get_object_or_404(User.objects.select_related("organisation"), pk=user_id)
    audit_read(member, purpose="staff details")
    return render(request, "accounts/staff_detail.html", {"member": member})


def _throttled_for(devices) -> int:
    """Seconds django-otp still refuses codes after wrong ones (0: a code may be tried)."""
    return max((services.otp_wait_seconds(d) for d in devices), default=0)


def _wait_message(seconds: int) -> str:
    return _("Too many wrong codes. Wait %(seconds)s seconds, then try again.") % {
        "seconds": seconds
    }


def _origin(request: HttpRequest) -> str:
    # The login page is for staff; a failed staff login may keep the address (QUALITY.md).
    return f"web {request.META.get('REMOTE_ADDR', '')}"


def _record_login(request: HttpRequest, user: User) -> None:
    audit_record(
        action=AuditAction.LOGIN,
        object_type="accounts.User",
        object_id=user.pk,
        actor=Actor.for_user(user, origin=_origin(request)),
    )
