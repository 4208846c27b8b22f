"""Names from a Stack Exchange dump folded to the forum's rules: the site, usernames, tags, titles."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from forum.accounts.models import USERNAME_MAX
from forum.importer.run import ImportRefused
from forum.questions.models import TAG_MAX_LENGTH, TAGS_PER_QUESTION, TITLE_MAX

_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")
_TAG_INVALID_RE = re.compile(r"[^a-z0-9+#.\-]+")


def _ascii_lower(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def site_name(dump_dir: Path, site: str | None = None) -> str:
    """The site's short name (``--site``, else the folder name, e.g. cardano.stackexchange.com -> cardano)."""
    raw = _ascii_lower(site if site is not None else dump_dir.resolve().name)
    raw = raw.removesuffix(".stackexchange.com").removesuffix(".com")
    name = _NON_ALNUM_RE.sub("-", raw).strip("-")[:40].strip("-")
    if not name:
        raise ImportRefused("Cannot derive a site name from the folder name; pass --site NAME.")
    return name


def placeholder_username(display_name: str, se_id: int | None) -> str:
    """``se-<id>-<display name>`` folded to the username rules (3-30 of [A-Za-z0-9_.-])."""
    prefix = "se" if se_id is None else f"se-{str(se_id).replace('-', 'n')}"
    slug = _NON_ALNUM_RE.sub("-", _ascii_lower(display_name)).strip("-")
    if not slug:
        return prefix if se_id is not None else "se-anon"  # e.g. a name in a non-Latin script
    return f"{prefix}-{slug}"[:USERNAME_MAX].rstrip("-")


def import_tags(names: Iterable[str]) -> tuple[str, ...]:
    """At most five distinct tag names, lowercase, other characters replaced by '-'."""
    tags: list[str] = []
    for raw in names:
        name = _TAG_INVALID_RE.sub("-", _ascii_lower(raw.strip())).lstrip("+#.-")[:TAG_MAX_LENGTH].rstrip("-")
        if name and name not in tags:
            tags.append(name)
        if len(tags) == TAGS_PER_QUESTION:
            break
    return tuple(tags)


def import_title(title: str) -> str:
    """Whitespace folded; cut to 150 characters with an ellipsis. Short titles are kept."""
    title = " ".join(title.split())
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1].rstrip() + "\u2026"
