"""Accounts' public API: roles, second factors, the login steps.

Second factors use django-otp: authenticator apps (``AuthenticatorApp``, TOTP with the seed
encrypted), single-use recovery codes (``RecoveryCodes``, password hashes only) and passkeys
(django-otp-webauthn's ``WebAuthnCredential``, a django-otp device too, so
``otp_has_confirmed_device`` counts it). Password guessing is throttled and locked out by
django-axes (settings).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from base64 import b32encode
from datetime import timedelta
from importlib import import_module
from uuid import UUID

import segno
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp.models import Device
from django_otp_webauthn.models import WebAuthnCredential

from baken.accounts.models import (
    ApiToken,
    AuthenticatorApp,
    RecoveryCode,
    RecoveryCodes,
    Role,
    RoleAssignment,
    User,
    recovery_code_hint,
)
from baken.accounts.sessions import (
    SessionLimits,
    note_activity,
    note_step_up,
    session_deadline,
    session_end_reason,
    step_up_is_fresh,
)
from baken.directory.models import Organisation
from baken.lib.access import mfa_is_required

__all__ = [
    "api_token_authenticate",
    "api_token_create",
    "audit_scope",
    "Role",
    "otp_has_confirmed_device",
    "other_sessions_end",
    "otp_devices",
    "otp_match",
    "otp_wait_seconds",
    "passkey_name",
    "passkey_registration_allowed",
    "passkey_remove",
    "passkeys",
    "recovery_codes_create",
    "session_is_verified",
    "staff_session_check",
    "staff_session_note_activity",
    "step_up_is_done",
    "step_up_needs_code",
    "step_up_note",
    "totp_confirm",
    "totp_device_pending",
    "totp_is_set_up",
    "totp_qr_svg_data_uri",
    "totp_secret_base32",
    "user_roles_set",
]

RECOVERY_CODE_COUNT = 10


def user_roles_set(*, user: User, roles: list[str] | set[str]) -> None:
    """Give ``user`` exactly these roles."""
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValueError(f"Unknown roles: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        user.role_assignments.exclude(role__in=roles).delete()
        existing = set(user.role_assignments.values_list("role", flat=True))
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user=user, role=role) for role in sorted(set(roles) - existing)]
        )
    user._roles_cache = None


def audit_scope(user: User) -> set[UUID] | None:
    """Whose events ``user`` finds in the audit trail (registered with ``audit`` in ``ready``).

    An administrator: every event (``None``), those of the command line, tasks and visitors
    too. Anyone else: the events of the organisations of their own organisation's region (by
    its region or its municipality's), or of their own organisation only if it has no region.
    """
    if user.has_role(Role.ADMINISTRATOR):
        return None
    organisation = user.organisation
    if organisation is None:
        return set()
    if organisation.region_id is None:
        return {organisation.pk}
    region = organisation.region_id
    return set(
        Organisation.objects.filter(
            Q(region_id=region) | Q(municipality__region_id=region)
        ).values_list("pk", flat=True)
    )


def session_is_verified(user: User, session) -> bool:
    """Whether a session (a websocket's, which django-otp's middleware never sees) passed the
    second factor: the same device-to-user check as ``django_otp.middleware.OTPMiddleware``."""
    persistent_id = session.get(DEVICE_ID_SESSION_KEY) if session is not None else None
    if not persistent_id:
        return False
    device = Device.from_persistent_id(persistent_id)
    return device is not None and device.user_id == user.pk and device.confirmed


def _stored_session(session_key: str | None):
    """The session as stored now (not as a websocket's scope saw it at connect), or None."""
    if not session_key:
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    if not store.exists(session_key):
        return None
    store.load()
    return store


def staff_session_check(*, session_key: str | None, user: User) -> tuple[str | None, int | None]:
    """For a long-lived connection (the chat console's websocket): why it must stop serving
    ``user`` and when to look again, from one load of the stored session.

    The reason is ``"logged_out"`` (the session is gone, belongs to someone else, or the password
    changed since), ``"inactive"``, ``"idle"`` or ``"expired"`` (``accounts.sessions``), or None
    while the session holds; then the second value is when (epoch seconds) it ends without
    further activity. The same tests as Django's ``get_user`` and the session middleware.
    """
    store = _stored_session(session_key)
    if store is None or str(store.get(SESSION_KEY)) != str(user.pk):
        return "logged_out", None
    fresh = User.objects.filter(pk=user.pk).first()
    if fresh is None or not fresh.is_active:
        return "inactive", None
    if not constant_time_compare(
        str(store.get(HASH_SESSION_KEY, "")), fresh.get_session_auth_hash()
    ):
        return "logged_out", None
    now = int(time.time())
    limits = SessionLimits.from_settings()
    reason = session_end_reason(store, now, limits)
    return reason, None if reason else session_deadline(store, now, limits)


def staff_session_note_activity(*, session_key: str | None) -> None:
    """Count a console action as activity (written at most once a minute)."""
    store = _stored_session(session_key)
    if store is not None and note_activity(store, int(time.time())):
        store.save()


def other_sessions_end(*, user: User) -> None:
    """End every session of ``user`` but the caller's own, which then calls Django's
    ``update_session_auth_hash``: after a second factor changes, an attacker's session ends."""
    user.security_stamp = secrets.token_hex(16)
    user.save(update_fields=["security_stamp"])


def step_up_is_done(*, session) -> bool:
    """Whether this session confirmed password and second factor again a moment ago."""
    return step_up_is_fresh(session, int(time.time()), settings.STAFF_STEP_UP_MINUTES * 60)


def step_up_note(*, session) -> None:
    note_step_up(session, int(time.time()))


def step_up_needs_code(*, user: User) -> bool:
    """Whether a step-up asks for a code besides the password: always when second factors are
    required, and in demo mode once the user has an app or recovery codes."""
    if mfa_is_required():
        return True
    return (
        AuthenticatorApp.objects.filter(user=user, confirmed=True).exists()
        or RecoveryCodes.objects.filter(user=user, confirmed=True).exists()
    )


def otp_has_confirmed_device(user: User) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def otp_devices(*, user: User) -> list[Device]:
    return list(devices_for_user(user, confirmed=True))


def otp_match(*, user: User, token: str) -> Device | None:
    """The confirmed device that accepts ``token`` (a TOTP code or a recovery code), if any.

    Each device throttles failed attempts itself (django-otp ``ThrottlingMixin``).
    """
    token = "".join(token.split())
    for device in devices_for_user(user, confirmed=True):
        with transaction.atomic():
            locked = type(device).objects.select_for_update().get(pk=device.pk)
            if locked.verify_token(token):
                return locked
    return None


def totp_device_pending(*, user: User) -> AuthenticatorApp:
    """The user's unconfirmed authenticator-app device, created when missing."""
    device = AuthenticatorApp.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = AuthenticatorApp.objects.create(
            user=user, name="authenticator app", confirmed=False
        )
    return device


def totp_secret_base32(device: AuthenticatorApp) -> str:
    """The secret as people type it into an authenticator app (groups of four)."""
    raw = b32encode(device.seed_bytes).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def totp_qr_svg_data_uri(device: AuthenticatorApp) -> str:
    """A QR code for the authenticator app, rendered here (segno), never by a third party."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def otp_wait_seconds(device: Device) -> int:
    """Seconds before django-otp's throttle lets ``device`` try a code again (0: now)."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return 0
    locked_until = (details or {}).get("locked_until")
    if locked_until is None:
        return 1
    return max(1, int((locked_until - timezone.now()).total_seconds()) + 1)


def totp_confirm(*, device: AuthenticatorApp, token: str) -> bool:
    """Confirm a new authenticator-app device with its first code.

    A confirmed new app replaces the old one: a lost or replaced phone stops working at once.
    """
    if not device.verify_token("".join(token.split())):
        return False
    with transaction.atomic():
        AuthenticatorApp.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True


def recovery_codes_create(*, user: User) -> list[str]:
    """Replace the user's recovery codes with fresh single-use ones; shown once, then only
    their password hashes are kept."""
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        RecoveryCodes.objects.filter(user=user).delete()
        device = RecoveryCodes.objects.create(user=user, name="recovery codes", confirmed=True)
        RecoveryCode.objects.bulk_create(
            [
                RecoveryCode(
                    device=device, hint=recovery_code_hint(code), digest=make_password(code)
                )
                for code in codes
            ]
        )
    return codes


def totp_is_set_up(*, user: User) -> bool:
    return AuthenticatorApp.objects.filter(user=user, confirmed=True).exists()


def passkeys(*, user: User) -> list[WebAuthnCredential]:
    """The user's passkeys, oldest first."""
    return list(WebAuthnCredential.objects.filter(user=user).order_by("created_at", "pk"))


def passkey_registration_allowed(*, user: User, session) -> bool:
    """Whether ``user`` may add a passkey in this session.

    Only after a verified second step and a fresh step-up, so that neither a stolen password
    nor a session left open can add a factor; in demo mode also without them, as long as the
    user has no factor yet (as ``staff_required``).
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_verified():
        return step_up_is_done(session=session)
    return not mfa_is_required() and not otp_has_confirmed_device(user)


def passkey_name(*, user: User, passkey_id: int, name: str) -> bool:
    """Give one of the user's own passkeys a name; False when it is not theirs."""
    name = " ".join(name.split())[:64]
    if not name:
        return False
    return WebAuthnCredential.objects.filter(user=user, pk=passkey_id).update(name=name) == 1


def passkey_remove(*, user: User, passkey_id: int) -> bool:
    """Remove one of the user's own passkeys; False when it is not theirs."""
    deleted, _ = WebAuthnCredential.objects.filter(user=user, pk=passkey_id).delete()
    return deleted > 0


# --- partner API tokens -----------------------------------------------------------------------

API_TOKEN_PREFIX = "bkn_"  # nosec B105 # the public prefix of every token, not a secret


def api_token_create(*, organisation, name: str) -> tuple[ApiToken, str]:
    """A new token for a partner system; the secret is returned once and never stored."""
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisation=organisation, name=name, digest=hashlib.sha256(secret.encode()).hexdigest()
    )
    return token, secret


def api_token_authenticate(secret: str) -> ApiToken | None:
    if not secret.startswith(API_TOKEN_PREFIX):
        return None
    digest = hashlib.sha256(secret.encode()).hexdigest()
    token = (
        ApiToken.objects.select_related("organisation")
        .filter(digest=digest, revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    # Write "last used" at most once a minute: not one extra UPDATE on every request.
    if token is not None and (
        token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1)
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
