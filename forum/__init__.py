"""Peerdesk: a community self-service support forum. ``create_app`` is the one factory."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask

from forum.config import load_config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the Peerdesk app: config, extensions, blueprints, error pages and CLI."""
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("PEERDESK_INSTANCE_PATH")
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    load_config(app, test_config)
    logging.basicConfig(level=app.config.get("LOG_LEVEL", "WARNING"))

    from forum import setup

    setup.init_extensions(app)
    setup.register_blueprints(app)
    setup.register_error_handlers(app)
    setup.register_template_helpers(app)
    setup.register_cli(app)
    return app
