"""Signals ``forum`` sends so that ``moderation`` and ``analytics`` can react without
``forum`` importing them (STYLE.md, "Dependencies point one way").

Receivers get the sender (the app) and keyword arguments named in each comment.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# actor: User, user: User, before: str, after: str, address: str | None
role_changed = _signals.signal("role-changed")

# question_id: int - a question, one of its answers or comments changed (search reindexes it)
post_changed = _signals.signal("post-changed")

# actor: User, answer: Answer, question: Question - the asker (or a moderator) accepted an answer
answer_accepted = _signals.signal("answer-accepted")

# now: datetime, progress, seed: int - demo content was loaded; areas add their own demo data
# (views, surveys, searches) and may return {"name": count} for the summary.
demo_loaded = _signals.signal("demo-loaded")

# question: Question, viewer: User | AnonymousUserMixin - a thread page was served (analytics)
question_viewed = _signals.signal("question-viewed")
