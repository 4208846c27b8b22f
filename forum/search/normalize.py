"""Normalizing search queries for the log: personal data out, one form per query."""

from __future__ import annotations

import re
import unicodedata

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<!\w)\+?\d[\d\s().-]{6,}\d(?!\w)")
CARD = re.compile(r"\b(?:\d[ -]?){13,19}\b")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_QUERY = 200


def scrub_personal_data(text: str) -> str:
    """Replace emails, card and phone numbers with placeholders before anything is stored."""
    text = EMAIL.sub("[email]", text)
    text = CARD.sub("[number]", text)
    return PHONE.sub("[phone]", text)


def normalize_query(text: str) -> str:
    """Lowercase, scrubbed, punctuation-light, whitespace-folded, at most 200 characters."""
    text = unicodedata.normalize("NFKC", CONTROL.sub(" ", text))
    text = scrub_personal_data(text).lower()
    text = re.sub(r"[\"'`“”‘’?!.,;:(){}<>]+", " ", text)  # keeps the [email] placeholders
    return " ".join(text.split())[:MAX_QUERY]
