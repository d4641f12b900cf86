"""A body that is too large is refused before Django reads it (security finding 11), through
the ASGI application the server runs."""

from __future__ import annotations

import pytest
from asgiref.testing import ApplicationCommunicator
from django.conf import settings

from baken.asgi import application

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]
MB = 1024 * 1024


def _scope(path: str, headers: list[tuple[bytes, bytes]]) -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


async def _response(communicator: ApplicationCommunicator) -> tuple[int, bytes]:
    start = await communicator.receive_output(timeout=10)
    assert start["type"] == "http.response.start"
    body = b""
    while True:
        message = await communicator.receive_output(timeout=10)
        body += message.get("body", b"")
        if not message.get("more_body"):
            return start["status"], body


async def test_a_large_anonymous_post_is_refused_from_its_declared_length():
    communicator = ApplicationCommunicator(
        application, _scope("/melden/", [(b"content-length", str(64 * MB).encode())])
    )
    await communicator.send_input({"type": "http.request", "body": b"x" * 1024, "more_body": True})
    status, body = await _response(communicator)
    assert status == 413
    assert "te groot" in body.decode()


async def test_a_streamed_body_is_cut_off_as_soon_as_it_passes_the_limit():
    communicator = ApplicationCommunicator(application, _scope("/melden/", []))
    chunk = b"x" * MB
    sent = 0
    while sent <= settings.REQUEST_BODY_MAX_BYTES:
        await communicator.send_input({"type": "http.request", "body": chunk, "more_body": True})
        sent += len(chunk)
    status, _ = await _response(communicator)  # answered while more body was still announced
    assert status == 413


async def test_staff_pages_with_a_session_take_an_upload_and_without_one_do_not():
    size = str(10 * MB).encode()
    for headers, allowed in [
        ([(b"content-length", size)], False),
        ([(b"content-length", size), (b"cookie", b"sessionid=abc")], True),
    ]:
        communicator = ApplicationCommunicator(application, _scope("/werk/ads/upload/", headers))
        await communicator.send_input(
            {"type": "http.request", "body": b"x" * 10 * MB, "more_body": False}
        )
        status, _ = await _response(communicator)
        assert (status != 413) is allowed, (headers, status)


async def test_an_ordinary_post_goes_through_to_django():
    communicator = ApplicationCommunicator(
        application,
        _scope(
            "/melden/",
            [
                (b"content-type", b"application/x-www-form-urlencoded"),
                (b"content-length", b"7"),
            ],
        ),
    )
    await communicator.send_input({"type": "http.request", "body": b"a=b&c=d", "more_body": False})
    status, _ = await _response(communicator)
    assert status == 403  # Django answered: no CSRF token, not "too large"
