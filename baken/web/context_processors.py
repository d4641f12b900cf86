from django.conf import settings


def baken(request):
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated and request.path.startswith("/werk/"):
        unread = user.notifications.filter(read_at__isnull=True).count()
    return {
        "unread_notifications": unread,
        "DEMO_MODE": settings.DEMO_MODE,
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
        "session_seconds_left": getattr(request, "session_seconds_left", None),
        # Staff pages are in Dutch and English; the public side in every language of the portal.
        "switch_languages": [
            code
            for code, _name in settings.LANGUAGES
            if not request.path.startswith(("/werk/", "/beheer/"))
            or code in settings.STAFF_LANGUAGES
        ],
    }
