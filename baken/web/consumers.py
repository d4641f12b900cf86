"""A websocket health check: proves the ASGI server and channel layer carry websockets."""

from __future__ import annotations

import json

from channels.generic.websocket import AsyncWebsocketConsumer


class HealthConsumer(AsyncWebsocketConsumer):
    """Answers ``{"type": "ping"}`` with ``{"type": "pong"}``; anything else is refused."""

    async def connect(self) -> None:
        await self.accept()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            event = json.loads(text_data or "")
        except ValueError:
            event = None
        if not isinstance(event, dict) or event.get("type") != "ping":
            await self.send(json.dumps({"type": "error", "reason": 'expected {"type": "ping"}'}))
            return
        await self.send(json.dumps({"type": "pong"}))
