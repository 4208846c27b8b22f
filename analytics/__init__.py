"""Deflection tracking and the finance dashboard (see PRODUCT.md, capability 4)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the analytics blueprint and its signal receivers."""
    from analytics.views import bp

    app.register_blueprint(bp)
