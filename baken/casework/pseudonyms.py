"""Keyed pseudonyms: the same person, phone or address gives the same token, without storing it.

HMAC-SHA256 (Python's ``hmac``) under a secret key of the normalised value. Without the key a
token cannot be reversed or recomputed from a guessed name; with it, Baken can tell that two
signals from different sources concern the same person. Plain Python: no Django import.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from baken.lib.phones import normalise_phone


def _token(kind: str, value: str, key: bytes) -> str:
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _fold(text: str) -> str:
    """Lower case, no accents, letters and digits only, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.findall(r"[a-z0-9]+", plain))


def identity_pseudonym(name: str, date_of_birth: str, key: bytes) -> str:
    """Name (in any word order, any accents) plus date of birth; empty if either is missing."""
    words = sorted(_fold(name).split())
    if not words or not date_of_birth:
        return ""
    return _token("identity", " ".join(words) + "|" + date_of_birth.strip(), key)


def phone_pseudonym(phone: str, key: bytes) -> str:
    if not phone.strip():
        return ""
    try:
        number = normalise_phone(phone)
    except ValueError:
        number = re.sub(r"\D", "", phone)
    return _token("phone", number, key) if number else ""


def address_pseudonym(address: str, key: bytes) -> str:
    folded = _fold(address).replace(" ", "")
    return _token("address", folded, key) if folded else ""


def person_pseudonyms(
    *, name: str, date_of_birth: str, phone: str, address: str, key: bytes
) -> dict[str, str]:
    """The three pseudonyms of a person, by the name of the field that keeps each."""
    return {
        "identity_pseudonym": identity_pseudonym(name, date_of_birth, key),
        "phone_pseudonym": phone_pseudonym(phone, key),
        "address_pseudonym": address_pseudonym(address, key),
    }
