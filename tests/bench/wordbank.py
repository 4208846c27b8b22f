"""Text for the benchmark corpus: titles, bodies and answers that read like a support forum.

Two sources are mixed. The demo community's phrase banks (``forum.demo``) give real
sentences about the product; a small grammar over word banks of features, actions,
failures and contexts gives endless variations of them; and a Zipf-distributed tail of
product-specific words (error codes, internal names, pseudo-words) gives the index the
large, skewed dictionary of a grown forum. Everything comes from one seeded RNG.

``body_html`` is built here too, by construction: paragraphs of escaped text with only
``<p>``, ``<strong>``, ``<em>`` and ``<code>`` added - the output the real renderer gives
for such Markdown, at a fraction of its cost.
"""

from __future__ import annotations

import html
import random
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from itertools import accumulate

from forum.demo.corpus_text import (
    ADVOCATE_CLOSERS,
    BYSTANDER_COMMENTS,
    CLARIFYING_COMMENTS,
    GREETINGS,
    THANKS_COMMENTS,
    draw_slots,
)
from forum.demo.corpus_topics import DEMO_TOPICS

# Word banks, wrapped by hand.
# fmt: off
FEATURES = (
    "dashboard", "project board", "task list", "calendar view", "timeline", "webhook", "API token",
    "CSV export", "bulk import", "invoice", "seat", "workspace", "guest account", "custom field",
    "automation rule", "recurring task", "notification", "email digest", "mobile app", "desktop app",
    "browser extension", "single sign-on", "SAML login", "two-factor code", "audit log", "attachment",
    "comment thread", "mention", "label", "filter", "saved view", "report", "burndown chart",
    "time tracking", "project template", "sprint", "milestone", "dependency", "subtask", "checklist",
    "permission", "team role", "admin console", "billing page", "credit card", "receipt", "tax ID",
    "VAT number", "trial", "spreadsheet import", "Slack integration", "Google Drive folder", "Dropbox link",
    "Outlook calendar", "Zapier zap", "webhook payload", "rate limit", "access token", "OAuth app",
    "redirect URL", "search bar", "sidebar", "keyboard shortcut", "dark mode", "language setting",
    "time zone", "date format", "profile picture", "password reset link", "invite email", "login page",
    "session", "sync", "offline copy", "backup", "archive", "trash", "activity feed", "status page",
    "kanban column", "swimlane", "priority field", "due date", "reminder", "workload view", "portfolio",
    "goal", "form", "approval step", "guest invite", "SCIM provisioning", "user group", "export job",
    "PDF export", "print view", "gantt view", "public link", "embed code", "API key", "pagination cursor",
    "search result", "tag filter",
)
ACTIONS = (
    "open", "export", "import", "sync", "upload", "download", "delete", "restore", "archive", "share",
    "invite", "assign", "rename", "move", "duplicate", "filter", "sort", "print", "connect", "disconnect",
    "reset", "update", "configure", "enable", "disable", "schedule", "refresh", "edit", "save", "load",
    "merge", "convert", "attach", "embed", "pin", "unpin", "transfer", "approve",
)
FAILURES = (
    "stops responding", "shows a blank page", "times out after thirty seconds", "returns error 500",
    "throws a 403 Forbidden error", "keeps spinning forever", "crashes on launch", "logs me out",
    "loses my changes", "duplicates every entry", "shows the wrong date", "sends two emails",
    "never finishes", "is greyed out", "does not appear at all", "fails without any message",
    "shows an old version", "gets stuck at 99 percent", "breaks the formatting", "ignores the filter",
    "uses the wrong time zone", "drops the attachments", "shows garbled characters",
    "asks me to sign in again", "counts the seats twice", "skips some rows",
)
CONTEXTS = (
    "since the last update", "on {os}", "in {browser}", "for guests only", "after we moved to {plan}",
    "when the file is larger than {size}", "in the {workspace} workspace", "on my {device}",
    "every {weekday} morning", "for about {n} people on the team", "after switching to {idp}",
    "with more than {big_count} tasks", "only on the mobile app {mobile_version}", "in version {version}",
    "when I use the {layout} keyboard layout", "for users in {country}",
    "when the interface is set to {language}", "right after the {hour} sync",
)
SENTENCE_TEMPLATES = (
    "When I {action} the {feature} {context}, it {failure}.", "The {feature} {failure} {context}.",
    "I tried to {action} the {feature} from the {feature2} but it {failure}.",
    "Our team relies on the {feature} every day, and {context} it {failure}.",
    "Is there a way to {action} every {feature} at once instead of one by one?",
    "Nothing changed on our side, yet the {feature} {failure} {context}.",
    "I can still {action} the {feature}, but the {feature2} {failure}.",
    "Support asked for the request id {request_id} from the {feature} error.",
    "The log shows {code} right before the {feature} {failure}.",
    "We only noticed because the {feature2} {failure} too.",
)
ANSWER_TEMPLATES = (
    "You can {action} the {feature} under *Settings > {menu}*.",
    "Go to *Admin > {menu}* and turn on **{setting}**, then {action} the {feature} again.",
    "This usually happens when the {feature} is out of date; {action} it and try again.",
    "Clearing the cache and signing in again fixed the {feature} for us.",
    "The {feature} only works {context}, which is why the {feature2} {failure}.",
    "Check that the {feature} has permission to {action} the {feature2}.",
    "We hit {code} as well; it went away after we {action_past} the {feature}.",
    "It is a known issue with the {feature} {context} and the next release fixes it.",
    "As a workaround, {action} the {feature2} first and then the {feature}.",
    "Make sure `{setting_code}` is set on the {feature}, otherwise it {failure}.",
)
TITLE_TEMPLATES = (
    "{Feature} {failure} {context}", "How do I {action} the {feature} from the {feature2} {context}?",
    "Can't {action} the {feature} when the {feature2} {failure}",
    "Error {code} when trying to {action} the {feature} {context}",
    "Why does the {feature} {failure_base} {context}?",
    "Is it possible to {action} a {feature} without the {feature2}?",
    "{Feature} and {feature2} out of sync {context}",
)
MENUS = (
    "Billing", "Members", "Integrations", "Security", "Notifications", "Workspace", "Apps", "Data",
)
SETTINGS = (
    "Allow guest access", "Sync in background", "Require two-factor", "Send weekly digest",
    "Keep deleted items for 30 days", "Use workspace time zone", "Enable public links",
)
_SYLLABLES = "ba be bi bo da de di do fa fe fi ka ke ki ko la le li lo ma me mi mo na ne ni no ra re ri ro sa se si so ta te ti to va ve vi zo".split()  # noqa: SIM905
# fmt: on
_MARKDOWN_SPAN = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*|`(.+?)`")


