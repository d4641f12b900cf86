"""Staff users, their organisation and their roles.

What a role may do is not stored here: it is the matrix in ``baken/accounts/permissions.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


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


class User(AbstractUser):
    """A staff member. Victims and citizens never have an account."""

    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("organisation"),
        null=True,  # only so that `createsuperuser` can run before the directory is loaded
    )

    objects: ClassVar[StaffUserManager] = StaffUserManager()

    #: Set on the request's user by django-otp's ``OTPMiddleware``: signed in with a second factor.
    is_verified: Callable[[], bool]

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

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
