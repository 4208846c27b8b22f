"""Moderation and accuracy: the panel moderators work in (see PRODUCT.md, capability 3)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the moderation blueprint and its signal receivers."""
    from moderation.views import bp

    app.register_blueprint(bp)
