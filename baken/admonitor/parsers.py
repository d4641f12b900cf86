"""Readers for the files an authorised user uploads or a scheduled job picks up, in a registry.

Each reader turns a file into ``(position, record or error)`` pairs: ``position`` is the line
(JSON Lines, CSV) or the ad's place on a saved page (HTML), so a refused record can be named.
Records are plain dicts with the fields of ``engine.records.ad_from_mapping``; checking them is
left to that function, so every format is held to the same rules.

Saved HTML pages differ per site. A site layout is a small function registered with
``@html_layout("name")`` that takes the page and yields one dict per ad; see docs/admonitor.md
for how to add one. selectolax (lexbor) parses the HTML; nothing on the page is fetched.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator

from selectolax.lexbor import LexborHTMLParser

from baken.admonitor.engine.records import AdError

__all__ = ["PARSERS", "html_layout", "parser_for", "read_records"]

Record = tuple[int, dict | AdError]
#: name → function(text) yielding (position, record dict or the reason it is refused).
PARSERS: dict[str, Callable[[str], Iterator[Record]]] = {}


def reader(name: str):
    def register(function):
        PARSERS[name] = function
        return function

    return register


def html_layout(name: str):
    """Register a site layout for saved HTML pages as parser ``html:<name>``."""

    def register(function: Callable[[LexborHTMLParser], Iterator[dict]]):
        def read(text: str) -> Iterator[Record]:
            page = LexborHTMLParser(text)
            yield from enumerate(function(page), start=1)

        PARSERS[f"html:{name}"] = read
        return function

    return register


@reader("jsonl")
def read_jsonl(text: str) -> Iterator[Record]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            yield (
                number,
                AdError(
                    "not valid JSON (%(reason)s at column %(column)d)",
                    reason=error.msg,
                    column=error.colno,
                ),
            )
            continue
        yield number, data if isinstance(data, dict) else AdError("a record must be a JSON object")


@reader("csv")
def read_csv(text: str) -> Iterator[Record]:
    """A header row with the field names; image hashes separated by spaces or ``|``."""
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv.DictReader(io.StringIO(text), dialect=dialect)
    for row in rows:
        number = rows.line_num
        if None in row:
            yield number, AdError("more values than columns")
            continue
        record = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        hashes = record.get("image_hashes", "")
        record["image_hashes"] = [h for h in hashes.replace("|", " ").split() if h]
        yield number, record


def _text(node) -> str:
    return node.text(separator=" ", strip=True) if node is not None else ""


@html_layout("voorbeeld-advertenties")
def voorbeeld_layout(page: LexborHTMLParser) -> Iterator[dict]:
    """The invented demo site's listing page: ``<article class="ad" data-id=…>`` cards with a
    title, a text, a city, a name, a phone and photos carrying a ``data-hash``."""
    for card in page.css("article.ad"):
        link = card.css_first("a.ad-link")
        moment = card.css_first("time")
        yield {
            "id": card.attributes.get("data-id") or "",
            "site": "voorbeeld-advertenties.example",
            "url": link.attributes.get("href", "") if link is not None else "",
            "title": _text(card.css_first("h2")),
            "text": _text(card.css_first(".ad-text")),
            "city": _text(card.css_first(".ad-city")),
            "name": _text(card.css_first(".ad-name")),
            "phone": _text(card.css_first(".ad-phone")),
            "posted_at": moment.attributes.get("datetime", "") if moment is not None else "",
            "price": _text(card.css_first(".ad-price")) or None,
            "age": _text(card.css_first(".ad-age")) or None,
            "image_hashes": [
                img.attributes.get("data-hash", "") for img in card.css("img[data-hash]")
            ],
        }


def parser_for(file_name: str, requested: str = "") -> str:
    """The parser to use: the one asked for, or the one the file name suggests."""
    if requested:
        if requested not in PARSERS:
            raise ValueError(requested)
        return requested
    lower = file_name.lower()
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith((".html", ".htm")):
        return "html:voorbeeld-advertenties"
    raise ValueError(file_name)


def read_records(text: str, parser: str) -> Iterator[Record]:
    return PARSERS[parser](text)
