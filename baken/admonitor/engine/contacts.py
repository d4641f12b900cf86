"""Contact details as advertisers write them: phone numbers, e-mail addresses and handles.

Advertisers dodge filters: "o6-12 34 56 78", "06 twaalf"-style words, "nul zes één twee",
keycap emoji ("0️⃣6️⃣…"), mathematical or full-width digits, separators of every kind ("06*12*34",
"06🔥12🔥34"). This module undoes that (Unicode NFKC, keycap marks, look-alike letters,
spelled-out digits in Dutch and English) and leaves the rest to ``phonenumbers`` (Google's
libphonenumber metadata), which decides what is a valid number and writes it as E.164.

Pure Python, no Django.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import phonenumbers

__all__ = ["deobfuscate", "emails_in", "handles_in", "normalise_phone", "phones_in"]

_INVISIBLE = dict.fromkeys(map(ord, "\ufe0f\ufe0e\u20e3\u200b\u200c\u200d\u2060\u00ad"), None)

#: Spelled-out digits (Dutch and English), as words.
_DIGIT_WORDS = {
    "nul": "0",
    "zero": "0",
    "een": "1",
    "één": "1",
    "eén": "1",
    "one": "1",
    "twee": "2",
    "two": "2",
    "drie": "3",
    "three": "3",
    "vier": "4",
    "four": "4",
    "vijf": "5",
    "five": "5",
    "zes": "6",
    "six": "6",
    "zeven": "7",
    "seven": "7",
    "acht": "8",
    "eight": "8",
    "negen": "9",
    "nine": "9",
}
#: Letters written for digits, accepted only inside a token that also holds a digit or next to
#: digit tokens ("o6", "O6-l2345678").
_LOOKALIKES = str.maketrans({"o": "0", "O": "0", "l": "1", "I": "1", "i": "1"})
_LOOKALIKE_CHARS = set("oOlIi")

_TOKEN = re.compile(r"\+|[^\W_]+", re.UNICODE)
#: What may stand between the parts of one number: short runs of anything that is not a letter
#: or digit (spaces, dashes, dots, slashes, brackets, stars, emoji, ...).
_MAX_GAP = 4


def deobfuscate(text: str) -> str:
    """NFKC (full-width, mathematical and circled digits become 0-9) without keycap marks,
    variation selectors and zero-width characters."""
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE)


def _digits_of(token: str, *, in_run: bool) -> str | None:
    """The digits a token stands for, or None when it is an ordinary word."""
    if token.isdigit():
        return token
    lower = token.lower()
    if lower in _DIGIT_WORDS:
        return _DIGIT_WORDS[lower]
    if set(token) <= _LOOKALIKE_CHARS | set("0123456789"):
        if any(c.isdigit() for c in token) or (in_run and len(token) <= 2):
            return token.translate(_LOOKALIKES)
    return None


#: A run of digit-like tokens: the positions in its digits where a "+" stood, and the digits.
Run = tuple[set[int], str]


def _runs(text: str) -> list[Run]:
    """Runs of digit-like tokens separated by short gaps: [(plus_positions, digits), ...]."""
    runs: list[Run] = []
    digits: list[str] = []
    plus_at: set[int] = set()
    last_end: int | None = None
    pending_plus = False
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        gap_ok = last_end is not None and match.start() - last_end <= _MAX_GAP
        if token == "+":  # nosec B105 # a plus sign of a phone number, not a password
            if digits and not gap_ok:
                runs.append((plus_at, "".join(digits)))
                digits, plus_at = [], set()
            pending_plus = True
            last_end = match.end()
            continue
        value = _digits_of(token, in_run=bool(digits) and gap_ok)
        if value is None:
            if digits:
                runs.append((plus_at, "".join(digits)))
            digits, plus_at, last_end, pending_plus = [], set(), None, False
            continue
        if digits and not gap_ok:
            runs.append((plus_at, "".join(digits)))
            digits, plus_at = [], set()
        if pending_plus:
            plus_at.add(sum(len(d) for d in digits))
            pending_plus = False
        digits.append(value)
        last_end = match.end()
    if digits:
        runs.append((plus_at, "".join(digits)))
    return runs


@lru_cache(maxsize=65536)
def _valid(candidate: str, region: str) -> str | None:
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _numbers_in_run(plus_at: set[int], digits: str, region: str) -> list[str]:
    """Cut a run of digits into valid numbers, longest first at each position."""
    found, i = [], 0
    while i < len(digits) - 7:
        match = None
        if i in plus_at or digits.startswith("00", i):
            start = i + (0 if i in plus_at else 2)
            for length in range(15, 7, -1):
                if start + length <= len(digits):
                    match = _valid("+" + digits[start : start + length], region)
                    if match:
                        i = start + length
                        break
        elif digits[i] == "0":
            for length in (10, 11, 9):
                if i + length <= len(digits):
                    match = _valid(digits[i : i + length], region)
                    if match:
                        i += length
                        break
        elif digits.startswith("31", i) and i + 11 <= len(digits):
            match = _valid("+" + digits[i : i + 11], region)
            if match:
                i += 11
        elif digits[i] == "6" and i + 9 <= len(digits) and region == "NL":
            # "6-12345678": the trunk 0 left out.
            match = _valid("0" + digits[i : i + 9], region)
            if match:
                i += 9
        if match:
            found.append(match)
        else:
            i += 1
    return found


#: Where a number can start: a digit, or the spelled-out 0 that every national number and
#: every "00" prefix begins with. Spelled-out numbers are at most ~60 characters long.
_DIGIT_SEED = re.compile(r"\d+|\b(?:nul|zero|plus|zes|six)\b", re.IGNORECASE)
#: How far around a seed to look for the rest of a number.
_ZONE = 64


def _zones(text: str, seed: re.Pattern[str], reach: int) -> list[str]:
    """The parts of ``text`` within ``reach`` of a seed match, merged, cut at spaces; only
    these need the slow scan (an ad's prose has no digits for most of its length)."""
    spans: list[list[int]] = []
    for match in seed.finditer(text):
        start, end = max(match.start() - reach, 0), min(match.end() + reach, len(text))
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    zones = []
    for start, end in spans:
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        zones.append(text[start:end])
    return zones


def phones_in(text: str, *, region: str = "NL") -> list[str]:
    """Every valid phone number in ``text``, as E.164, in order of appearance, once each."""
    if not text:
        return []
    seen: dict[str, None] = {}
    for zone in _zones(deobfuscate(text), _DIGIT_SEED, _ZONE):
        for plus_at, digits in _runs(zone):
            if len(digits) < 8:
                continue
            for number in _numbers_in_run(plus_at, digits, region):
                seen.setdefault(number, None)
    return list(seen)


def normalise_phone(raw: str, *, region: str = "NL") -> str | None:
    """The first valid number in ``raw`` as E.164, or None."""
    numbers = phones_in(raw, region=region)
    return numbers[0] if numbers else None


_AT = r"\s*(?:@|\(at\)|\[at\]|\{at\}|\bat\b|\bapenstaartje\b)\s*"
_DOT = r"\s*(?:\.|\(dot\)|\[dot\]|\{dot\}|\bdot\b|\bpunt\b)\s*"
_EMAIL = re.compile(
    rf"([a-z0-9][a-z0-9._%+-]{{0,63}}){_AT}([a-z0-9-]{{1,63}}(?:{_DOT}[a-z0-9-]{{1,63}})*){_DOT}([a-z]{{2,12}})\b",
    re.IGNORECASE,
)
_AT_SEED = re.compile(r"@|\(at\)|\[at\]|\{at\}|\bat\b|apenstaartje", re.IGNORECASE)
_DOT_WORDS = re.compile(r"\s*(?:\(dot\)|\[dot\]|\{dot\}|\bdot\b|\bpunt\b)\s*", re.IGNORECASE)
_HANDLE = re.compile(
    r"\b(telegram|snap(?:chat)?|insta(?:gram)?|signal|kik|onlyfans|twitter)\s*[:=]?\s*@?([a-z0-9_.]{3,32})",
    re.IGNORECASE,
)
_HANDLE_WORDS = ("telegram", "snap", "insta", "signal", "kik", "onlyfans", "twitter")
_HANDLE_KIND = {"snap": "snapchat", "insta": "instagram"}


def emails_in(text: str) -> list[str]:
    """E-mail addresses, also when written "naam (at) gmail punt com"; lower case, once each."""
    if not text:
        return []
    seen: dict[str, None] = {}
    for zone in _zones(deobfuscate(text), _AT_SEED, 80):
        for match in _EMAIL.finditer(zone):
            local, domain, tld = match.groups()
            domain = _DOT_WORDS.sub(".", domain).replace(" ", "")
            seen.setdefault(f"{local}@{domain}.{tld}".lower(), None)
    return list(seen)


def handles_in(text: str) -> list[str]:
    """Messenger and social handles named with their service ("telegram: @naam"), as
    ``service:handle``; once each."""
    if not text:
        return []
    seen: dict[str, None] = {}
    lowered = text.lower()
    if not any(word in lowered for word in _HANDLE_WORDS):
        return []
    for service, handle in _HANDLE.findall(deobfuscate(text)):
        service = service.lower()
        service = _HANDLE_KIND.get(service, service)
        handle = handle.strip(".").lower()
        if handle and not handle.isdigit():
            seen.setdefault(f"{service}:{handle}", None)
    return list(seen)
