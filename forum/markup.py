"""The one place that turns user Markdown and imported HTML into safe HTML.

Posts are rendered and cleaned once, when they are saved; templates mark only the
stored result safe. Nothing else in the project imports bleach or markdown-it, so
either library can be swapped without touching a caller. Bump
``SANITIZER_VERSION`` whenever the allow-list or the rendering changes, so stored
posts can be re-rendered.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Mapping
from functools import partial
from typing import Any

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

SANITIZER_VERSION: int = 1

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
        "strong", "em", "del", "s", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "img",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip

ALLOWED_ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "a": frozenset({"href", "title", "rel"}),
    "img": frozenset({"src", "alt", "title"}),
    "ol": frozenset({"start"}),
    "code": frozenset({"class"}),
    "th": frozenset({"align"}),
    "td": frozenset({"align"}),
}

ALLOWED_PROTOCOLS: frozenset[str] = frozenset({"http", "https", "mailto"})

LINK_REL = "nofollow ugc noopener"

_CODE_CLASS_RE = re.compile(r"language-[\w-]+")
_OL_START_RE = re.compile(r"\d{1,9}")
_CELL_ALIGNS = frozenset({"left", "center", "right"})
_IMAGE_SRC_RE = re.compile(r"https?://", re.IGNORECASE)
# Browsers ignore whitespace and control characters inside a scheme, so we do too.
_URL_NOISE_RE = re.compile(r"[\x00-\x20\x7f-\xa0\s]+")
_URL_SCHEME_RE = re.compile(r"([a-z][a-z0-9+.\-]*):")
_NEW_LINK_PREFIXES = ("http://", "https://", "www.")
_INLINE_TAGS = frozenset(
    {"a", "abbr", "b", "code", "del", "em", "i", "kbd", "mark", "s", "small", "span",
     "strong", "sub", "sup", "u"}
)  # fmt: skip
_UNREAD_TEXT_TAGS = frozenset({"script", "style", "template"})


def is_safe_url(url: str) -> bool:
    """Return True if ``url`` is relative or uses an allowed protocol.

    The check decodes entities, drops whitespace and control characters and
    ignores case, the way a browser reads a URL, so encoded tricks do not pass.
    """
    normalized = _URL_NOISE_RE.sub("", html.unescape(url)).lower()
    match = _URL_SCHEME_RE.match(normalized)
    return match is None or match.group(1) in ALLOWED_PROTOCOLS


def _attribute_allowed(tag: str, name: str, value: str) -> bool:
    """Allow an attribute only if the allow-list names it and its value is plain."""
    if name not in ALLOWED_ATTRIBUTES.get(tag, frozenset()):
        return False
    if name in {"href", "src"} and not is_safe_url(value):
        return False
    if tag == "img" and name == "src":
        return _IMAGE_SRC_RE.match(value.strip()) is not None
    if tag == "code" and name == "class":
        return _CODE_CLASS_RE.fullmatch(value) is not None
    if name == "start":
        return _OL_START_RE.fullmatch(value) is not None
    if name == "align":
        return value in _CELL_ALIGNS
    return True


def _set_link_rel(attrs: dict[Any, str], new: bool = False) -> dict[Any, str] | None:
    """Linkify callback: give every link our rel; only link bare URLs that look like URLs.

    Text such as ``settings.py`` is left alone: a new link needs a scheme or ``www.``.
    """
    if new and not str(attrs.get("_text", "")).lower().startswith(_NEW_LINK_PREFIXES):
        return None
    if (None, "href") in attrs:
        attrs[(None, "rel")] = LINK_REL
    else:
        attrs.pop((None, "rel"), None)
    return attrs


def _build_cleaner() -> bleach.Cleaner:
    """Return a Cleaner for our allow-list that also linkifies bare URLs."""
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=_attribute_allowed,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[
            partial(
                LinkifyFilter,
                callbacks=[_set_link_rel],
                skip_tags={"pre", "code"},
                parse_email=False,
            )
        ],
    )


_local = threading.local()


def _cleaner() -> bleach.Cleaner:
    """Return this thread's Cleaner (bleach Cleaners are not thread-safe)."""
    cleaner: bleach.Cleaner | None = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = _build_cleaner()
    return cleaner


class _ForumMarkdown(MarkdownIt):
    """CommonMark with GFM tables and strikethrough, raw HTML shown as text."""

    def __init__(self) -> None:
        super().__init__("commonmark", {"html": False, "linkify": False})
        self.enable(["table", "strikethrough"])
        self.core.ruler.push("table_cell_align", _table_cell_align)

    def validateLink(self, url: str) -> bool:  # noqa: N802 - markdown-it's hook name
        """Turn only relative, http(s) and mailto destinations into links."""
        return is_safe_url(url)


def _table_cell_align(state: StateCore) -> None:
    """Replace markdown-it's ``style="text-align:x"`` on cells with ``align="x"``."""
    for token in state.tokens:
        if token.type in {"th_open", "td_open"} and "style" in token.attrs:
            align = str(token.attrs.pop("style")).removeprefix("text-align:")
            if align in _CELL_ALIGNS:
                token.attrs["align"] = align


_markdown = _ForumMarkdown()


def sanitize_html(source_html: str) -> str:
    """Clean HTML from outside (or from our renderer) down to the allow-list.

    Disallowed elements are removed (their text is kept), disallowed attributes and
    URLs are dropped, bare URLs become links, and every link gets ``rel`` set to
    ``nofollow ugc noopener``. Cleaning the output again changes nothing.
    """
    return str(_cleaner().clean(source_html))


def render_markdown(source: str) -> str:
    """Render a user's Markdown body to sanitized HTML, ready to store and show."""
    return sanitize_html(_markdown.render(source))


_TAG_REST = r"""\b(?:[^>"']|"[^"]*"|'[^']*')*>"""  # attributes, quoted values may hold ">"
_UNREAD_TEXT = re.compile(
    r"<!--.*?-->|<(" + "|".join(sorted(_UNREAD_TEXT_TAGS)) + ")" + _TAG_REST + r".*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)
_INLINE_TAG = re.compile(r"</?(?:" + "|".join(sorted(_INLINE_TAGS)) + ")" + _TAG_REST, re.IGNORECASE)
_BLOCK_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*" + _TAG_REST)


def html_to_text(source_html: str) -> str:
    """Return the plain text of stored HTML: entities decoded, whitespace collapsed.

    Blocks (paragraphs, list items, cells, ...) are separated by a space; the
    content of script, style and template elements is not text and is left out.
    Regular expressions suffice because stored HTML is always our sanitizer's
    output (well-formed, no stray ``<``); they are several times faster than a parser,
    which matters when the search index is rebuilt.
    """
    text = _UNREAD_TEXT.sub("", source_html)
    text = _BLOCK_TAG.sub(" ", _INLINE_TAG.sub("", text))
    return " ".join(html.unescape(text).split())
