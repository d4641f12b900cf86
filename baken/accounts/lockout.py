"""django-axes, fitted to Baken: lockout by user name, without keeping where attempts came from.

Axes stores the IP address and browser (user agent) of every attempt and every login. Baken
locks out by user name only (``AXES_LOCKOUT_PARAMETERS``), so neither is needed to protect the
account, and both are personal data kept for no purpose (security issue 13, finding 16). This
handler is axes' own database handler with the two blanked before anything is stored. The audit
trail keeps a staff login's origin on its own terms (``accounts/views.py``).
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler

__all__ = ["AddresslessAxesHandler"]


def _forget_client(request) -> None:
    if request is not None:
        request.axes_ip_address = None
        request.axes_user_agent = ""


class AddresslessAxesHandler(AxesDatabaseHandler):
    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        _forget_client(request)
        return super().user_login_failed(sender, credentials, request, **kwargs)

    def user_logged_in(self, sender, request, user, **kwargs):
        _forget_client(request)
        return super().user_logged_in(sender, request, user, **kwargs)

    def user_logged_out(self, sender, request, user, **kwargs):
        _forget_client(request)
        return super().user_logged_out(sender, request, user, **kwargs)
