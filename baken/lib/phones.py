"""Phone numbers, parsed and formatted with ``phonenumbers`` (Google's libphonenumber)."""

from __future__ import annotations

import phonenumbers


def normalise_phone(raw: str, *, region: str = "NL") -> str:
    """Return the number as E.164 (``+31534876543``); raise ValueError if it is not one.

    Short numbers valid only inside the country (112, 14 053) are kept as their digits.
    """
    text = raw.strip()
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise ValueError(f"{raw!r} is not a phone number") from None
    if phonenumbers.is_valid_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.is_valid_short_number(number):
        return phonenumbers.national_significant_number(number)
    raise ValueError(f"{raw!r} is not a valid phone number")


def display_phone(e164: str) -> str:
    """Format for reading: ``053 487 6543`` for Dutch numbers, international otherwise."""
    if not e164.startswith("+"):
        return e164
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 31:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
