"""The audit trail's public API: record events, track models that hold personal data.

Other apps call ``audit_record`` / ``audit_read`` and register their personal-data models with
``audit_track``; changes to those models are then recorded automatically (create, update with
the names of the changed fields — never their values — and delete).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import connection, models
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest

from baken.audit.context import Actor, acting_as, current_actor
from baken.audit.maintenance import audit_maintenance
from baken.audit.models import AuditAction, AuditEvent, AuditResult

__all__ = [
    "Actor",
    "AuditAction",
    "AuditResult",
    "acting_as",
    "audit_purge",
    "audit_read",
    "audit_record",
    "audit_record_denial",
    "audit_track",
    "tracked_fields",
]

_TRACKED: dict[type[models.Model], tuple[str, ...]] = {}


def audit_purge(*, cutoff: datetime, login_failed_cutoff: datetime) -> int:
    """Delete the events that occurred before ``cutoff`` and the failed logins before
    ``login_failed_cutoff``; return how many went. The retention purge's one way in.

    On PostgreSQL through the function ``baken_audit_purge`` (migration audit 0003), which runs
    as the audit table's owner and refuses cutoffs younger than 364 days (29 for failed logins):
    once ``baken audit secure-database`` has run, the application's role can delete nothing
    else. On SQLite inside the maintenance context."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT baken_audit_purge(%s, %s)", [cutoff, login_failed_cutoff])
            row = cursor.fetchone()
        return int(row[0]) if row else 0
    with audit_maintenance(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM audit_auditevent"
            " WHERE occurred_at < %s OR (action = %s AND occurred_at < %s)",
            [cutoff, AuditAction.LOGIN_FAILED.value, login_failed_cutoff],
        )
        return cursor.rowcount


def audit_record(
    *,
    action: str,
    object_type: str,
    object_id: object = "",
    fields: Sequence[str] = (),
    purpose: str = "",
    result: str = AuditResult.SUCCESS,
    actor: Actor | None = None,
) -> AuditEvent:
    """Append one event; the actor defaults to whoever is acting in this context."""
    who = actor or current_actor()
    return AuditEvent.objects.create(
        actor_id=who.actor_id,
        actor_name=who.actor_name[:150],
        organisation_id=who.organisation_id,
        organisation_name=who.organisation_name[:200],
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        fields=list(fields),
        purpose=purpose[:200],
        result=result,
        origin=who.origin[:100],
    )


def audit_record_denial(*, request: HttpRequest, permission: str, **_: object) -> None:
    """Receiver of ``baken.lib.access.access_denied``: a staff page refused is an audit event."""
    audit_record(
        action=AuditAction.DENIED,
        object_type="url",
        object_id=request.path[:64],
        purpose=permission,
        result=AuditResult.DENIED,
    )


def audit_read(
    objects: models.Model | Iterable[models.Model],
    *,
    purpose: str,
    fields: Sequence[str] | None = None,
) -> None:
    """Record that the current actor read these records (one event per record)."""
    items = [objects] if isinstance(objects, models.Model) else list(objects)
    for obj in items:
        shown = fields if fields is not None else tracked_fields(type(obj))
        audit_record(
            action=AuditAction.READ,
            object_type=obj._meta.label,
            object_id=obj.pk,
            fields=shown,
            purpose=purpose,
        )


def tracked_fields(model: type[models.Model]) -> tuple[str, ...]:
    return _TRACKED.get(model, ())


def audit_track(model: type[models.Model], *, fields: Sequence[str]) -> None:
    """Record every create, change and delete of ``model``, naming the personal-data fields."""
    _TRACKED[model] = tuple(fields)
    uid = f"baken-audit-{model._meta.label}"
    pre_save.connect(_remember_old_values, sender=model, dispatch_uid=f"{uid}-pre")
    post_save.connect(_record_save, sender=model, dispatch_uid=f"{uid}-post")
    post_delete.connect(_record_delete, sender=model, dispatch_uid=f"{uid}-delete")


def _remember_old_values(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance._state.adding or instance.pk is None:
        instance._audit_old = None
        return
    fields = _TRACKED[sender]
    instance._audit_old = sender._default_manager.filter(pk=instance.pk).values(*fields).first()


def _record_save(sender, instance, created, raw=False, update_fields=None, **kwargs) -> None:
    if raw:  # fixtures loading
        return
    fields = _TRACKED[sender]
    if created:
        audit_record(
            action=AuditAction.CREATE,
            object_type=sender._meta.label,
            object_id=instance.pk,
            fields=[
                f for f in fields if getattr(instance, _attname(sender, f), None) not in (None, "")
            ],
        )
        return
    old = getattr(instance, "_audit_old", None) or {}
    changed = [f for f in fields if old.get(f) != getattr(instance, _attname(sender, f), None)]
    if changed or not fields:
        audit_record(
            action=AuditAction.UPDATE,
            object_type=sender._meta.label,
            object_id=instance.pk,
            fields=changed,
        )


def _record_delete(sender, instance, **kwargs) -> None:
    audit_record(
        action=AuditAction.DELETE,
        object_type=sender._meta.label,
        object_id=instance.pk,
        fields=list(_TRACKED[sender]),
    )


def _attname(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is a relation seen from the other side")
    return field.attname
