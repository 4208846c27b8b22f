"""Find markup in an HTML string that could run script, for XSS tests.

Independent of the sanitizer on purpose: it uses only the standard library's
HTMLParser, so a bug in forum.markup cannot hide itself here. Page tests pass
``allow_elements`` for the page's own ``script``/``form``/``meta``/``link`` tags.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

HAZARDOUS_ELEMENTS: frozenset[str] = frozenset(
    {
        "script", "svg", "math", "noscript", "style", "iframe", "frame", "frameset",
        "object", "embed", "applet", "form", "template", "base", "meta", "link",
    }
)  # fmt: skip

URL_ATTRIBUTES: frozenset[str] = frozenset(
    {
        "href", "src", "action", "formaction", "xlink:href", "data", "background",
        "poster", "cite", "longdesc", "lowsrc", "dynsrc", "codebase", "ping",
        "manifest", "icon", "srcset",
    }
)  # fmt: skip

SAFE_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})

# Browsers ignore these inside a URL's scheme; an attacker relies on that.
_URL_NOISE_RE = re.compile(r"[\x00-\x20\x7f-\xa0\s]+")
_SCHEME_RE = re.compile(r"([a-z][a-z0-9+.\-]*):")


def url_scheme(value: str) -> str | None:
    """Return the scheme a browser would see in ``value``, or None if it is relative."""
    normalized = _URL_NOISE_RE.sub("", html.unescape(value)).lower()
    match = _SCHEME_RE.match(normalized)
    return match.group(1) if match else None


def _srcset_urls(value: str) -> list[str]:
    """Split a srcset value into its candidate URLs."""
    return [part.split()[0] for part in value.split(",") if part.split()]


class _HazardCollector(HTMLParser):
    """Record every hazardous element and attribute met while parsing."""

    def __init__(self, allow_elements: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.allow_elements = allow_elements
        self.hazards: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check_element(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check_element(tag, attrs)

    def handle_comment(self, data: str) -> None:
        # Browsers end a comment early at "<!-->" or "--!>"; markup in one may be live.
        if "<" in data or ">" in data:
            self.hazards.append("markup inside an HTML comment")

    def _check_element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HAZARDOUS_ELEMENTS and tag not in self.allow_elements:
            self.hazards.append(f"element <{tag}>")
        for name, value in attrs:
            self._check_attribute(tag, name, value or "")

    def _check_attribute(self, tag: str, name: str, value: str) -> None:
        if name.startswith("on"):
            self.hazards.append(f"event handler {name!r} on <{tag}>")
        elif name == "style":
            self.hazards.append(f"style attribute on <{tag}>")
        elif name == "srcdoc":
            self.hazards.append(f"srcdoc attribute on <{tag}>")
        elif name in URL_ATTRIBUTES:
            urls = _srcset_urls(value) if name == "srcset" else [value]
            for url in urls:
                scheme = url_scheme(url)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    self.hazards.append(f"{scheme}: URL in {name!r} on <{tag}>")


def find_script_hazards(page_html: str, allow_elements: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Return a description of every place in ``page_html`` that could run script.

    Reports hazardous elements (unless named in ``allow_elements``), ``on*``
    event handlers, ``style`` and ``srcdoc`` attributes, URL attributes whose
    scheme is not http, https or mailto, and comments that hold markup. An empty
    list means none were found.
    """
    collector = _HazardCollector(frozenset(allow_elements))
    collector.feed(page_html)
    collector.close()
    return collector.hazards
