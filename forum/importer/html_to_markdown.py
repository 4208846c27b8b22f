"""Turn Stack Exchange post HTML into readable, editable Markdown source.

Imported posts display their sanitized original HTML; this Markdown is only the
source an author edits afterwards, so it aims at what a person would have typed:
paragraphs, fenced code, lists, quotes, links, images and emphasis. Tags it does
not know keep their text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SPACES_RE = re.compile(r"[ \t\n\r\f]+")  # HTML whitespace only: keep &nbsp;
_ESCAPED_RE = re.compile(r"[\\`*\[\]]|(?<!\w)_|_(?!\w)|~(?=~)|<(?=[A-Za-z/!?])")
_BLOCK_START_RE = re.compile(r"^(#{1,6}(?=\s|$)|[-+*](?=\s|$)|>|=+\s*$|\d{1,9}(?=[.)](?:\s|$)))")
_LANGUAGE_RE = re.compile(r"\b(?:lang|language)-([\w+#.-]+)")
_BACKTICKS_RE = re.compile(r"`+")
_PARAGRAPH_TAGS = frozenset({"p", "div", "dl", "dt", "dd", "table", "tr", "section", "figure"})
_HEADING_LEVELS = {f"h{level}": level for level in range(1, 7)}
_EMPHASIS = {"strong": "**", "b": "**", "em": "*", "i": "*", "del": "~~", "s": "~~", "strike": "~~"}
_SKIPPED_TAGS = frozenset({"script", "style", "template"})


def html_to_markdown(html: str) -> str:
    """Return Markdown source for a post's HTML body (empty string for empty input)."""
    converter = _MarkdownWriter()
    converter.feed(html)
    converter.close()
    return converter.markdown()


def _escape_text(text: str) -> str:
    """Backslash-escape the characters Markdown would read as syntax inside a line."""
    return _ESCAPED_RE.sub(lambda match: "\\" + match.group(0), text)


def _escape_block_start(text: str) -> str:
    """Escape a paragraph opening that Markdown would read as a heading, list or quote."""
    match = _BLOCK_START_RE.match(text)
    if match is None:
        return text
    if match.group(0)[0].isdigit():  # "1. " -> "1\. "
        end = match.end()
        return text[:end] + "\\" + text[end:]
    return "\\" + text


def _backtick_fence(code: str, minimum: int) -> str:
    """Return a run of backticks longer than any run inside ``code``."""
    longest = max((len(run) for run in _BACKTICKS_RE.findall(code)), default=0)
    return "`" * max(minimum, longest + 1)


def _indent(text: str, first_prefix: str, other_prefix: str) -> str:
    """Prefix the first line and the following non-blank lines of ``text``."""
    lines = text.split("\n")
    prefixed = [first_prefix + lines[0]]
    prefixed += [other_prefix + line if line else other_prefix.rstrip() for line in lines[1:]]
    return "\n".join(prefixed)


class _Frame:
    """Finished blocks plus the paragraph being written, for a container element."""

    def __init__(self, kind: str, marker: str = "") -> None:
        self.kind = kind  # "root", "quote", "list" or "item"
        self.marker = marker  # for a list: "-" or the next number, as text
        self.blocks: list[tuple[str, bool]] = []  # (text, is_list)
        self.inline: list[str] = []

    def flush(self) -> None:
        text = "".join(self.inline).strip()
        self.inline.clear()
        if text:
            self.blocks.append((text, False))

    def render(self, separator: str = "\n\n") -> str:
        self.flush()
        parts: list[str] = []
        for index, (text, is_list) in enumerate(self.blocks):
            if index:
                parts.append("\n" if is_list and self.kind == "item" else separator)
            parts.append(text)
        return "".join(parts)


