"""A request body limit applied before Django reads the body.

Django's ASGI handler reads a request's whole body (spooling it to a temporary file) before any
view or middleware runs, and ``DATA_UPLOAD_MAX_MEMORY_SIZE`` only applies later, when a form is
parsed: an anonymous 64 MiB POST was taken whole. This ASGI wrapper refuses a body that is too
large as soon as it knows: from ``Content-Length`` before a byte is read, or while the body
streams in. The limit is small for the public side and the partner API, larger only for staff
pages with a session cookie (uploads of ad exports, documents, photos). A reverse proxy should
hold the same limit (docs/deploy.md); this one holds without it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

__all__ = ["RequestBodyLimit"]

Scope = dict[str, Any]
Message = Mapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _BodyTooLarge(Exception):
    pass


class RequestBodyLimit:
    def __init__(
        self,
        app: ASGIApp,
        *,
        public_limit: int,
        staff_limit: int,
        staff_prefixes: tuple[str, ...] = ("/werk/", "/beheer/"),
        session_cookie: str = "sessionid",
    ) -> None:
        self.app = app
        self.public_limit = public_limit
        self.staff_limit = staff_limit
        self.staff_prefixes = staff_prefixes
        self.session_cookie = session_cookie.encode()

    def limit_for(self, scope: Scope) -> int:
        """The larger limit only on staff paths and only with a session cookie: whoever has
        no session cannot make Baken read a large body before the login check."""
        if str(scope.get("path", "")).startswith(self.staff_prefixes):
            for name, value in scope.get("headers", []):
                if name == b"cookie" and self.session_cookie + b"=" in value:
                    return self.staff_limit
        return self.public_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = limit + 1  # a length that is not a number is refused too
                if declared > limit:
                    await _refuse(send, limit)
                    return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except _BodyTooLarge:
            if not started:
                await _refuse(send, limit)


async def _refuse(send: Send, limit: int) -> None:
    megabytes = max(limit // (1024 * 1024), 1)
    # Dutch first (the site's language), English after: the body is read before any language
    # negotiation could run.
    text = (
        f"Dit verzoek is te groot: hoogstens {megabytes} MB.\n"
        f"This request is too large: at most {megabytes} MB.\n"
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(text)).encode()),
                (b"cache-control", b"no-store"),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": text})
