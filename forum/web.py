"""Small helpers shared by the HTML views."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask import flash

from forum.errors import DomainError


def apply_domain_error(form: Any, error: DomainError) -> None:
    """Show a service's complaint next to the fields it names (or as a message at the top)."""
    shown = False
    for name, problem in error.fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, problem]
            shown = True
    if not shown:
        flash(error.message, "error")


def slugify(text: str, max_length: int = 80, fallback: str = "question") -> str:
    """``"Can't sign in (SSO)?"`` -> ``"cant-sign-in-sso"`` (``fallback`` when no letter or digit is left)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower().replace("'", ""))
    slug = "-".join(words)[:max_length].strip("-")
    return slug or fallback


def form_errors_message(form: Any) -> str:
    """One sentence listing the fields a form rejected, for flash messages."""
    names = [getattr(form, name).label.text for name in form.errors if hasattr(form, name)]
    return "Please check: " + ", ".join(names) + "." if names else "Please check the form."


def question_reference(text: str) -> int | None:
    """A question id from ``123``, ``/questions/123`` or a full thread address."""
    match = re.search(r"(?:questions/)?(\d+)", text.strip())
    return int(match.group(1)) if match else None
