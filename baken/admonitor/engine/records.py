"""An advertisement as the monitor sees it, and reading one from a JSON object.

Pure Python, no Django. Every field that comes from outside is checked here; a record that does
not pass raises ``AdError`` with the reason, and the caller reports it with its line number.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["Ad", "AdError", "ad_from_json", "ad_from_mapping", "parse_moment"]

MAX_TEXT = 20_000


class AdError(ValueError):
    """A record that is not an advertisement the monitor can use; the message says why.

    ``template`` and ``params`` are kept apart so that the web layer can translate the message
    (the templates are listed for translation in ``baken/admonitor/messages.py``)."""

    def __init__(self, template: str, **params: object) -> None:
        super().__init__(template % params if params else template)
        self.template = template
        self.params = params


@dataclass
class Ad:
    id: str
    text: str
    title: str = ""
    phone: str = ""
    email: str = ""
    city: str = ""
    site: str = ""
    url: str = ""
    name: str = ""
    posted_at: datetime | None = None
    image_hashes: tuple[str, ...] = ()
    price: float | None = None
    age: int | None = None
    #: Filled by extraction: normalised identifiers.
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    handles: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Unique across sites: the same ad id on two sites are two ads."""
        return f"{self.site}:{self.id}" if self.site else self.id


def _text(value: object, name: str, limit: int = 500) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise AdError("'%(field)s' must be text", field=name)
    text = str(value).strip()
    if len(text) > limit:
        raise AdError("'%(field)s' is longer than %(limit)d characters", field=name, limit=limit)
    return text


def parse_moment(value: object, field: str) -> datetime | None:
    """An ISO 8601 date and time from a record (``Z`` allowed); None when absent."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise AdError("'%(field)s' must be a date and time as text (ISO 8601)", field=field)
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise AdError(
            "'%(field)s' is not a date and time: %(value)s", field=field, value=repr(value[:40])
        ) from None


def _number(value: object, name: str, low: float, high: float) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(str(value).replace(",", ".").replace("€", "").strip())
    except ValueError:
        raise AdError(
            "'%(field)s' is not a number: %(value)s", field=name, value=repr(str(value)[:20])
        ) from None
    if not low <= number <= high:
        raise AdError(
            "'%(field)s' is out of range (%(low)s–%(high)s)",
            field=name,
            low=f"{low:g}",
            high=f"{high:g}",
        )
    return number


def ad_from_mapping(data: object) -> Ad:
    if not isinstance(data, dict):
        raise AdError("a record must be a JSON object")
    ad_id = _text(data.get("id"), "id", 200)
    if not ad_id:
        raise AdError("'id' is missing")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise AdError("'text' is missing or empty")
    if len(text) > MAX_TEXT:
        raise AdError(
            "'%(field)s' is longer than %(limit)d characters", field="text", limit=MAX_TEXT
        )
    hashes = data.get("image_hashes") or []
    if not isinstance(hashes, list) or not all(
        isinstance(h, str) and 0 < len(h) <= 128 for h in hashes
    ):
        raise AdError("'image_hashes' must be a list of hashes as text")
    age = _number(data.get("age"), "age", 0, 120)
    return Ad(
        id=ad_id,
        text=text,
        title=_text(data.get("title"), "title"),
        phone=_text(data.get("phone"), "phone", 100),
        email=_text(data.get("email"), "email", 200),
        city=_text(data.get("city"), "city", 100),
        site=_text(data.get("site"), "site", 100),
        url=_text(data.get("url"), "url", 1000),
        name=_text(data.get("name"), "name", 100),
        posted_at=parse_moment(data.get("posted_at"), "posted_at"),
        image_hashes=tuple(dict.fromkeys(h.lower() for h in hashes)),
        price=_number(data.get("price"), "price", 0, 100_000),
        age=int(age) if age is not None else None,
    )


def ad_from_json(line: str) -> Ad:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise AdError(
            "not valid JSON (%(reason)s at column %(column)d)", reason=error.msg, column=error.colno
        ) from None
    return ad_from_mapping(data)
