"""Websocket routes of every app, gathered in one list."""

from django.urls import path

from baken.web.consumers import HealthConsumer

websocket_urlpatterns = [
    path("ws/health/", HealthConsumer.as_asgi()),
]
