"""Websocket routes of every app, gathered in one list."""

from django.urls import path

from baken.chat.consumers import ConsoleConsumer, VisitorConsumer
from baken.programmes.consumers import LessonConsumer
from baken.web.consumers import HealthConsumer

websocket_urlpatterns = [
    path("ws/health/", HealthConsumer.as_asgi()),
    path("ws/chat/", VisitorConsumer.as_asgi()),
    path("ws/chat/console/", ConsoleConsumer.as_asgi()),
    path("ws/klas/<str:code>/", LessonConsumer.as_asgi()),
]
