"""Template slots that other areas fill, so ``forum`` never imports them.

``moderation`` and ``analytics`` call ``add_partial(app, slot, template)`` in their
``init_app``; forum templates render ``{% for t in partials("slot") %}{% include t %}{% endfor %}``.

Slots and the variables in scope when they render:
- ``thread_after_question``: ``q``, ``thread``
- ``post_tools``: ``q``, ``post``, ``kind`` ("question" or "answer") - small buttons under a post
- ``thread_after_answers``: ``q``, ``thread`` - e.g. the survey and "Still need help?"
- ``search_after_results``: ``query``, ``results``
- ``header_nav``: nothing extra - links for signed-in staff
- ``profile_after``: ``user``
"""

from __future__ import annotations

from flask import Flask, current_app

SLOTS = (
    "thread_after_question",
    "post_tools",
    "thread_after_answers",
    "search_after_results",
    "header_nav",
    "profile_after",
)
_EXTENSION_KEY = "peerdesk_partials"


def add_partial(app: Flask, slot: str, template: str) -> None:
    """Render ``template`` wherever ``slot`` appears."""
    if slot not in SLOTS:
        raise ValueError(f"unknown template slot {slot!r}; known: {', '.join(SLOTS)}")
    app.extensions.setdefault(_EXTENSION_KEY, {}).setdefault(slot, []).append(template)


def partials(slot: str) -> list[str]:
    return list(current_app.extensions.get(_EXTENSION_KEY, {}).get(slot, []))


def add_health_check(app: Flask, check: object) -> None:
    """Add a callable returning ``{"name": "ok" | problem}`` to ``/healthz``."""
    app.extensions.setdefault("peerdesk_health", []).append(check)
