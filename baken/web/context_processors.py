from django.conf import settings


def baken(request):
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
        "session_seconds_left": getattr(request, "session_seconds_left", None),
    }
