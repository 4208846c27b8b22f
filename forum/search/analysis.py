"""Text analysis for the Whoosh index: analyzers, user-text cleaning, snippets.

User input never reaches a query parser: it is cleaned to plain words here and
turned into term queries by the backend, so no input is a syntax error and no
user can write wildcards or ``field:value``.
"""

from __future__ import annotations

import html
import re
import unicodedata

from whoosh.analysis import Analyzer, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.highlight import ContextFragmenter, Formatter, highlight

MAX_QUERY_CHARS = 256
MAX_QUERY_TERMS = 32
SNIPPET_CHARS = 220

# Function words of English: too common to tell two questions apart.
_STOP_WORDS_TEXT = """
    a about above after again against all am an and any are as at be because been before being below
    between both but by can cannot could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just me
    more most my myself no nor not of off on once only or other ought our ours ourselves out over own
    same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours yourself yourselves
"""
ENGLISH_STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

# Words kept whole: letters/digits, with inner apostrophes, dots or plus signs
# ("don't", "node.js", "c++" -> "c++" is kept by the trailing "+" group).
_WORD_PATTERN = r"\w+(?:['.]\w+)*\+*"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def text_analyzer() -> Analyzer:
    """Stemming analyzer used for titles, bodies and answers (stop words removed)."""
    return (
        RegexTokenizer(_WORD_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=ENGLISH_STOP_WORDS, minsize=2, maxsize=40)
        | StemFilter(cachesize=100_000)
    )


def spelling_analyzer() -> Analyzer:
    """Unstemmed words, used only as the vocabulary for "did you mean"."""
    return (
        RegexTokenizer(r"[^\W\d_]{3,}")
        | LowercaseFilter()
        | StopFilter(stoplist=ENGLISH_STOP_WORDS, maxsize=30)
    )


def clean_user_text(text: str, limit: int = MAX_QUERY_CHARS) -> str:
    """Return user text without control characters, cut at a word boundary to ``limit`` chars."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _CONTROL.sub(" ", text)
    text = " ".join(text.split())
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit + 1)
        text = text[: cut if cut > limit // 2 else limit]
    return text


def query_terms(analyzer: Analyzer, text: str, limit: int = MAX_QUERY_TERMS) -> list[str]:
    """Return the distinct analyzed terms of ``text`` in order, at most ``limit``."""
    terms: dict[str, None] = {}
    for token in analyzer(text):
        terms.setdefault(token.text, None)
        if len(terms) >= limit:
            break
    return list(terms)


def spelling_words(text: str) -> list[str]:
    """Return the lowercase words of user text that can be spell-checked."""
    return [token.text for token in spelling_analyzer()(text)]


class MarkFormatter(Formatter):
    """Highlight matches with ``<mark>`` and HTML-escape every other character."""

    between = " \u2026 "

    def _text(self, text: str) -> str:
        return html.escape(text, quote=True)

    def format_token(self, text: str, token: object, replace: bool = False) -> str:
        start = getattr(token, "startchar", 0)
        end = getattr(token, "endchar", 0)
        return "<mark>" + html.escape(text[start:end], quote=True) + "</mark>"


def snippet_html(text: str, terms: set[str], analyzer: Analyzer) -> str:
    """Return an escaped excerpt of ``text`` with the analyzed ``terms`` in ``<mark>``.

    When no term occurs in the text, the escaped start of the text is returned.
    """
    if not text:
        return ""
    if terms:
        fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
        marked = highlight(text, frozenset(terms), analyzer, fragmenter, MarkFormatter(), top=2)
        if marked:
            return str(marked)
    excerpt = text[:SNIPPET_CHARS]
    if len(text) > SNIPPET_CHARS:
        excerpt = excerpt[: excerpt.rfind(" ") if " " in excerpt else SNIPPET_CHARS] + " \u2026"
    return html.escape(excerpt, quote=True)
