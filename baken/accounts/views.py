"""Login in two steps (password, then a second factor), second-factor setup, passkeys, staff list.

Passkeys use django-otp-webauthn: its views do the WebAuthn ceremonies (subclassed at the end of
this module so that they fit Baken's login), its JavaScript drives the browser.
"""

from __future__ import annotations

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.forms import SetPasswordForm
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp_webauthn import exceptions as webauthn_errors
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from baken.accounts import services
from baken.accounts.forms import LoginForm, StepUpForm, TokenForm
from baken.accounts.http import StaffRequest
from baken.accounts.models import User
from baken.audit.services import Actor, AuditAction, AuditResult, audit_read, audit_record
from baken.lib.access import mfa_is_required, staff_required

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
            _password_step_failed(request, form.cleaned_data["username"])
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
            if mfa_is_required():
                return redirect("accounts:mfa-setup")
            return redirect(_safe_next(request, next_url))
    return render(request, "accounts/login.html", {"form": form, "next": next_url or ""})


def _pending_user(request: HttpRequest) -> User | None:
    """The user who gave the right password and still owes the second step, while in time.

    Set only by ``login_view``; the code step and the passkey step both start here.
    """
    user_id = request.session.get(PENDING_USER_KEY)
    since = request.session.get(PENDING_SINCE_KEY, 0)
    if user_id is None or time.time() - since > PENDING_MAX_SECONDS:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def _login_with_second_factor(request: HttpRequest, user: User, device: Device) -> str:
    """Log the pending ``user`` in, verified by ``device``; returns where they were going."""
    next_url = request.session.get(PENDING_NEXT_KEY) or "/werk/"
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    for key in (PENDING_USER_KEY, PENDING_SINCE_KEY, PENDING_NEXT_KEY):
        request.session.pop(key, None)
    _record_login(request, user)
    return next_url


#: What the trail says for a failed login under a name no account has: the typed text is never
#: kept (a password typed into the username field would otherwise stay for years).
UNKNOWN_ACCOUNT = "unknown account"


def _password_step_failed(request: HttpRequest, typed_username: str) -> None:
    account = User.objects.filter(username=typed_username).first()
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        object_type="accounts.User",
        object_id=account.pk if account else "",
        result=AuditResult.FAILED,
        actor=Actor.for_user(account, origin=_origin(request))
        if account
        else Actor(actor_name=UNKNOWN_ACCOUNT, origin=_origin(request)),
    )


def _second_step_failed(request: HttpRequest, user: User) -> None:
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        object_type="accounts.User",
        object_id=user.pk,
        purpose="second factor",
        result=AuditResult.FAILED,
        actor=Actor.for_user(user, origin=_origin(request)),
    )