class _MarkdownWriter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.frames: list[_Frame] = [_Frame("root")]
        self.links: list[str | None] = []
        self.emphasis: list[str] = []  # open markers; "" for one nested in its own kind
        self.code_start: int | None = None  # index in inline where inline code began
        self.pre: list[str] | None = None  # text of the open <pre>
        self.pre_language = ""
        self.skipping = 0

    @property
    def frame(self) -> _Frame:
        return self.frames[-1]

    def markdown(self) -> str:
        while len(self.frames) > 1:
            self._close_frame(self.frames[-1].kind)
        return self.frame.render().strip("\n")

    # -- Parser callbacks --------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if self.pre is not None:
            self._note_language(attributes)
        elif tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _PARAGRAPH_TAGS or tag in _HEADING_LEVELS:
            self.frame.flush()
            if tag in _HEADING_LEVELS:
                self.frame.inline.append("#" * _HEADING_LEVELS[tag] + " ")
        elif tag == "pre":
            self.frame.flush()
            self.pre, self.pre_language = [], ""
            self._note_language(attributes)
        elif tag in {"ul", "ol"}:
            self.frame.flush()
            start = attributes.get("start", "1")
            marker = start if tag == "ol" and start.isdigit() else "1" if tag == "ol" else "-"
            self.frames.append(_Frame("list", marker))
        elif tag == "li":
            if self.frame.kind == "item":
                self._close_frame("item")
            self.frame.flush()
            self.frames.append(_Frame("item"))
        elif tag == "blockquote":
            self.frame.flush()
            self.frames.append(_Frame("quote"))
        else:
            self._start_inline(tag, attributes)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in {"br", "hr", "img"}:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.pre is not None:
            if tag == "pre":
                self._end_pre()
        elif tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _PARAGRAPH_TAGS or tag in _HEADING_LEVELS:
            self.frame.flush()
        elif tag in {"ul", "ol"}:
            self._close_frame("list")
        elif tag == "li":
            self._close_frame("item")
        elif tag == "blockquote":
            self._close_frame("quote")
        else:
            self._end_inline(tag)

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.pre is not None:
            self.pre.append(data)
            return
        text = _SPACES_RE.sub(" ", data)
        inline = self.frame.inline
        at_line_start = not inline or inline[-1].endswith("\n")
        if text.startswith(" ") and (at_line_start or inline[-1].endswith(" ")):
            text = text[1:]
        if self.code_start is None:
            text = _escape_text(text)
            if at_line_start:
                text = _escape_block_start(text)
        if text:
            inline.append(text)

    # -- Inline elements ---------------------------------------------------------------

    def _start_inline(self, tag: str, attributes: dict[str, str]) -> None:
        inline = self.frame.inline
        if tag == "br" and inline and inline[-1] == "  \n":
            inline.pop()  # two breaks in a row: a new paragraph
            self.frame.flush()
        elif tag == "br":
            if inline:
                inline[-1] = inline[-1].rstrip(" ")
            inline.append("  \n")
        elif tag == "hr":
            self.frame.flush()
            self.frame.blocks.append(("---", False))
        elif tag == "img":
            title = attributes.get("title", "").replace('"', '\\"')
            title = f' "{title}"' if title else ""
            alt = _escape_text(attributes.get("alt", ""))
            inline.append(f"![{alt}]({self._url(attributes.get('src', ''))}{title})")
        elif tag == "a":
            self.links.append(attributes.get("href"))
            inline.append("[")
        elif tag == "code" and self.code_start is None:
            self.code_start = len(inline)
        elif tag in _EMPHASIS:
            marker = "" if _EMPHASIS[tag] in self.emphasis else _EMPHASIS[tag]
            self.emphasis.append(marker)
            if marker:
                inline.append(marker)
        elif tag in {"td", "th"} and inline:
            inline.append(" ")  # keep neighbouring cells apart

    def _end_inline(self, tag: str) -> None:
        inline = self.frame.inline
        if tag == "a" and self.links:
            self._end_link(self.links.pop())
        elif tag == "code" and self.code_start is not None:
            code = "".join(inline[self.code_start :])
            del inline[self.code_start :]
            self.code_start = None
            fence = _backtick_fence(code, 1)
            padding = " " if code.startswith("`") or code.endswith("`") else ""
            inline.append(f"{fence}{padding}{code}{padding}{fence}" if code.strip() else code)
        elif tag in _EMPHASIS and self.emphasis:
            marker = self.emphasis.pop()
            if not marker:
                return
            if inline and inline[-1] == marker:  # empty emphasis: drop it
                inline.pop()
            elif inline and inline[-1].endswith(" "):  # "**bold **" does not parse
                inline[-1] = inline[-1].rstrip(" ")
                inline.append(marker + " ")
            else:
                inline.append(marker)

    def _end_link(self, href: str | None) -> None:
        inline = self.frame.inline
        start = len(inline) - 1 - inline[::-1].index("[") if "[" in inline else len(inline)
        text = "".join(inline[start + 1 :]).strip()
        del inline[start:]
        if not href:
            inline.append(text)
        elif text in {href, _escape_text(href)} and "%" not in href:
            inline.append(f"<{href}>")
        else:
            inline.append(f"[{text or _escape_text(href)}]({self._url(href)})")

    @staticmethod
    def _url(url: str) -> str:
        return f"<{url}>" if re.search(r"[\s()]", url) else url

    # -- Block elements ------------------------------------------------------------------

    def _note_language(self, attributes: dict[str, str]) -> None:
        match = _LANGUAGE_RE.search(attributes.get("class", ""))
        if match and not self.pre_language and match.group(1) != "none":
            self.pre_language = match.group(1)

    def _end_pre(self) -> None:
        code = "".join(self.pre or []).removeprefix("\n").rstrip("\n")
        self.pre = None
        fence = _backtick_fence(code, 3)
        self.frame.blocks.append((f"{fence}{self.pre_language}\n{code}\n{fence}", False))

    def _close_frame(self, kind: str) -> None:
        """Close frames up to the innermost ``kind`` frame and add it to its parent."""
        if not any(frame.kind == kind for frame in self.frames[1:]):
            return
        while True:
            frame = self.frames.pop()
            self._add_to_parent(frame)
            if frame.kind == kind:
                return

    def _add_to_parent(self, frame: _Frame) -> None:
        parent = self.frame
        parent.flush()
        if frame.kind == "list":
            if frame.blocks:
                parent.blocks.append((frame.render("\n"), True))
        elif frame.kind == "quote":
            parent.blocks.append((_indent(frame.render(), "> ", "> "), False))
        elif frame.kind == "item":
            marker = parent.marker if parent.kind == "list" else "-"
            prefix = "- " if marker == "-" else f"{marker}. "
            if marker != "-":
                parent.marker = str(int(marker) + 1)
            parent.blocks.append((_indent(frame.render(), prefix, " " * len(prefix)), False))
