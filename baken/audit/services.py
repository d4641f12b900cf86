"""The audit trail's public API: record events, track models that hold personal data, search.

Other apps call ``audit_record`` / ``audit_read`` and register their personal-data models with
``audit_track``; changes to those models are then recorded automatically (create, update with
the names of the changed fields — never their values — and delete).

Searching the trail (``audit_search``) is itself recorded, and shows a user only the events of
the organisations they may see. Which those are is decided above this app (``audit`` knows no
roles or regions): ``accounts`` registers the rule with ``audit_scope_register``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import connection, models
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest

from baken.audit.context import Actor, acting_as, current_actor
from baken.audit.maintenance import audit_maintenance
from baken.audit.models import AuditAction, AuditEvent, AuditResult
from baken.audit.selectors import audit_events_search

__all__ = [
    "Actor",
    "AuditAction",
    "AuditResult",
    "acting_as",
    "audit_purge",
    "audit_read",
    "audit_record",
    "audit_record_denial",
    "audit_scope_register",
    "audit_search",
    "audit_search_is_limited",
    "audit_track",
    "tracked_fields",
]

_TRACKED: dict[type[models.Model], tuple[str, ...]] = {}
#: Per tracked model, which of its records are recorded (all when absent).
_WHEN: dict[type[models.Model], Callable[[models.Model], bool]] = {}

#: ``scope(user)`` → the ids of the organisations whose events the user may see, or ``None``
#: for all events, those without an organisation (command line, tasks, visitors) included.
AuditScope = Callable[[Any], Collection[UUID] | None]
_SCOPE: list[AuditScope] = []


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


def audit_scope_register(scope: AuditScope) -> None:
    """Set the rule that decides whose events a user finds (``accounts`` does, in ``ready``).

    Until a rule is registered a search finds nothing: the trail fails closed.
    """
    _SCOPE[:] = [scope]


def audit_search_is_limited(*, user: Any) -> bool:
    """Whether ``user`` sees only part of the trail (their region's organisations)."""
    return not _SCOPE or _SCOPE[0](user) is not None


def audit_search(
    *,
    user: Any,
    actor: str = "",
    object_type: str = "",
    object_id: str = "",
    action: str = "",
    result: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> models.QuerySet[AuditEvent]:
    """The events matching the criteria that ``user`` may see; the search is recorded.

    One event per call (a page of results is a call), naming the criteria used: what was
    searched for, which is about staff and records, never a visitor.
    """
    organisations = _SCOPE[0](user) if _SCOPE else ()
    criteria = {
        "actor": actor,
        "object_type": object_type,
        "object_id": object_id,
        "action": action,
        "result": result,
        "date_from": date_from.isoformat() if date_from else "",
        "date_to": date_to.isoformat() if date_to else "",
    }
    used = {name: value for name, value in criteria.items() if value}
    audit_record(
        action=AuditAction.READ,
        object_type=AuditEvent._meta.label,
        fields=list(used),
        purpose="audit search: "
        + (" ".join(f"{name}={value}" for name, value in used.items()) or "no criteria"),
    )
    return audit_events_search(
        organisations=organisations,
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        action=action,
        result=result,
        date_from=date_from,
        date_to=date_to,
    )


def tracked_fields(model: type[models.Model]) -> tuple[str, ...]:
    return _TRACKED.get(model, ())


def audit_track(
    model: type[models.Model],
    *,
    fields: Sequence[str],
    when: Callable[[models.Model], bool] | None = None,
) -> None:
    """Record every create, change and delete of ``model``, naming the personal-data fields.

    ``when`` limits it to some records: chat messages are recorded when staff write them, not
    each line an anonymous visitor types (that would make the trail a copy of the chat).
    """
    _TRACKED[model] = tuple(fields)
    if when is not None:
        _WHEN[model] = when
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


def _is_recorded(sender: type[models.Model], instance: models.Model) -> bool:
    when = _WHEN.get(sender)
    return when is None or when(instance)


def _record_save(sender, instance, created, raw=False, update_fields=None, **kwargs) -> None:
    if raw or not _is_recorded(sender, instance):  # raw: fixtures loading
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
    if not _is_recorded(sender, instance):
        return
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
