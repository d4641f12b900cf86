"""The append-only audit trail (BIO2 8.15.01).

Why an app of our own and not django-auditlog: auditlog's ``LogEntry`` has no purpose, result or
organisation, stores an object's ``repr`` (which for a person is their name, spreading personal
data into the trail), and its rows can be changed and deleted through the ORM. Here the model
refuses updates and deletes, and database triggers (SQLite and PostgreSQL, see migration 0002)
refuse them even to raw SQL run through the application's connection.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit event."""


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    READ = "read", _("Read")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Login failed")
    LOGOUT = "logout", _("Logged out")
    DENIED = "denied", _("Access denied")


class AuditResult(models.TextChoices):
    SUCCESS = "success", _("Success")
    DENIED = "denied", _("Denied")
    FAILED = "failed", _("Failed")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit trail is append-only: events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("The audit trail is append-only: events cannot be deleted.")

    def for_object(self, obj: models.Model):
        return self.filter(object_type=obj._meta.label, object_id=str(obj.pk))


class AuditEvent(models.Model):
    """Who did what to which record holding personal data, why, with what result, when.

    Actor and organisation are kept as id plus a name snapshot, not as foreign keys: deleting a
    user must never rewrite the trail, and the trail must still say who it was.
    """

    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    organisation_id = models.UUIDField(_("organisation id"), null=True, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=100, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    result = models.CharField(
        _("result"), max_length=10, choices=AuditResult.choices, default=AuditResult.SUCCESS
    )
    #: ``web 10.0.0.5`` for staff, ``cli``, ``task``, ``api <partner>``; never a visitor's address.
    origin = models.CharField(_("origin"), max_length=100, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type}"
        )

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The audit trail is append-only: events cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit trail is append-only: events cannot be deleted.")
