"""Staff users, their organisation and their roles.

What a role may do is not stored here: it is the matrix in ``baken/accounts/permissions.py``.
"""

from __future__ import annotations

import secrets
import time
from base64 import b32encode
from collections.abc import Callable
from typing import ClassVar
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP
from encrypted_fields.fields import EncryptedCharField


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    COUNSELLOR = "counsellor", _("Chat counsellor")
    CASEWORKER = "caseworker", _("Caseworker")
    AANDACHTSFUNCTIONARIS = "aandachtsfunctionaris", _("Aandachtsfunctionaris")
    LIAISON = "liaison", _("Police/OM liaison")
    SUPERVISOR = "supervisor", _("Municipal supervisor")
    ANALYST = "analyst", _("Analyst")
    PROGRAMME_MANAGER = "programme_manager", _("Programme manager")
    EDUCATOR = "educator", _("Prevention educator")
    ADMINISTRATOR = "administrator", _("Administrator")


class StaffUserManager(UserManager):
    def with_role(self, role: str):
        return self.filter(role_assignments__role=role, is_active=True).distinct()


_DJANGO_SESSION_HASH_SALT = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"


# django-otp's Device declares ``user`` without a related name; django-stubs cannot follow the
# reverse managers it makes on our own devices (authenticatorapp_set, recoverycodes_set).
class User(AbstractUser):  # type: ignore[django-manager-missing]
    """A staff member. Victims and citizens never have an account."""

    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("organisation"),
        null=True,  # only so that `createsuperuser` can run before the directory is loaded
    )
    #: Renewed when a second factor is added, replaced or removed: part of the session hash, so
    #: every other session of the user ends, as on a password change (ASVS V7.4.3).
    security_stamp = models.CharField(max_length=32, blank=True, default="", editable=False)

    objects: ClassVar[StaffUserManager] = StaffUserManager()

    #: Set on the request's user by django-otp's ``OTPMiddleware``: signed in with a second factor.
    is_verified: Callable[[], bool]

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_session_auth_hash(self) -> str:
        return self._session_auth_hash(secret=None)

    def get_session_auth_fallback_hash(self):
        for fallback in settings.SECRET_KEY_FALLBACKS:
            yield self._session_auth_hash(secret=fallback)

    def _session_auth_hash(self, *, secret: str | None) -> str:
        if not self.security_stamp:
            # Never renewed: Django's own hash (its salt), so that sessions survive the upgrade.
            salt, value = _DJANGO_SESSION_HASH_SALT, self.password
        else:
            salt, value = (
                "baken.accounts.User.session_auth_hash",
                f"{self.password}:{self.security_stamp}",
            )
        return salted_hmac(salt, value, secret=secret, algorithm="sha256").hexdigest()

    #: The role codes, read once per request (``roles``); ``None`` = not read yet.
    _roles_cache: frozenset[str] | None = None

    @property
    def roles(self) -> frozenset[str]:
        """The user's role codes, cached on the instance for one request."""
        cached = self._roles_cache
        if cached is None:
            cached = frozenset(self.role_assignments.values_list("role", flat=True))
            self._roles_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        return [str(labels[role]) for role in sorted(self.roles)]


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        ordering = ["role"]
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_once")]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"


class ApiToken(models.Model):
    """A partner organisation's key for the REST API. Only a SHA-256 digest is stored."""

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("Which system uses it."))
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.name}"


# --- second factors, stored so that a database dump or a backup does not give them away ----------
#
# django-otp's own TOTPDevice keeps the seed as plain hex and its StaticToken keeps recovery codes
# as typed (finding 6 of the security issue). These two devices use django-otp's machinery
# (Device, ThrottlingMixin, TimestampMixin, django_otp.oath.TOTP) with the seed encrypted by
# django-fernet-encrypted-fields (the key rotation of FIELD_ENCRYPTION_KEY covers it) and each
# recovery code kept only as a password hash (Django's hashers: Argon2id in production).