def inline_html(text: str) -> str:
    """Escaped ``text`` with ``**strong**``, ``*em*`` and ```code``` turned into tags."""
    if "*" not in text and "`" not in text:
        return html.escape(text)

    def replace(match: re.Match[str]) -> str:
        strong, em, code = match.groups()
        if strong is not None:
            return f"<strong>{html.escape(strong)}</strong>"
        if em is not None:
            return f"<em>{html.escape(em)}</em>"
        return f"<code>{html.escape(code)}</code>"

    out: list[str] = []
    last = 0
    for match in _MARKDOWN_SPAN.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        out.append(replace(match))
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def paragraphs_html(paragraphs: Sequence[str]) -> str:
    return "\n".join(f"<p>{inline_html(p)}</p>" for p in paragraphs)


def _demo_sentences(texts: Sequence[str]) -> list[str]:
    """Plain sentences of the demo texts (no code blocks, lists or line breaks)."""
    found = []
    for text in texts:
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            sentence = sentence.strip()
            if 4 <= len(sentence.split()) <= 40 and not re.search(r"```|\n|^\d+\.|^- |\{\{", sentence):
                found.append(sentence)
    return found


class _KeepMissing(dict):
    """``format_map`` values that leave unknown ``{slots}`` in place for the thread's details."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class WordBank:
    """Seeded text generator: titles, question and answer bodies as (markdown, html), comments."""

    def __init__(self, rng: random.Random, tail_size: int = 40_000, pool_size: int = 40_000) -> None:
        self.rng = rng
        self.random = rng.random
        self.demo_titles = [t for topic in DEMO_TOPICS for ask in topic.asks for t in ask.titles]
        demo_problems = _demo_sentences([p for topic in DEMO_TOPICS for a in topic.asks for p in a.problems])
        demo_answers = _demo_sentences([a for topic in DEMO_TOPICS for a in topic.answers])
        self.searches = [s for topic in DEMO_TOPICS for s in topic.searches]
        self.comments = list(THANKS_COMMENTS + BYSTANDER_COMMENTS) + [
            c for group in CLARIFYING_COMMENTS.values() for c in group
        ]
        self.tail = [self._pseudo_word(rank) for rank in range(tail_size)]
        self.tail_weights = list(accumulate(1.0 / (rank + 1) ** 1.05 for rank in range(tail_size)))
        # Sentences are drawn from pools made once: the grammar's variations (with the
        # thread's details still to fill) and the demo's own sentences, about 45% of them.
        self.problem_pool = self._pool(SENTENCE_TEMPLATES, demo_problems, pool_size)
        self.answer_pool = self._pool(ANSWER_TEMPLATES, demo_answers, pool_size)
        self.title_pool = [self._fill(rng.choice(TITLE_TEMPLATES)) for _ in range(pool_size // 2)]
        moments = [datetime(2024, 1 + i % 12, 1 + i % 28, tzinfo=UTC) for i in range(2_000)]
        plain_slots = [draw_slots(rng, moment, "asker") for moment in moments]
        self.slot_pool = [(slots, {k: html.escape(v) for k, v in slots.items()}) for slots in plain_slots]
        # Tail words are drawn in advance and read in turn: a Zipf draw per word is slow.
        self.tail_stream = rng.choices(self.tail, cum_weights=self.tail_weights, k=1_000_003)
        self.tail_position = 0
        self.slots: dict[str, str] = {}

    def _pool(self, templates: Sequence[str], demo: list[str], size: int) -> list[tuple[str, str]]:
        """(markdown, html) sentences; ``{slots}`` in them are filled per thread."""
        synthetic = [self._fill(self.rng.choice(templates)) for _ in range(size)]
        texts = synthetic + demo * max(1, int(0.8 * size / len(demo)))
        return [(text, inline_html(text)) for text in texts]

    def _pseudo_word(self, rank: int) -> str:
        length = 2 + min(3, rank.bit_length() // 5)
        return "".join(self.rng.choice(_SYLLABLES) for _ in range(length))

    def _pick(self, items: Sequence[str]) -> str:
        return items[int(self.random() * len(items))]

    def new_thread(self, asker: str) -> None:
        """Pick the details (OS, plan, version...) that one thread's texts share."""
        slots, html_slots = self.slot_pool[int(self.random() * len(self.slot_pool))]
        self.slots = {**slots, "asker": asker}
        self.html_slots = {**html_slots, "asker": html.escape(asker)}

    def _fill(self, template: str) -> str:
        rng = self.rng
        feature = rng.choice(FEATURES)
        values = _KeepMissing(
            feature=feature,
            Feature=feature[0].upper() + feature[1:],
            feature2=rng.choice(FEATURES),
            action=rng.choice(ACTIONS),
            action_past=rng.choice(("reconnected", "re-enabled", "recreated", "updated", "reset")),
            failure=rng.choice(FAILURES),
            failure_base=rng.choice(("fail", "freeze", "time out", "reset", "disappear", "lag")),
            context=rng.choice(CONTEXTS),
            code=f"E{rng.randint(1000, 9999)}",
            menu=rng.choice(MENUS),
            setting=rng.choice(SETTINGS),
            setting_code=rng.choice(("sync_mode=full", "tz=workspace", "retry=3", "scope=all")),
        )
        return template.format_map(values)

    def _with_slots(self, sentence: str, slots: dict[str, str] | None = None) -> str:
        if "{" not in sentence:
            return sentence
        try:
            return sentence.format_map(self.slots if slots is None else slots)
        except (KeyError, IndexError, ValueError):
            return sentence.replace("{", "").replace("}", "")

    def _tail_words(self, count: int) -> str:
        start = self.tail_position
        if start + count > len(self.tail_stream):
            start = 0
        self.tail_position = start + count
        return " ".join(self.tail_stream[start : start + count])

    def _text(self, words: int, pool: list[tuple[str, str]], opener: str = "") -> tuple[str, str]:
        """(markdown, html) of one or two paragraphs with about ``words`` words in total."""
        sources = [opener] if opener else []
        shown = [html.escape(opener)] if opener else []
        count = len(opener.split())
        random = self.random
        while count < words:
            text, text_html = pool[int(random() * len(pool))]
            text = self._with_slots(text)
            text_html = self._with_slots(text_html, self.html_slots)
            if random() < 0.35:  # the product-specific words every real thread has
                extra = f" ({self._tail_words(1 + int(random() * 3))})."
                text = text.rstrip(".?!") + extra
                text_html = text_html.rstrip(".?!") + extra
            sources.append(text)
            shown.append(text_html)
            count += text.count(" ") + 1
        cut = len(sources) if len(sources) < 3 or random() < 0.3 else 1 + int(random() * (len(sources) - 1))
        markdown = " ".join(sources[:cut])
        body_html = "<p>" + " ".join(shown[:cut]) + "</p>"
        if cut < len(sources):
            markdown += "\n\n" + " ".join(sources[cut:])
            body_html += "\n<p>" + " ".join(shown[cut:]) + "</p>"
        return markdown, body_html

    def title(self) -> str:
        """A question title of 8 to 12 words (at most 150 characters)."""
        random = self.random
        source = self.demo_titles if random() < 0.35 else self.title_pool
        words = self._with_slots(self._pick(source)).split()
        if len(words) < 8:
            words += self._tail_words(8 - len(words)).split()
        if len(words) > 12:
            question = words[-1].endswith("?")
            words = words[: 8 + int(random() * 5)]
            if question and not words[-1].endswith("?"):
                words[-1] += "?"
        return " ".join(words)[:150]

    def question_body(self, words: int) -> tuple[str, str]:
        """(markdown, html) of a question body of about ``words`` words."""
        opener = self._pick(GREETINGS) if self.random() < 0.4 else ""
        return self._text(words, self.problem_pool, opener)

    def answer_body(self, words: int) -> tuple[str, str]:
        """(markdown, html) of an answer of about ``words`` words."""
        markdown, body_html = self._text(words, self.answer_pool)
        if self.random() < 0.2:
            closer = self._pick(ADVOCATE_CLOSERS)
            if closer:
                markdown += "\n\n" + closer
                body_html += f"\n<p>{inline_html(closer)}</p>"
        return markdown, body_html

    def comment(self) -> str:
        return self._pick(self.comments)

    def search_query(self) -> str:
        """What a visitor types into the search box: a demo search, or two or three words."""
        if self.random() < 0.6:
            return self._pick(self.searches)
        return f"{self._pick(FEATURES)} {self._pick(FAILURES).split()[0]}"
