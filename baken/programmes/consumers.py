"""The lesson's websocket: it only tells the class screen and the pupils' phones that something
changed, so that they fetch their (server-rendered) part again. Votes and the teacher's steps go
through ordinary HTTP forms, which also work without script.

Anyone with the join code of a running lesson may listen; nothing is sent but "look again", and
nothing about the listener (not even its address) is kept. Frames from the browser are not
needed: a ``ping`` is answered, anything else gets an error and is otherwise ignored.
"""

from __future__ import annotations

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from baken.programmes import services

MAX_FRAME_BYTES = 256
#: Frames a listener may send that are not a ping before the socket is closed (4429).
MAX_BAD_FRAMES = 20


class LessonConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        code = self.scope["url_route"]["kwargs"]["code"]
        session = await database_sync_to_async(services.lesson_open)(code)
        if session is None:
            await self.close(code=4404)
            return
        self.group = services.lesson_group(session)
        self.bad_frames = 0
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, close_code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        frame = None
        if text_data is not None and len(text_data.encode()) <= MAX_FRAME_BYTES:
            try:
                frame = json.loads(text_data)
            except ValueError:
                frame = None
        if isinstance(frame, dict) and frame.get("type") == "ping":
            await self.send(json.dumps({"type": "pong"}))
        else:
            self.bad_frames += 1
            if self.bad_frames > MAX_BAD_FRAMES:
                await self.close(code=4429)
                return
            await self.send(json.dumps({"type": "error", "reason": "only ping is understood"}))

    async def lesson_changed(self, message: dict) -> None:
        await self.send(json.dumps({"type": "changed", "change": message["change"]}))
