"""A request-wide guard: text with NUL bytes is refused before any view sees it.

PostgreSQL cannot store NUL in text, and no legitimate form or JSON value contains one,
so such a request gets a clear 422 (the API's error object under /api/) instead of a 500.
"""

from __future__ import annotations

from typing import Any

from flask import request

from forum.errors import ValidationFailed

NUL = "\x00"


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(item) for item in value)
    return False


def reject_nul_bytes() -> None:
    """``before_request`` hook: refuse query strings, forms and JSON carrying NUL bytes."""
    sources: list[Any] = [list(request.args.items(multi=True)), request.path]
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.is_json:
            sources.append(request.get_json(silent=True))
        else:
            sources.append(list(request.form.items(multi=True)))
    for source in sources:
        items = [value for pair in source for value in pair] if isinstance(source, list) else [source]
        if any(_contains_nul(item) for item in items):
            raise ValidationFailed("Text cannot contain NUL (\\0) characters.", code="invalid_characters")
