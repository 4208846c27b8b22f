"""Tests for forum.markup: Markdown renders as users expect and no payload runs script."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import pytest

from forum.markup import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_PROTOCOLS,
    ALLOWED_TAGS,
    SANITIZER_VERSION,
    html_to_text,
    render_markdown,
    sanitize_html,
)
from tests.html_safety import find_script_hazards
from tests.xss_vectors import XSS_TEXT_VECTORS, XSS_VECTORS

REL = 'rel="nofollow ugc noopener"'
ALL_VECTORS = [*XSS_VECTORS, *XSS_TEXT_VECTORS]


def vector_id(vector: object) -> str:
    """A short printable test id for a payload."""
    return ascii(vector)[1:40]


class _MarkupCollector(HTMLParser):
    """Collect (tag, attribute names) of every element in a fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, [name for name, _ in attrs]))


def markup_outside_allow_list(fragment: str) -> list[str]:
    """Return each tag or attribute in ``fragment`` that the allow-list does not name."""
    collector = _MarkupCollector()
    collector.feed(fragment)
    collector.close()
    found = []
    for tag, names in collector.elements:
        if tag not in ALLOWED_TAGS:
            found.append(f"<{tag}>")
        found.extend(f"{tag}[{name}]" for name in names if name not in ALLOWED_ATTRIBUTES.get(tag, ()))
    return found


# --- the hazard finder itself -------------------------------------------------------------


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("<script>alert(1)</script>", "element <script>"),
        ("<p><img src=x onerror=alert(1)></p>", "event handler 'onerror'"),
        ("<svg><circle r=1></circle></svg>", "element <svg>"),
        ('<a href="javascript:alert(1)">x</a>', "javascript: URL in 'href'"),
        ('<a href=" &#x4A;ava&#x09;Script:alert(1)">x</a>', "javascript: URL in 'href'"),
        ('<img src="data:image/svg+xml,x">', "data: URL in 'src'"),
        ('<form action="vbscript:x"></form>', "vbscript: URL in 'action'"),
        ('<iframe srcdoc="&lt;b&gt;"></iframe>', "srcdoc attribute"),
        ('<p style="color:red">x</p>', "style attribute"),
        ("<math><mi>x</mi></math>", "element <math>"),
        ("<!--><img src=x>-->", "markup inside an HTML comment"),
        ('<img srcset="a.png 1x, javascript:x 2x">', "javascript: URL in 'srcset'"),
    ],
)
def test_hazard_finder_flags_known_bad_markup(snippet: str, expected: str) -> None:
    """The finder reports each kind of hazard, so the XSS tests cannot pass vacuously."""
    hazards = find_script_hazards(snippet)
    assert any(expected in hazard for hazard in hazards), hazards


def test_hazard_finder_accepts_safe_markup() -> None:
    """Relative, http(s) and mailto URLs and plain markup are not hazards."""
    safe = (
        '<p><a href="/questions/5">q</a> <a href="https://x.org" title="on">x</a>'
        '<a href="mailto:a@b.org">m</a> <img src="http://x.org/i.png" alt="i">'
        '<a href="%6A%61vascript:x">relative</a> <a href="#top">top</a></p>'
    )
    assert find_script_hazards(safe) == []


def test_hazard_finder_allows_named_page_elements_only() -> None:
    """allow_elements lets a page keep its own script tag, but handlers are still caught."""
    page = '<script src="/static/app.js"></script><body onload="x()"><style>p{}</style>'
    hazards = find_script_hazards(page, allow_elements={"script"})
    assert not any("<script>" in hazard for hazard in hazards)
    assert any("onload" in hazard for hazard in hazards)
    assert any("<style>" in hazard for hazard in hazards)


# --- every payload, through both entry points ------------------------------------------------


def test_vector_list_is_large_and_distinct() -> None:
    """The proof covers at least 70 distinct body payloads and a set of title payloads."""
    assert len(XSS_VECTORS) >= 70
    assert len(set(XSS_VECTORS)) == len(XSS_VECTORS)
    assert len(XSS_TEXT_VECTORS) >= 8


@pytest.mark.parametrize("vector", ALL_VECTORS, ids=vector_id)
def test_rendered_payload_has_no_script_hazard(vector: str) -> None:
    """A payload typed into a Markdown body renders to HTML that cannot run script."""
    rendered = render_markdown(vector)
    assert find_script_hazards(rendered) == []
    assert markup_outside_allow_list(rendered) == []


@pytest.mark.parametrize("vector", ALL_VECTORS, ids=vector_id)
def test_sanitized_payload_has_no_script_hazard(vector: str) -> None:
    """The same payload fed as raw HTML (the importer's path) is cleaned to the allow-list."""
    cleaned = sanitize_html(vector)
    assert find_script_hazards(cleaned) == []
    assert markup_outside_allow_list(cleaned) == []


