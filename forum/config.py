"""Configuration: defaults, then the instance file, then ``PEERDESK_*`` variables, then tests.

The names of the environment variables are part of the contract (README, table
"Configuration"). Nothing here runs at import time: ``load_config`` is called by the factory.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

INSTANCE_CONFIG_FILE = "peerdesk.cfg"
SECRET_KEY_FILE = "secret_key"
ENV_PREFIX = "PEERDESK"

DEFAULTS: dict[str, Any] = {
    "SITE_NAME": "Peerdesk",
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "LOGIN_LIMIT_PER_IP": "30 per 10 minutes",
    "LOGIN_LIMIT_PER_ACCOUNT": "5 per 5 minutes",
    "REGISTER_LIMIT_PER_IP": "10 per hour",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_DURATION": timedelta(days=30),
    "PERMANENT_SESSION_LIFETIME": timedelta(days=30),
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "WTF_CSRF_TIME_LIMIT": None,
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "PASSWORD_MIN_LENGTH": 12,
    "DEMO_QUESTIONS": 240,
    "THREAD_CACHE_ENTRIES": 256,  # rendered threads kept per worker for anonymous readers
    "THREAD_CACHE_SECONDS": 30.0,  # the longest a kept thread shows stale names or reputation
    "SEARCH_EMBEDDINGS": True,  # re-rank similar questions by meaning when the model is installed
}


def _generated_secret_key(instance_path: Path) -> str:
    """The instance's secret key, generated once on first run and kept in the instance folder."""
    key_file = instance_path / SECRET_KEY_FILE
    if not key_file.exists():
        key = secrets.token_hex(32)
        # O_EXCL: when two workers start at once, the first one's key wins for both.
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(key)
    return key_file.read_text().strip()


def _normalise_database_url(url: str) -> str:
    """Accept ``postgres://`` and ``postgresql://`` URLs and use psycopg 3 for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill ``app.config`` in the documented order and derive dependent settings."""
    instance_path = Path(app.instance_path)
    instance_path.mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile(INSTANCE_CONFIG_FILE, silent=True)
    app.config.from_prefixed_env(ENV_PREFIX)
    if test_config:
        app.config.from_mapping(test_config)

    database_url = app.config.get("DATABASE_URL") or f"sqlite:///{instance_path / 'peerdesk.db'}"
    app.config["DATABASE_URL"] = _normalise_database_url(str(database_url))
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    app.config.setdefault("SEARCH_INDEX", str(instance_path / "search-index"))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _generated_secret_key(instance_path)
    if app.config.get("SECURE_COOKIES"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"
