"""Signals ``forum`` sends so that ``moderation`` and ``analytics`` can react without
``forum`` importing them (STYLE.md, "Dependencies point one way").

Receivers get the sender (the app) and keyword arguments named in each comment.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# actor: User | None, action: str (e.g. "role.change"), target_type: str, target_id: int | None,
# before, after (JSON-able), details: dict, address: str | None - see forum.audit
privileged_action = _signals.signal("privileged-action")

# question_id: int - a question, one of its answers or comments changed (search reindexes it)
post_changed = _signals.signal("post-changed")

# actor: User, answer: Answer, question: Question - the asker (or a moderator) accepted an answer
answer_accepted = _signals.signal("answer-accepted")

# now: datetime, progress, seed: int - demo content was loaded; areas add their own demo data
# (views, surveys, searches) and may return {"name": count} for the summary.
demo_loaded = _signals.signal("demo-loaded")

# question: Question, viewer: User | AnonymousUserMixin - a thread page was served (analytics)
question_viewed = _signals.signal("question-viewed")

# author: User, kind: "question" | "answer" | "comment", text: str, question: Question | None
# Sent before a post is saved. A receiver refuses it by raising a forum.errors.DomainError
# (e.g. NotAllowed for a rate limit) or returns "hold" to keep it for moderator review.
post_screening = _signals.signal("post-screening")

# post: Question | Answer, kind: "question" | "answer", author: User - a post was created
# (held or visible); moderation uses it for its queue, analytics for activity.
post_created = _signals.signal("post-created")

# log_id: int, query: str (normalized), results_count: int - a search was run and logged
search_performed = _signals.signal("search-performed")