@pytest.mark.parametrize("vector", ALL_VECTORS, ids=vector_id)
def test_cleaning_is_stable(vector: str) -> None:
    """Cleaning output again changes nothing, so a re-parse cannot mutate it into script."""
    rendered = render_markdown(vector)
    cleaned = sanitize_html(vector)
    assert sanitize_html(rendered) == rendered
    assert sanitize_html(cleaned) == cleaned


def test_raw_html_in_markdown_is_shown_as_text() -> None:
    """Markdown bodies never produce HTML elements from raw HTML: it is escaped text."""
    rendered = render_markdown("Hello <b onclick=x()>there</b> <script>alert(1)</script>")
    assert rendered == (
        "<p>Hello &lt;b onclick=x()&gt;there&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    )


@pytest.mark.parametrize(
    "source",
    ["[x](javascript:alert(1))", "[x](jav&#x61;script:alert(1))", "<javascript:alert(1)>"],
)
def test_markdown_never_links_unsafe_scheme(source: str) -> None:
    """markdown-it's validateLink refuses the link, leaving the source as visible text."""
    rendered = render_markdown(source)
    assert "<a" not in rendered
    assert "javascript:alert(1)" in rendered


# --- normal Markdown --------------------------------------------------------------------------


def test_fenced_code_keeps_language_class_and_escapes_content() -> None:
    """A fence becomes pre/code with a language class; its HTML and URLs stay text."""
    rendered = render_markdown("```python\nif a < b: print('https://x.org')\n```")
    assert rendered == (
        "<pre><code class=\"language-python\">if a &lt; b: print('https://x.org')\n</code></pre>\n"
    )


def test_code_class_other_than_language_is_dropped() -> None:
    """Only class="language-..." survives on code; other classes are removed."""
    cleaned = sanitize_html('<code class="language-c evil">x</code><code class="lang-py">y</code>')
    assert cleaned == "<code>x</code><code>y</code>"


def test_table_renders_with_align_and_no_style() -> None:
    """GFM tables render; column alignment uses align, never a style attribute."""
    rendered = render_markdown("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |")
    assert "<table>" in rendered and "<thead>" in rendered and "<tbody>" in rendered
    assert '<th align="left">a</th>' in rendered
    assert '<th align="center">b</th>' in rendered
    assert '<td align="right">3</td>' in rendered
    assert "style" not in rendered


def test_lists_quotes_headings_and_emphasis() -> None:
    """Block and inline Markdown map onto the allowed elements."""
    rendered = render_markdown(
        "## Steps\n\n3. three\n4. four\n\n- a\n- b\n\n> **bold** *em* ~~old~~ `code`\n\n---"
    )
    assert "<h2>Steps</h2>" in rendered
    assert '<ol start="3">\n<li>three</li>' in rendered
    assert "<ul>\n<li>a</li>\n<li>b</li>\n</ul>" in rendered
    assert "<blockquote>\n<p><strong>bold</strong> <em>em</em> <s>old</s> <code>code</code>" in (rendered)
    assert "<hr>" in rendered


def test_markdown_links_get_rel_and_keep_relative_and_mailto() -> None:
    """Links keep relative and mailto targets, and every one gets our rel."""
    rendered = render_markdown(
        '[docs](https://docs.example.org "Docs") [q](/questions/5) [mail](mailto:help@example.org)'
    )
    assert f'<a href="https://docs.example.org" title="Docs" {REL}>docs</a>' in rendered
    assert f'<a href="/questions/5" {REL}>q</a>' in rendered
    assert f'<a href="mailto:help@example.org" {REL}>mail</a>' in rendered


def test_bare_urls_are_linkified_but_file_names_are_not() -> None:
    """A bare http(s) or www. URL becomes a link; text like settings.py stays text."""
    rendered = render_markdown("See https://example.org/a?b=1 or www.python.org, not settings.py")
    assert f'<a href="https://example.org/a?b=1" {REL}>https://example.org/a?b=1</a>' in rendered
    assert f'<a href="http://www.python.org" {REL}>www.python.org</a>' in rendered
    assert "settings.py" in rendered and "http://settings.py" not in rendered


def test_urls_in_code_are_not_linkified() -> None:
    """Inline code stays literal even when it contains a URL."""
    assert render_markdown("`https://example.org`") == "<p><code>https://example.org</code></p>\n"


def test_images_keep_only_http_sources() -> None:
    """Images with http(s) sources are kept with alt and title; other sources are dropped."""
    rendered = render_markdown('![chart](https://i.example.org/c.png "Chart") ![local](/x.png)')
    assert '<img src="https://i.example.org/c.png" alt="chart" title="Chart">' in rendered
    assert '<img alt="local">' in rendered


def test_user_rel_is_replaced() -> None:
    """A rel supplied in imported HTML cannot turn off nofollow."""
    cleaned = sanitize_html('<a href="https://x.org" rel="me">x</a>')
    assert cleaned == f'<a href="https://x.org" {REL}>x</a>'


def test_render_is_deterministic_and_empty_input_is_empty() -> None:
    """The same source always renders the same HTML; an empty body renders nothing."""
    source = "# Hi\n\nhttps://example.org and **bold**"
    assert render_markdown(source) == render_markdown(source)
    assert render_markdown("") == ""


def test_render_is_consistent_across_threads() -> None:
    """Concurrent renders (one cleaner per thread) give the same result as a single one."""
    source = "| a |\n|---|\n| https://example.org |\n\n```js\nx\n```"
    expected = render_markdown(source)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(render_markdown, [source] * 40))
    assert results == [expected] * 40


