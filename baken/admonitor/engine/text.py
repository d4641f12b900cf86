"""Ad text for comparison: words without contact details, shingles for MinHash, and the
template-and-slots summary that shows what a cluster's ads share and what varies.

Pure Python, no Django.
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher
from typing import TypedDict

from baken.admonitor.engine.contacts import deobfuscate

__all__ = ["Template", "TemplateDict", "shingles", "template_of", "words"]

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_EMAILISH = re.compile(r"\S+@\S+")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-case words, without links, addresses or digits (numbers differ between copies of
    one template: prices, ages, phone numbers)."""
    text = _EMAILISH.sub(" ", _URL.sub(" ", deobfuscate(text).lower()))
    return _WORD.findall(text)


def shingles(tokens: list[str], size: int = 3) -> list[bytes]:
    """Overlapping word n-grams, as bytes for hashing; short texts give their words."""
    if len(tokens) < size:
        return [" ".join(tokens).encode()] if tokens else [b""]
    return list({" ".join(tokens[i : i + size]).encode() for i in range(len(tokens) - size + 1)})


class TemplateDict(TypedDict):
    """A template as stored with its cluster: the text with ``[n]`` for each slot, and per slot
    (numbered as text) its most common values."""

    template: str
    slots: dict[str, list[str]]


class Template:
    """A cluster's text as fixed words and numbered slots, with the values each slot took."""

    def __init__(self, parts: list[str | int], slots: dict[int, Counter[str]]) -> None:
        self.parts = parts
        self.slots = slots

    def __str__(self) -> str:
        return " ".join(p if isinstance(p, str) else f"[{p}]" for p in self.parts)

    def as_dict(self) -> TemplateDict:
        return {
            "template": str(self),
            "slots": {
                str(n): [value for value, _ in counter.most_common(8)]
                for n, counter in self.slots.items()
            },
        }


def template_of(texts: list[str], *, keep: float = 0.6, limit: int = 40) -> Template | None:
    """Align every text against the most typical one: words that most copies share stay, runs
    of words that differ become slots (usually names, cities, ages). None for a single text."""
    token_lists = [words(t) for t in texts[:limit]]
    token_lists = [t for t in token_lists if t]
    if len(token_lists) < 2:
        return None
    base = max(
        token_lists,
        key=lambda t: sum(
            SequenceMatcher(None, t, other, autojunk=False).ratio() for other in token_lists[:10]
        ),
    )
    kept = [0] * len(base)
    variants: list[list[tuple[int, int, str]]] = []
    others = [t for t in token_lists if t is not base]
    for other in others:
        matcher = SequenceMatcher(None, base, other, autojunk=False)
        found = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for i in range(i1, i2):
                    kept[i] += 1
            elif tag in ("replace", "insert"):
                found.append((i1, i2, " ".join(other[j1:j2])))
        variants.append(found)
    fixed = [kept[i] >= keep * len(others) for i in range(len(base))]
    parts: list[str | int] = []
    slot_at: dict[int, int] = {}
    for i, token in enumerate(base):
        if fixed[i]:
            parts.append(token)
        else:
            last = parts[-1] if parts else None
            if not isinstance(last, int):
                last = len(slot_at) + 1
                parts.append(last)
            slot_at[i] = last
    slots: dict[int, Counter[str]] = {n: Counter() for n in set(slot_at.values())}
    for i, token in enumerate(base):
        if i in slot_at:
            slots[slot_at[i]][token] += 1
    for found in variants:
        for i1, i2, value in found:
            slot = next((slot_at[i] for i in range(i1, max(i2, i1 + 1)) if i in slot_at), None)
            if slot is not None and value:
                slots[slot][value] += 1
    return Template(parts, slots)
