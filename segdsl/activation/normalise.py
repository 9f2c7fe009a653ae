"""Identifiers as each ad platform wants them before hashing, and the hash.

Pure functions: text in, normalised text (or a reason it was dropped) out. The rules follow
the platforms' documentation (quoted in tests/test_export.py and docs/activation.md):

- email (all platforms): trimmed and lowercased, nothing else (no removal of dots or of
  `+tags`); kept only if it has the shape `local@domain.tld` without spaces.
- phone: parsed by `phonenumbers` (country from a leading `+`, else `[activation]
  default_country`), kept only if valid for its country; E.164 (`+14155550123`) for Google and
  TikTok, the same digits without `+` for Meta.
- Meta names, city, state: lowercase letters only (no punctuation, no spaces); Meta zip:
  lowercase without spaces or dashes, the first 5 digits of a US zip, and area/district/sector
  (the inward code without its last two letters) of a UK postcode; Meta country: lowercase ISO.
- Google names: lowercase, spaces trimmed and collapsed; Google country: uppercase ISO;
  Google zip: trimmed, never hashed.

Identifiers are never logged or put in messages: a problem is counted by its reason only.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any, Literal

Platform = Literal["meta", "google", "tiktok"]
PhoneStyle = Literal["e164", "digits"]

# why an identifier was left out of a row; the summary counts them by these words
INVALID_EMAIL = "invalid email"
INVALID_PHONE = "invalid phone"
PHONE_WITHOUT_COUNTRY = "phone without country code"
INVALID_COUNTRY = "invalid country"

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_COUNTRY = re.compile(r"[a-z]{2}")
_US_ZIP = re.compile(r"(\d{5})(-?\d{4})?")


class Dropped(Exception):
    """An identifier that cannot be used; `reason` is one of the constants above."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def sha256(text: str) -> str:
    """Lowercase hex SHA-256 of the UTF-8 text, the form every platform documents."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def text(value: Any) -> str | None:
    """A warehouse value as text; None for NULL and for blank text."""
    if value is None:
        return None
    shown = unicodedata.normalize("NFC", str(value)).strip()
    return shown or None


def email(value: Any) -> str | None:
    shown = text(value)
    if shown is None:
        return None
    shown = shown.lower()
    if not _EMAIL.fullmatch(shown):
        raise Dropped(INVALID_EMAIL)
    return shown


def phone(value: Any, default_country: str | None, style: PhoneStyle) -> str | None:
    """E.164 (`+14155550123`) or its digits (`14155550123`)."""
    import phonenumbers

    shown = text(value)
    if shown is None:
        return None
    if not shown.startswith("+") and not default_country:
        raise Dropped(PHONE_WITHOUT_COUNTRY)
    try:
        number = phonenumbers.parse(shown, None if shown.startswith("+") else default_country)
    except phonenumbers.NumberParseException:
        raise Dropped(INVALID_PHONE) from None
    if not phonenumbers.is_valid_number(number):
        raise Dropped(INVALID_PHONE)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164 if style == "e164" else e164.lstrip("+")


def letters(value: Any) -> str | None:
    """Lowercase letters only (Meta's names, city and state): no punctuation, no spaces.
    Letters outside a-z are kept as UTF-8, as Meta allows."""
    shown = text(value)
    if shown is None:
        return None
    kept = "".join(ch for ch in shown.lower() if unicodedata.category(ch).startswith("L"))
    return kept or None


def spaced_lower(value: Any) -> str | None:
    """Lowercase, spaces trimmed and collapsed (Google's names)."""
    shown = text(value)
    return None if shown is None else " ".join(shown.lower().split())


def country(value: Any) -> str | None:
    """An ISO 3166 two-letter code, lowercase."""
    shown = text(value)
    if shown is None:
        return None
    shown = shown.lower()
    if not _COUNTRY.fullmatch(shown):
        raise Dropped(INVALID_COUNTRY)
    return shown


def meta_zip(value: Any, country_code: str | None) -> str | None:
    """Lowercase, no spaces or dashes; US: the first 5 digits; UK (gb): area, district and
    sector, i.e. the postcode without the last two letters ("SW1A 1AA" -> "sw1a1")."""
    shown = text(value)
    if shown is None:
        return None
    us = _US_ZIP.fullmatch(shown)
    if us and country_code in (None, "us"):
        return us.group(1)
    compact = "".join(shown.lower().replace("-", " ").split())
    if country_code == "gb" and len(compact) >= 5:
        return compact[:-2]
    return compact or None


def plain_zip(value: Any) -> str | None:
    """Google's Zip: as written, trimmed (never hashed)."""
    return text(value)
