"""Reading a BRP/RNI extract: how many people are registered at which address.

No Django here. A municipality exports the number of people registered per address from its
basisregistratie personen (BRP, residents) and the RNI (non-residents, often labour migrants) as
a CSV file. The columns Baken reads (in any order, `;` or `,` separated, with or without a
byte-order mark):

    postcode;huisnummer;huisletter;toevoeging;aantal_ingeschreven;peildatum
    7602AB;12;;;9;2026-10-01

``huisletter`` and ``toevoeging`` may be missing. Each refused line is reported with its number
and a reason code (worded by the caller); the other lines are read.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

__all__ = ["Registration", "RegistrationError", "address_key", "read_registrations"]

REQUIRED = ("postcode", "huisnummer", "aantal_ingeschreven", "peildatum")
POSTCODE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")
#: The house number at the end of an address as people type it: "Kanaaldijk 12", "12a" and
#: "12 A" (a house letter), "12A1", "12A-1", "12-3", "12/3" and "12 hs" (an addition). An
#: addition of digits needs a letter or a dash before it, so in "Plein 1944 3" the number is 3.
HOUSE_NUMBER = re.compile(
    r"(?:^|\s)(?P<number>\d{1,5})"
    r"(?:(?P<letter>[A-Za-z])(?![A-Za-z])|\s+(?P<spaced_letter>[A-Za-z])(?![A-Za-z]))?"
    r"(?:\s*[-/]\s*(?P<dashed>[A-Za-z0-9]{1,4})"
    r"|(?<=[A-Za-z])(?P<joined>\d{1,4})"
    r"|\s+(?P<word>[A-Za-z]{2,4}))?\s*$",
    re.ASCII,
)
MAX_PEOPLE = 999


@dataclass(frozen=True)
class Registration:
    line: int
    key: str
    registered: int
    as_of: date


@dataclass(frozen=True)
class RegistrationError:
    line: int
    code: str
    params: dict = field(default_factory=dict)


def address_key(postcode: str, number: str, letter: str = "", addition: str = "") -> str:
    """One spelling of an address, the house letter and the addition told apart:
    "7602AB 12 A" (huisletter A) is not "7602AB 12 -A" (toevoeging A)."""
    parts = [postcode.replace(" ", "").upper(), number.lstrip("0") or "0"]
    if letter.strip():
        parts.append(letter.strip().upper())
    if addition.strip():
        parts.append("-" + addition.strip().upper())
    return " ".join(parts)


def key_of_address(street_and_number: str, postcode: str) -> str | None:
    """The key of an address as a supervisor typed it ("Kanaaldijk 12a"), or None."""
    match = HOUSE_NUMBER.search(street_and_number or "")
    if not match:
        return None
    letter = match["letter"] or match["spaced_letter"] or ""
    addition = match["dashed"] or match["joined"] or match["word"] or ""
    return address_key(postcode, match["number"], letter, addition)


def read_registrations(
    data: bytes, *, today: date | None = None
) -> tuple[list[Registration], list[RegistrationError]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RegistrationError(0, "not_utf8")]
    lines = text.splitlines()
    if not lines:
        return [], [RegistrationError(0, "empty")]
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = [c.strip().lower() for c in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        return [], [RegistrationError(1, "missing_columns", {"columns": ", ".join(missing)})]
    reader.fieldnames = columns
    rows: list[Registration] = []
    errors: list[RegistrationError] = []
    seen: dict[str, int] = {}
    for raw in reader:
        number = reader.line_num  # the file's own line, blank lines counted
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        postcode = row["postcode"].replace(" ", "").upper()
        if not POSTCODE.match(postcode):
            errors.append(RegistrationError(number, "postcode", {"value": row["postcode"]}))
            continue
        if not (row["huisnummer"].isascii() and row["huisnummer"].isdigit()):
            errors.append(RegistrationError(number, "house_number", {"value": row["huisnummer"]}))
            continue
        raw_count = row["aantal_ingeschreven"]
        people = int(raw_count) if raw_count.isascii() and raw_count.isdigit() else -1
        if not 0 <= people <= MAX_PEOPLE:
            errors.append(RegistrationError(number, "count", {"value": row["aantal_ingeschreven"]}))
            continue
        try:
            as_of = date.fromisoformat(row["peildatum"])
        except ValueError:
            errors.append(RegistrationError(number, "date", {"value": row["peildatum"]}))
            continue
        if today is not None and as_of > today:
            errors.append(RegistrationError(number, "future", {"value": row["peildatum"]}))
            continue
        key = address_key(
            postcode, row["huisnummer"], row.get("huisletter", ""), row.get("toevoeging", "")
        )
        if key in seen:
            errors.append(RegistrationError(number, "duplicate", {"first": seen[key]}))
            continue
        seen[key] = number
        rows.append(Registration(number, key, people, as_of))
    return rows, errors
