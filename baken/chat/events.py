"""The chat's websocket protocol: frames clients send, events the server sends.

Every frame and event is a JSON object with a ``type``. Frames from clients are validated here
with pydantic before anything else happens; ``docs/chat.md`` documents the whole schema and a
test keeps the two in step (every type named here appears in the document).

Delivery is at-least-once: a message is stored (and numbered with ``seq`` within its
conversation) before it is sent on; after a reconnect a client says which ``seq`` it has seen
last and receives everything after it again. Clients drop what they have already shown by
``seq``, and their own sends carry a ``client_id`` so a retried send is stored once.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

#: A frame larger than this is refused before it is parsed.
MAX_FRAME_BYTES = 16_384

Text = Annotated[str, Field(min_length=1, max_length=4000)]


class _Frame(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- frames from the visitor ------------------------------------------------------------------


class VisitorHello(_Frame):
    type: Literal["hello"]
    token: Annotated[str, Field(min_length=20, max_length=100)]
    last_seq: Annotated[int, Field(ge=0)] = 0


class MessageSend(_Frame):
    type: Literal["message.send"]
    client_id: uuid.UUID
    text: Text


class Typing(_Frame):
    type: Literal["typing"]
    active: bool


class ConsentAnswer(_Frame):
    type: Literal["consent.answer"]
    granted: bool


class ChatEnd(_Frame):
    type: Literal["chat.end"]


class Ping(_Frame):
    type: Literal["ping"]


VisitorFrame = Annotated[
    VisitorHello | MessageSend | Typing | ConsentAnswer | ChatEnd | Ping,
    Field(discriminator="type"),
]

# --- frames from the counsellor console -------------------------------------------------------


class ConsoleHello(_Frame):
    type: Literal["hello"]
    #: The last ``seq`` seen per conversation id; conversations not named are sent whole.
    last_seq: dict[uuid.UUID, Annotated[int, Field(ge=0)]] = {}


class _ConversationFrame(_Frame):
    conversation: uuid.UUID


class ConsoleAccept(_ConversationFrame):
    type: Literal["chat.accept"]


class ConsoleMessageSend(_ConversationFrame):
    type: Literal["message.send"]
    client_id: uuid.UUID
    text: Text


class ConsoleNoteAdd(_ConversationFrame):
    type: Literal["note.add"]
    client_id: uuid.UUID
    text: Text


class ConsoleTyping(_ConversationFrame):
    type: Literal["typing"]
    active: bool


class ConsoleTransfer(_ConversationFrame):
    type: Literal["chat.transfer"]
    to: Annotated[int, Field(ge=1)]


class ConsoleCrisis(_ConversationFrame):
    type: Literal["chat.crisis"]


class ConsoleConsentRequest(_ConversationFrame):
    type: Literal["consent.request"]


class ConsoleTag(_ConversationFrame):
    type: Literal["chat.tag"]
    topics: Annotated[list[str], Field(max_length=12)]


class ConsoleEnd(_ConversationFrame):
    type: Literal["chat.end"]


class ConsoleBlock(_ConversationFrame):
    type: Literal["chat.block"]
    reason: Annotated[str, Field(max_length=300)] = ""


ConsoleFrame = Annotated[
    ConsoleHello
    | ConsoleAccept
    | ConsoleMessageSend
    | ConsoleNoteAdd
    | ConsoleTyping
    | ConsoleTransfer
    | ConsoleCrisis
    | ConsoleConsentRequest
    | ConsoleTag
    | ConsoleEnd
    | ConsoleBlock
    | Ping,
    Field(discriminator="type"),
]

_visitor_adapter = TypeAdapter(VisitorFrame)
_console_adapter = TypeAdapter(ConsoleFrame)


class FrameError(ValueError):
    """A frame that does not fit the schema; ``code`` is machine-readable."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail or code)
        self.code = code


def _parse(adapter: TypeAdapter, raw: str):
    if len(raw.encode()) > MAX_FRAME_BYTES:
        raise FrameError("too_large")
    try:
        return adapter.validate_json(raw)
    except ValidationError as error:
        first = error.errors()[0]
        if first.get("loc") and first["loc"][-1] == "text" and first["type"] == "string_too_long":
            raise FrameError("too_long") from None
        raise FrameError(
            "invalid", f"{first['type']} at {'.'.join(map(str, first['loc']))}"
        ) from None


def parse_visitor_frame(raw: str):
    return _parse(_visitor_adapter, raw)


def parse_console_frame(raw: str):
    return _parse(_console_adapter, raw)


def _frame_types(union) -> tuple[str, ...]:
    """The ``type`` values of a union of frame models, read from their ``Literal`` annotations."""
    members = get_args(get_args(union)[0])
    return tuple(get_args(member.model_fields["type"].annotation)[0] for member in members)


#: Types of frames clients send, and of events the server sends (documented in docs/chat.md).
VISITOR_FRAME_TYPES = _frame_types(VisitorFrame)
CONSOLE_FRAME_TYPES = _frame_types(ConsoleFrame)
SERVER_EVENT_TYPES = (
    "welcome",
    "message",
    "typing",
    "status",
    "queue.position",
    "consent.request",
    "queue",
    "assigned",
    "released",
    "pong",
    "error",
)