@never_cache
def login_code_view(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Log in again, please: the code step took too long."))
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = _throttled_for(services.otp_devices(user=user))
        device = None if wait else services.otp_match(user=user, token=form.cleaned_data["token"])
        if wait:
            form.add_error("token", _wait_message(wait))
        elif device is None:
            _second_step_failed(request, user)
            form.add_error("token", _("This code is not right, or it has expired. Try again."))
        else:
            return redirect(_login_with_second_factor(request, user, device))
    devices = services.otp_devices(user=user)
    has_passkey = any(isinstance(device, WebAuthnCredential) for device in devices)
    return render(
        request,
        "accounts/login_code.html",
        {
            "form": form,
            "has_codes": any(not isinstance(device, WebAuthnCredential) for device in devices),
            "has_passkey": has_passkey,
            # Elsewhere the session (and so this step) does not exist: start again there.
            **(
                _passkey_page_context(request, path=reverse("accounts:login"))
                if has_passkey
                else {}
            ),
        },
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(
            action=AuditAction.LOGOUT, object_type="accounts.User", object_id=request.user.pk
        )
    logout(request)
    messages.info(request, _("You are logged out."))
    response = redirect("accounts:login")
    # What the browser kept of staff pages (cache, storage) goes too; on a shared computer the
    # next person finds nothing (ASVS V14.3.1).
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


def step_up_redirect(request: HttpRequest) -> HttpResponse | None:
    """A redirect to the step-up page when this session has not confirmed it is the user a
    moment ago, else None. Used by the views below and by the user administration."""
    if services.step_up_is_done(session=request.session):
        return None
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('accounts:step-up')}?{query}")


def step_up_required(view):
    """Changing how an account is protected asks for password and second factor again."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return step_up_redirect(request) or view(request, *args, **kwargs)

    return wrapped


@never_cache
@staff_required(None)
def step_up_view(request: StaffRequest) -> HttpResponse:
    """Confirm it is you: password and a code again, before a change to the account's safety."""
    user = request.user
    needs_code = services.step_up_needs_code(user=user)
    code_devices = [
        d for d in services.otp_devices(user=user) if not isinstance(d, WebAuthnCredential)
    ]
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = StepUpForm(request.POST or None, needs_code=needs_code)
    if request.method == "POST" and form.is_valid():
        checked = authenticate(
            request, username=user.get_username(), password=form.cleaned_data["password"]
        )
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return render(request, "accounts/locked_out.html", status=429)
        if checked is None or checked.pk != user.pk:
            _password_step_failed(request, user.get_username())
            form.add_error("password", _("This password is not right. Try again."))
        elif needs_code:
            wait = _throttled_for(code_devices)
            token = form.cleaned_data["token"]
            device = None if wait else services.otp_match(user=user, token=token)
            if wait:
                form.add_error("token", _wait_message(wait))
            elif device is None:
                _second_step_failed(request, user)
                form.add_error("token", _("This code is not right, or it has expired. Try again."))
        if not form.errors:
            services.step_up_note(session=request.session)
            audit_record(
                action=AuditAction.LOGIN,
                object_type="accounts.User",
                object_id=user.pk,
                purpose="step-up",
                actor=Actor.for_user(user, origin=_origin(request)),
            )
            return redirect(next_url)
    return render(
        request,
        "accounts/step_up.html",
        {
            "form": form,
            "next": next_url,
            "no_code_device": needs_code and not code_devices,
        },
    )


@never_cache
@staff_required(None)
@step_up_required
def password_change_view(request: StaffRequest) -> HttpResponse:
    """A new password, after the step-up; other sessions of the user end (Django's session
    hash), this one stays."""
    form = SetPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        audit_record(
            action=AuditAction.UPDATE,
            object_type="accounts.User",
            object_id=user.pk,
            fields=["password"],
        )
        messages.success(request, _("Your password is changed. Other sessions are logged out."))
        return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form})


