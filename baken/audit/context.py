"""Who is acting right now, for the audit trail; set per request, command or task."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class Actor:
    actor_id: int | None = None
    actor_name: str = ""
    organisation_id: UUID | None = None
    organisation_name: str = ""
    origin: str = ""

    @classmethod
    def for_user(cls, user, *, origin: str) -> Actor:
        organisation = getattr(user, "organisation", None)
        return cls(
            actor_id=user.pk,
            actor_name=user.get_username(),
            organisation_id=organisation.pk if organisation else None,
            organisation_name=organisation.name if organisation else "",
            origin=origin,
        )


SYSTEM = Actor(actor_name="system", origin="system")

_current: ContextVar[Actor] = ContextVar("baken_audit_actor", default=SYSTEM)


def current_actor() -> Actor:
    return _current.get()


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)
