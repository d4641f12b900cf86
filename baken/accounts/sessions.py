"""When a staff session ends: after an idle spell, and at the latest a fixed time after login.

Both limits are kept in the session itself, so the HTTP middleware (``accounts.middleware``) and
the chat console's websocket (``chat.consumers``) apply the same rule. Two things would defeat
them and are kept out on purpose:

- *Background requests* — the chat queue and lesson board poll every few seconds, and would keep
  an unattended screen logged in for ever. They send ``X-Baken-Background`` (set by
  ``hx-headers`` on the polling element) and do not count as activity.
- *Renewing on every request* — Django extends a session's database expiry each time it is
  saved. The login time is written once, and the last-seen time at most once a minute, so the
  absolute limit is ours, not the expiry date's, and a busy page does not write on each request.

The functions below are pure (a mapping in, a verdict out) so they can be tested without Django.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass

__all__ = [
    "ACTIVITY_WRITE_SECONDS",
    "BACKGROUND_HEADER",
    "LAST_SEEN_KEY",
    "LOGGED_IN_KEY",
    "STEPPED_UP_KEY",
    "SessionLimits",
    "note_activity",
    "note_login",
    "note_step_up",
    "step_up_is_fresh",
    "session_deadline",
    "session_end_reason",
]

LAST_SEEN_KEY = "baken_last_seen"
LOGGED_IN_KEY = "baken_logged_in_at"
#: The request header a polling element sends (``hx-headers``); such a request is not activity.
BACKGROUND_HEADER = "X-Baken-Background"
#: The last-seen time is written only when it moved this far: fewer session writes.
ACTIVITY_WRITE_SECONDS = 60
#: When the user last confirmed it is them (password and second factor again), for step-up.
STEPPED_UP_KEY = "baken_stepped_up_at"


@dataclass(frozen=True)
class SessionLimits:
    idle_seconds: int
    absolute_seconds: int

    @classmethod
    def from_settings(cls) -> SessionLimits:
        # Imported here: the rest of this module stays free of Django.
        from django.conf import settings

        return cls(
            idle_seconds=settings.STAFF_SESSION_IDLE_MINUTES * 60,
            absolute_seconds=settings.SESSION_COOKIE_AGE,
        )


def note_login(session: MutableMapping[str, object], now: int) -> None:
    session[LOGGED_IN_KEY] = now
    session[LAST_SEEN_KEY] = now


def _seconds(session: Mapping[str, object], key: str, default: int) -> int:
    value = session.get(key, default)
    return value if isinstance(value, int) else default


def session_end_reason(
    session: Mapping[str, object], now: int, limits: SessionLimits
) -> str | None:
    """``"idle"``, ``"expired"`` (past the absolute limit) or None while the session holds.

    A session from before these keys existed counts from now: it is given one full term, not
    ended at once."""
    if now - _seconds(session, LOGGED_IN_KEY, now) > limits.absolute_seconds:
        return "expired"
    if now - _seconds(session, LAST_SEEN_KEY, now) > limits.idle_seconds:
        return "idle"
    return None


def session_deadline(session: Mapping[str, object], now: int, limits: SessionLimits) -> int:
    """The moment (epoch seconds) the session ends unless there is activity before it."""
    return min(
        _seconds(session, LOGGED_IN_KEY, now) + limits.absolute_seconds,
        _seconds(session, LAST_SEEN_KEY, now) + limits.idle_seconds,
    )


def note_activity(session: MutableMapping[str, object], now: int) -> bool:
    """Record activity; True when the session was changed (and so must be saved)."""
    changed = False
    if not isinstance(session.get(LOGGED_IN_KEY), int):
        session[LOGGED_IN_KEY] = now
        changed = True
    if now - _seconds(session, LAST_SEEN_KEY, 0) >= ACTIVITY_WRITE_SECONDS:
        session[LAST_SEEN_KEY] = now
        changed = True
    return changed


def note_step_up(session: MutableMapping[str, object], now: int) -> None:
    """The user has just given password and second factor again."""
    session[STEPPED_UP_KEY] = now


def step_up_is_fresh(session: Mapping[str, object], now: int, max_age_seconds: int) -> bool:
    """Whether a step-up happened in this session within the last ``max_age_seconds``.

    Changing a second factor, the password or someone's roles asks for it: a session taken over
    (an unlocked computer, a stolen cookie) cannot change how the account is protected.
    """
    at = _seconds(session, STEPPED_UP_KEY, 0)
    return 0 < at <= now and now - at <= max_age_seconds
