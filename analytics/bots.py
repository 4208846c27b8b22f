"""Tell bots from people by their User-Agent, so that bots are never counted as visitors.

A User-Agent can lie, so this catches honest bots: crawlers, link previewers, SEO and AI
crawlers, monitoring tools, HTTP libraries and headless browsers. A missing or blank
User-Agent counts as a bot, since every real browser sends one.

Headless browsers are a special case: the app's own browser tests drive headless
Chromium ("HeadlessChrome" in its User-Agent). `is_bot(ua, allow_headless=True)` lets
those through, for a test or demo set-up that wants them counted; by default they are bots.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Every token is a lower-case literal, looked for anywhere in the lower-cased User-Agent.
# "bot" alone covers most named crawlers (Googlebot, bingbot, AhrefsBot, SemrushBot,
# MJ12bot, DotBot, PetalBot, YandexBot, DuckDuckBot, Applebot, GPTBot, ClaudeBot, CCBot,
# PerplexityBot, Amazonbot, Slackbot, Twitterbot, LinkedInBot, Discordbot, TelegramBot),
# so they are not listed again; see _WORD_END for the one rule it carries.
_GENERIC = (
    "bot",
    "crawl",
    "spider",  # Baiduspider, Bytespider, Sogou web spider
    "slurp",
    "archiver",
    "fetcher",
    "http://",  # honest bots link to a page about themselves; browsers never do
    "https://",
)

_NAMED = (
    "facebookexternalhit",
    "facebookcatalog",
    "meta-externalagent",
    "whatsapp",
    "uripreview",
    "embedly",
    "iframely",
    "google-inspectiontool",
    "googleother",
    "mediapartners-google",
    "apis-google",
    "google-read-aloud",
    "chatgpt-user",
    "claude-web",
    "anthropic-ai",
    "cohere-ai",
    "perplexity",
    "ahrefs",
    "semrush",
    "yandeximages",
    "yandexmetrika",
)

_MONITORING = (
    "lighthouse",
    "pingdom",
    "uptimerobot",
    "statuscake",
    "datadog",
    "site24x7",
    "newrelicpinger",
    "uptime-kuma",
    "checkly",
    "healthcheck",
    "health-check",
    "kube-probe",
)

_HTTP_LIBRARIES = (
    "curl/",
    "wget",
    "python-requests",
    "python-httpx",
    "python-urllib",
    "aiohttp",
    "go-http-client",
    "java/",
    "apache-httpclient",
    "okhttp",
    "libwww-perl",
    "axios",
    "node-fetch",
    "undici",
    "scrapy",
    "guzzlehttp",
    "httpie",
    "postmanruntime",
    "insomnia",
)

_HEADLESS = (
    "headless",  # HeadlessChrome, and the odd "Headless" of other automation
    "phantomjs",
    "puppeteer",
    "playwright",
)

# "bot" must end a word ("Googlebot/2.1", "AdsBot-Google", "bot" at the end) and must not
# be the CUBOT phone brand in a real Android browser's User-Agent.
_WORD_END = {"bot": r"\b(?<!cubot)"}


def _token_regex(tokens: Iterable[str]) -> re.Pattern[str]:
    """Compile the tokens as one regex shaped like a prefix tree.

    A flat alternation tries every token at every position of the User-Agent; the tree
    tries only the tokens that share the next character: about twenty times faster here
    (some 5 microseconds for a 120-character browser User-Agent instead of 100).
    """
    tree: dict[str, dict] = {}
    for token in tokens:
        node = tree
        for char in token:
            node = node.setdefault(char, {})
        node[""] = {}  # the token ends here
    return re.compile(_tree_pattern(tree, ""))


def _tree_pattern(node: dict[str, dict], prefix: str) -> str:
    end = _WORD_END.get(prefix)
    if "" in node and end is None:  # a token ends here: longer ones add nothing to a yes/no
        return ""
    branches = [re.escape(char) + _tree_pattern(child, prefix + char) for char, child in node.items() if char]
    if "" in node:
        branches.append(end or "")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


_ALWAYS_BOT = (*_GENERIC, *_NAMED, *_MONITORING, *_HTTP_LIBRARIES)
_BOT = _token_regex(_ALWAYS_BOT)
_BOT_OR_HEADLESS = _token_regex((*_ALWAYS_BOT, *_HEADLESS))


def is_bot(user_agent: str | None, allow_headless: bool = False) -> bool:
    """Return True when `user_agent` belongs to a bot rather than a person's browser.

    True for a missing or blank User-Agent and for every known crawler, previewer,
    monitoring tool, HTTP library and headless browser. With `allow_headless` True,
    headless browsers (HeadlessChrome, PhantomJS, Puppeteer, Playwright) count as
    people, unless their User-Agent also names a bot. Never raises.
    """
    if user_agent is None or not user_agent.strip():
        return True
    pattern = _BOT if allow_headless else _BOT_OR_HEADLESS
    return pattern.search(user_agent.lower()) is not None