# --- imported Stack Exchange HTML ---------------------------------------------------------------

STACK_EXCHANGE_POST = """\
<h2>Why does this fail?</h2>
<p>I ran <code>make</code> and got an <strong>error</strong>, see
<a href="https://stackoverflow.com/q/1" rel="nofollow noreferrer">this question</a>.</p>
<pre class="lang-py prettyprint-override"><code>x = [1, 2]
if x &lt; y: pass
</code></pre>
<blockquote>
<p><em>Quoted</em> text</p>
</blockquote>
<ol><li>first</li><li>second</li></ol>
<ul><li>point</li></ul>
<p><a href="https://i.sstatic.net/a.png" rel="nofollow noreferrer">\
<img src="https://i.sstatic.net/a.png" alt="screenshot" /></a></p>
<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>
<hr />
<p>Line<br />break</p>
"""


def test_sanitize_html_keeps_stack_exchange_markup() -> None:
    """Normal SE post markup survives cleaning; only SE's own classes and rel change."""
    cleaned = sanitize_html(STACK_EXCHANGE_POST)
    for fragment in [
        "<h2>Why does this fail?</h2>",
        "<code>make</code>",
        "<strong>error</strong>",
        f'<a href="https://stackoverflow.com/q/1" {REL}>this question</a>',
        "<pre><code>x = [1, 2]\nif x &lt; y: pass\n</code></pre>",
        "<blockquote>\n<p><em>Quoted</em> text</p>\n</blockquote>",
        "<ol><li>first</li><li>second</li></ol>",
        "<ul><li>point</li></ul>",
        '<img src="https://i.sstatic.net/a.png" alt="screenshot">',
        "<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>",
        "<hr>",
        "<p>Line<br>break</p>",
    ]:
        assert fragment in cleaned
    assert "prettyprint" not in cleaned


def test_sanitize_html_strips_unknown_elements_but_keeps_their_text() -> None:
    """Disallowed wrappers disappear without losing the words inside them."""
    assert sanitize_html('<div class="x"><span>kept</span></div>') == "kept"


# --- plain text -------------------------------------------------------------------------------


def test_html_to_text_decodes_entities_and_separates_blocks() -> None:
    """Text for search: entities decoded, blocks separated, inline runs joined."""
    text = html_to_text(render_markdown("# Title\n\nA &amp; B **bold**er\n\n- one\n- two"))
    assert text == "Title A & B bolder one two"


def test_html_to_text_skips_script_and_style_content() -> None:
    """Script and style bodies are not readable text."""
    assert html_to_text("<p>a</p><script>var x;</script><style>p{}</style><p>b</p>") == "a b"


@pytest.mark.parametrize("title", XSS_TEXT_VECTORS, ids=vector_id)
def test_html_to_text_round_trips_escaped_titles(title: str) -> None:
    """Escaped plain text (a title as Jinja shows it) comes back as the same text."""
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert html_to_text(escaped) == " ".join(title.split())


# --- allow-list constants --------------------------------------------------------------------


def test_allow_list_constants_exclude_script_carriers() -> None:
    """The published allow-list has no script-capable element, style or handler attribute."""
    assert isinstance(SANITIZER_VERSION, int) and SANITIZER_VERSION >= 1
    assert {"http", "https", "mailto"} == ALLOWED_PROTOCOLS
    dangerous = {"script", "style", "svg", "math", "noscript", "iframe", "object", "embed", "form"}
    assert not ALLOWED_TAGS & dangerous
    for tag, names in ALLOWED_ATTRIBUTES.items():
        assert tag in ALLOWED_TAGS
        assert "style" not in names
        assert not any(name.startswith("on") for name in names)
