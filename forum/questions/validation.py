"""Input rules for posts, shared by the HTML forms and the JSON API."""

from __future__ import annotations

import re
from collections.abc import Iterable

from forum.errors import ValidationFailed
from forum.questions.models import (
    BODY_MAX,
    COMMENT_MAX,
    TAG_MAX_LENGTH,
    TAGS_PER_QUESTION,
    TITLE_MAX,
    TITLE_MIN,
)

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TAG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9+#.\-]*$")
BODY_MIN = 10


def clean_title(title: str) -> str:
    """A title of 15-150 characters with whitespace folded; ValidationFailed otherwise."""
    title = " ".join(CONTROL_CHARACTERS.sub("", title).split())
    if len(title) < TITLE_MIN:
        raise ValidationFailed(
            "The title is too short.",
            {"title": f"Use at least {TITLE_MIN} characters to say what the problem is."},
        )
    if len(title) > TITLE_MAX:
        raise ValidationFailed("The title is too long.", {"title": f"Use at most {TITLE_MAX} characters."})
    return title


def clean_body(body: str, field: str = "body") -> str:
    body = CONTROL_CHARACTERS.sub("", body.replace("\r\n", "\n")).strip()
    if len(body) < BODY_MIN:
        raise ValidationFailed("The text is too short.", {field: f"Write at least {BODY_MIN} characters."})
    if len(body) > BODY_MAX:
        raise ValidationFailed("The text is too long.", {field: f"Use at most {BODY_MAX:,} characters."})
    return body


def clean_comment(body: str) -> str:
    body = " ".join(CONTROL_CHARACTERS.sub("", body).split())
    if len(body) < 2:
        raise ValidationFailed("The comment is empty.", {"body": "Write a comment."})
    if len(body) > COMMENT_MAX:
        raise ValidationFailed("The comment is too long.", {"body": f"Use at most {COMMENT_MAX} characters."})
    return body


def normalize_tag(raw: str) -> str:
    """``" CSV Export "`` -> ``"csv-export"`` (not yet checked against the rules)."""
    return "-".join(str(raw).strip().lower().split())


def clean_tag_name(raw: str, field: str = "name") -> str:
    """One tag name for the tag admin pages; ValidationFailed naming ``field`` otherwise."""
    name = normalize_tag(raw)
    if not name:
        raise ValidationFailed("Enter a tag name.", {field: "Enter a tag name."})
    if len(name) > TAG_MAX_LENGTH or not TAG_PATTERN.match(name):
        raise ValidationFailed(
            "That is not a valid tag name.",
            {
                field: f"'{name[:40]}': use up to {TAG_MAX_LENGTH} lowercase letters, digits, '-', '.', "
                "'+' or '#', starting with a letter or digit."
            },
        )
    return name


def clean_tags(names: Iterable[str]) -> list[str]:
    """1-5 distinct lowercase tags such as ``sso`` or ``csv-export``."""
    tags: list[str] = []
    for raw in names:
        name = normalize_tag(raw)
        if not name:
            continue
        if len(name) > TAG_MAX_LENGTH or not TAG_PATTERN.match(name):
            raise ValidationFailed(
                "A tag is not valid.",
                {"tags": f"'{name[:40]}': use up to {TAG_MAX_LENGTH} letters, digits, '-', '.', '+' or '#'."},
            )
        if name not in tags:
            tags.append(name)
    if not tags:
        raise ValidationFailed("Add at least one tag.", {"tags": "Add at least one tag."})
    if len(tags) > TAGS_PER_QUESTION:
        raise ValidationFailed("Too many tags.", {"tags": f"Use at most {TAGS_PER_QUESTION} tags."})
    return tags


def split_tags(text: str) -> list[str]:
    """Tags typed in one box, separated by commas or spaces."""
    return [part for part in re.split(r"[,\s]+", text) if part]