@never_cache
def mfa_setup_view(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan or type the secret, confirm with a first code.

    Replacing an app the user already has is a change to the account's safety: step-up first.
    """
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    user = request.user
    if services.otp_has_confirmed_device(user) and not request.user.is_verified():
        logout(request)
        return redirect("accounts:login")
    if services.otp_has_confirmed_device(user) and (refused := step_up_redirect(request)):
        return refused
    device = services.totp_device_pending(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = _throttled_for([device])
        if wait:
            form.add_error("token", _wait_message(wait))
        elif services.totp_confirm(device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            codes = services.recovery_codes_create(user=user)
            services.other_sessions_end(user=user)
            update_session_auth_hash(request, user)
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
            "required": mfa_is_required(),
            "has_device": services.totp_is_set_up(user=user),
        },
    )


@staff_required(None)
def account_view(request: StaffRequest) -> HttpResponse:
    return render(
        request,
        "accounts/account.html",
        {
            "has_device": services.totp_is_set_up(user=request.user),
            "passkeys": services.passkeys(user=request.user),
            "may_add_passkey": services.passkey_registration_allowed(
                user=request.user, session=request.session
            ),
            "needs_step_up": not services.step_up_is_done(session=request.session),
            **_passkey_page_context(request),
        },
    )


@staff_required(None)
def passkey_name_view(request: StaffRequest) -> HttpResponse:
    """Name the passkey the browser has just registered (posted by ``passkeys.js``)."""
    if request.method == "POST":
        named = services.passkey_name(
            user=request.user,
            passkey_id=_int_or_zero(request.POST.get("passkey")),
            name=request.POST.get("name", ""),
        )
        if named:
            messages.success(request, _("Your passkey is saved."))
    return redirect("accounts:account")


@staff_required(None)
@step_up_required
def passkey_remove_view(request: StaffRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("accounts:account")
    passkey_id = _int_or_zero(request.POST.get("passkey"))
    in_use = getattr(request.user, "otp_device", None)
    if not services.passkey_remove(user=request.user, passkey_id=passkey_id):
        return redirect("accounts:account")
    services.other_sessions_end(user=request.user)
    update_session_auth_hash(request, request.user)
    audit_record(
        action=AuditAction.UPDATE,
        object_type="accounts.User",
        object_id=request.user.pk,
        fields=["second_factor"],
    )
    if isinstance(in_use, WebAuthnCredential) and in_use.pk == passkey_id:
        # This session was verified with the passkey that is now gone.
        logout(request)
        messages.info(request, _("You removed the passkey you logged in with. Log in again."))
        return redirect("accounts:login")
    messages.success(request, _("Your passkey is removed."))
    return redirect("accounts:account")


@staff_required(None)
def session_keepalive_view(request: StaffRequest) -> HttpResponse:
    """Called by the session warning's "stay logged in" button; the middleware did the work."""
    return HttpResponse(status=204)


@staff_required("accounts.view_staff")
def staff_list_view(request: StaffRequest) -> HttpResponse:
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
def staff_detail_view(request: StaffRequest, user_id: int) -> HttpResponse:
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


def _int_or_zero(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


def _passkey_page_context(request: HttpRequest, *, path: str = "") -> dict:
    """What a page with django-otp-webauthn's script needs.

    The script reads its configuration from a JSON block (``json_script``: data, never run, so
    the strict CSP holds). Browsers use passkeys only on the RP ID's own host or a subdomain of
    it and never on an IP address, so the page says where passkeys work when it is elsewhere.
    """
    rp_id = settings.OTP_WEBAUTHN_RP_ID
    host, _port = split_domain_port(request.get_host())
    return {
        "passkeys_work_here": host == rp_id or host.endswith(f".{rp_id}"),
        "passkey_address": settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0] + (path or request.path),
        "passkey_config": {
            "beginRegistrationUrl": reverse("accounts:passkey-register-begin"),
            "completeRegistrationUrl": reverse("accounts:passkey-register-complete"),
            "beginAuthenticationUrl": reverse("accounts:passkey-login-begin"),
            "completeAuthenticationUrl": reverse("accounts:passkey-login-complete"),
            "autocompleteLoginFieldSelector": None,  # no passwordless login
            "nextFieldSelector": "input[name='next']",
            "csrfToken": get_token(request),
        },
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


# --- Passkeys: django-otp-webauthn's ceremony views, fitted to Baken's login ---------------------


class _PasskeyRegistrationMixin:
    """Adding a passkey needs a verified second step first (demo mode: see the service)."""

    request: StaffRequest

    def check_can_register(self) -> None:
        if not services.passkey_registration_allowed(
            user=self.request.user, session=self.request.session
        ):
            raise webauthn_errors.NotVerified()


class PasskeyRegisterBeginView(_PasskeyRegistrationMixin, BeginCredentialRegistrationView):
    pass


class PasskeyRegisterCompleteView(_PasskeyRegistrationMixin, CompleteCredentialRegistrationView):
    """Store the new passkey (the package's view) and record it in the audit trail."""

    def post(self, *args, **kwargs) -> HttpResponse:
        response = super().post(*args, **kwargs)  # raises (answered as JSON) when it fails
        services.other_sessions_end(user=self.request.user)
        update_session_auth_hash(self.request, self.request.user)
        audit_record(
            action=AuditAction.UPDATE,
            object_type="accounts.User",
            object_id=self.request.user.pk,
            fields=["second_factor"],
        )
        return response


class _PasskeyLoginMixin:
    """The passkey as the second login step: only for the user ``login_view`` left pending.

    Nobody is logged in yet at this step, so the package would treat the request as a
    passwordless login; ``OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False`` refuses that, and the
    pending user takes the place of the logged-in one. The package then offers only that user's
    passkeys and refuses a passkey of anyone else.
    """

    request: HttpRequest

    def get_user(self) -> User | None:
        return _pending_user(self.request)


class PasskeyLoginBeginView(_PasskeyLoginMixin, BeginCredentialAuthenticationView):
    pass


class PasskeyLoginCompleteView(_PasskeyLoginMixin, CompleteCredentialAuthenticationView):
    def complete_auth(self, device: WebAuthnCredential) -> None:
        self.next_url = _login_with_second_factor(self.request, device.user, device)

    def get_success_url(self) -> str:
        return self.next_url

    def handle_exception(self, exc: Exception) -> HttpResponse:
        user = _pending_user(self.request)
        if user is not None and isinstance(exc, webauthn_errors.OTPWebAuthnApiError):
            _second_step_failed(self.request, user)
        return super().handle_exception(exc)
