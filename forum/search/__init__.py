"""Search: the one interface the rest of Peerdesk uses (no other module imports Whoosh).

- ``search_questions(query, filters, page, per_page)`` and ``similar_questions(title, body)``
- the index follows the database through an outbox (``forum.search.indexing``)
- ``init_app`` wires the backend, the outbox signals, ``/healthz`` and the CLI.
"""

from forum.search.service import (
    init_app,
    pending_changes,
    search_questions,
    similar_questions,
    sync_index,
)

__all__ = ["init_app", "pending_changes", "search_questions", "similar_questions", "sync_index"]