TOTP_STEP_SECONDS = 30
TOTP_DIGITS = 6
#: Codes one step before or after now are accepted (a phone's clock a little off).
TOTP_TOLERANCE_STEPS = 1


def _new_totp_seed() -> str:
    return secrets.token_hex(20)


class AuthenticatorApp(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app (TOTP, RFC 6238) whose seed is encrypted at rest."""

    seed = EncryptedCharField(max_length=80, default=_new_totp_seed)
    #: The time step of the last accepted code: a code is accepted once, never replayed.
    last_step = models.BigIntegerField(default=-1)
    #: How many steps the phone's clock is known to be off; followed on each accepted code.
    drift = models.SmallIntegerField(default=0)

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")

    @property
    def seed_bytes(self) -> bytes:
        return bytes.fromhex(self.seed)

    def get_throttle_factor(self) -> int:
        return 1

    def verify_token(self, token) -> bool:
        allowed, _details = self.verify_is_allowed()
        if not allowed:
            return False
        text = str(token).strip()
        verified = False
        if text.isdigit() and len(text) == TOTP_DIGITS:
            totp = TOTP(self.seed_bytes, TOTP_STEP_SECONDS, 0, TOTP_DIGITS, self.drift)
            totp.time = time.time()
            verified = totp.verify(int(text), TOTP_TOLERANCE_STEPS, self.last_step + 1)
            if verified:
                self.last_step = totp.t()
                self.drift = totp.drift
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
        if not verified:
            self.throttle_increment(commit=True)
        return verified

    def code_now(self) -> str:
        """The code the app shows now (for tests and the demo; never shown to anyone)."""
        totp = TOTP(self.seed_bytes, TOTP_STEP_SECONDS, 0, TOTP_DIGITS, self.drift)
        return f"{totp.token():0{TOTP_DIGITS}d}"

    @property
    def config_url(self) -> str:
        """The otpauth:// address that an authenticator app reads from the QR code."""
        issuer = str(getattr(settings, "OTP_TOTP_ISSUER", "Baken")).replace(":", "")
        label = quote(f"{issuer}:{self.user.get_username()}")
        params = urlencode(
            {
                "secret": b32encode(self.seed_bytes).decode().rstrip("="),
                "algorithm": "SHA1",
                "digits": TOTP_DIGITS,
                "period": TOTP_STEP_SECONDS,
            }
        )
        return f"otpauth://totp/{label}?{params}&issuer={quote(issuer)}"


#: How many leading characters of a recovery code are kept in plain text, to find the one
#: stored hash to check (8 of the code's 40 random bits; the other 32 stay behind the hash).
RECOVERY_CODE_HINT_LENGTH = 2


def recovery_code_hint(code: str) -> str:
    return code[:RECOVERY_CODE_HINT_LENGTH]


class RecoveryCodes(ThrottlingMixin, Device):
    """A user's single-use recovery codes, of which only password hashes are stored."""

    class Meta(Device.Meta):
        verbose_name = _("recovery codes")

    def get_throttle_factor(self) -> int:
        return 1

    def verify_token(self, token) -> bool:
        allowed, _details = self.verify_is_allowed()
        if not allowed:
            return False
        text = str(token).strip().lower()
        # Each code is kept as a password hash (Django's first hasher: Argon2id in production):
        # codes carry 40 random bits, under ASVS's 112 for a fast hash (V6.5.2). The hint picks
        # the (usually one) hash to check, so an attempt costs one hash, not ten.
        match = next(
            (
                code
                for code in self.codes.filter(hint=recovery_code_hint(text))
                if check_password(text, code.digest)
            ),
            None,
        )
        if match is None:
            self.throttle_increment(commit=True)
            return False
        match.delete()
        self.throttle_reset(commit=True)
        return True


class RecoveryCode(models.Model):
    """One single-use recovery code, as a password hash and a two-character hint."""

    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    hint = models.CharField(max_length=RECOVERY_CODE_HINT_LENGTH)
    digest = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"recovery code {self.pk} of {self.device_id}"
