"""The lesson's websocket: it only tells the class screen and the pupils' phones that something
changed, so that they fetch their (server-rendered) part again. Votes and the teacher's steps go
through ordinary HTTP forms, which also work without script.

Anyone with the join code of a running lesson may listen; nothing is sent but "look again", and
nothing about the listener (not even its address) is kept. Frames from the browser are not
needed: a ``ping`` is answered, anything else gets an error and is otherwise ignored.
"""

from __future__ import annotations

import json
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from baken.lib import anonymity
from baken.programmes import services

MAX_FRAME_BYTES = 256
#: Frames (pings included) a listener may send per minute before the socket is closed (4429):
#: the page sends none but an occasional ping.
MAX_FRAMES_PER_MINUTE = 30


class LessonConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        """Accept first, then close with a reason (4404: no such lesson; 4429: too many wrong
        codes from here): closing before accepting would look like a network error to the page,
        which would then try again and again."""
        code = self.scope["url_route"]["kwargs"]["code"]
        client = self.scope.get("client") or ("", 0)
        visitor = anonymity.visitor_key(client[0] or "")
        await self.accept()
        if services.lesson_code_guessing(visitor):
            await self.close(code=4429)
            return
        session = await database_sync_to_async(services.lesson_running_by_code)(code)
        if session is None:
            services.lesson_code_wrong(visitor)
            await self.close(code=4404)
            return
        self.group = services.lesson_group(session)
        self.window, self.frames = time.monotonic(), 0
        await self.channel_layer.group_add(self.group, self.channel_name)

    async def disconnect(self, close_code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if not hasattr(self, "group"):
            return  # closing
        now = time.monotonic()
        if now - self.window > 60:
            self.window, self.frames = now, 0
        self.frames += 1
        if self.frames > MAX_FRAMES_PER_MINUTE:
            await self.close(code=4429)
            return
        frame = None
        if text_data is not None and len(text_data.encode()) <= MAX_FRAME_BYTES:
            try:
                frame = json.loads(text_data)
            except ValueError:
                frame = None
        if isinstance(frame, dict) and frame.get("type") == "ping":
            await self.send(json.dumps({"type": "pong"}))
        else:
            await self.send(json.dumps({"type": "error", "reason": "only ping is understood"}))

    async def lesson_changed(self, message: dict) -> None:
        await self.send(json.dumps({"type": "changed", "change": message["change"]}))
