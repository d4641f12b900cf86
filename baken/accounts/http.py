"""The request a staff page receives, typed for mypy.

Behind :func:`baken.lib.access.staff_required` the user is a signed-in staff member, so a staff
view takes a :class:`StaffRequest` rather than Django's ``HttpRequest`` (whose ``user`` may be
anonymous). The class is never instantiated: Django still passes its own request object; the
annotations only tell the type checker what the middleware has put on it (the pattern
django-stubs documents for ``request.user``).
"""

from __future__ import annotations

from baken.accounts.models import User
from baken.lib.http import HtmxRequest

__all__ = ["StaffRequest"]


class StaffRequest(HtmxRequest):
    user: User
    #: Seconds until an idle staff session ends (``accounts.middleware``).
    session_seconds_left: int
