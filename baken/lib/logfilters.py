"""Log filters that keep visitors' addresses out of every log line.

uvicorn's access log is off (``baken serve``), but its ``uvicorn.error`` logger still writes one
INFO line per websocket with the client's address and port; ``DropConnectionLines`` drops those.
``RedactAddresses`` sits on the console handler as a last line of defence: any IPv4 or IPv6
address in a formatted message (other than loopback, the proxy in front of us) becomes
``[address]``.
"""

from __future__ import annotations

import ipaddress
import logging
import re

_CANDIDATE = re.compile(
    r"(?<![\w.:])(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]+)(?![\w.])"
)


def _redact(text: str) -> str:
    def replace(match: re.Match) -> str:
        candidate = match.group(0)
        try:
            address = ipaddress.ip_address(candidate.strip("[]"))
        except ValueError:
            return candidate
        return candidate if address.is_loopback or address.is_unspecified else "[address]"

    return _CANDIDATE.sub(replace, text)


class RedactAddresses(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class DropConnectionLines(logging.Filter):
    """Drop uvicorn's per-connection lines (``'<addr> - "WebSocket /ws/chat/" [accepted]'``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and '"WebSocket ' in record.msg)
