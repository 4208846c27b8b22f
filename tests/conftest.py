"""Fixtures: one app per test on a real database (SQLite, and PostgreSQL when
``PEERDESK_TEST_DATABASE_URL`` is set), a real search index in a temp folder, and helpers
to create users and sign in as any role.

The schema is built once per database by running the Alembic migrations; every test then
starts from empty tables (the default categories are kept).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.security import generate_password_hash

from forum import create_app
from forum.accounts.models import User
from forum.extensions import db as _db
from tests import support

PG_URL_VARIABLE = "PEERDESK_TEST_DATABASE_URL"
REQUIRE_ALL = os.environ.get("PEERDESK_TEST_REQUIRE_ALL") == "1"
PASSWORD = "correct horse battery staple"
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="scrypt")  # hashed once per run


def _backends() -> list[Any]:
    pg_reason = f"PostgreSQL leg NOT RUN: set {PG_URL_VARIABLE} (make .ci/run does)"
    pg_marks = [] if os.environ.get(PG_URL_VARIABLE) or REQUIRE_ALL else [pytest.mark.skip(reason=pg_reason)]
    return [pytest.param("sqlite", id="sqlite"), pytest.param("postgresql", id="pg", marks=pg_marks)]


@pytest.fixture(scope="session", params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated, empty database for this test session (one per backend and xdist worker)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'peerdesk.db'}"
    else:
        base_url = os.environ.get(PG_URL_VARIABLE)
        if not base_url:
            pytest.fail(f"{PG_URL_VARIABLE} is required under .ci/run")
        # One database per run and worker, so parallel runs on one server never collide.
        name = f"peerdesk_test_{worker}_{os.getpid()}"
        url = support.fresh_postgres_database(base_url, name)
        request.addfinalizer(lambda: support.drop_postgres_database(base_url, name))
    support.migrate_database(url)
    return url


@pytest.fixture
def app_config(database_url: str, tmp_path: Path) -> dict[str, Any]:
    """The test configuration; tests may change it before asking for ``app``."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SEARCH_INDEX": str(tmp_path / "search-index"),
        "SECRET_KEY": "test-secret-key",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True,
        "SERVER_NAME": None,
        "ANALYTICS_VIEW_BUFFER": 0,  # each view written after its response (buffering: own tests)
        "SEARCH_EMBEDDINGS": False,  # the sentence model costs ~30 ms a post: its own tests turn it on
    }


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    app = create_app(app_config)
    yield app
    with app.app_context():
        _db.session.remove()
        support.empty_tables(_db.engine)
        _db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def db(app: Flask) -> Iterator[Any]:
    """The database extension inside an app context, for arranging and checking state."""
    with app.app_context():
        yield _db


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """Create a user (detached, attributes loaded): ``make_user("alice", role="moderator")``."""
    counter = iter(range(1, 1_000_000))

    def _make_user(username: str | None = None, role: str = "member", **fields: Any) -> User:
        name = username or f"user{next(counter)}"
        with app.app_context():
            user = User(
                username=name,
                username_key=name.lower(),
                email=f"{name.lower()}@example.com",
                password_hash=_PASSWORD_HASH,
                role=role,
                **fields,
            )
            _db.session.add(user)
            _db.session.commit()
            _db.session.refresh(user)
            _db.session.expunge(user)
            return user

    return _make_user


class AuthActions:
    """Sign in and out through the real login form (flaskr's ``auth`` fixture)."""

    def __init__(self, client: FlaskClient, make_user: Callable[..., User]):
        self._client = client
        self._make_user = make_user

    def login(self, user: User | str, password: str = PASSWORD) -> Any:
        username = user if isinstance(user, str) else user.username
        return self._client.post("/login", data={"username": username, "password": password})

    def login_as(self, role: str = "member", username: str | None = None) -> User:
        user = self._make_user(username, role=role)
        response = self.login(user)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    def logout(self) -> Any:
        return self._client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient, make_user: Callable[..., User]) -> AuthActions:
    return AuthActions(client, make_user)


@pytest.fixture
def token_for(app: Flask) -> Callable[[User], dict[str, str]]:
    """Authorization headers with a fresh API token for ``user``."""
    from forum.accounts.services import issue_token

    def _token_for(user: User) -> dict[str, str]:
        with app.app_context():
            raw = issue_token(_db.session.get(User, user.id))
            _db.session.commit()
        return {"Authorization": f"Bearer {raw}"}

    return _token_for


def pytest_report_header(config: pytest.Config) -> list[str]:
    pg = os.environ.get(PG_URL_VARIABLE)
    return [
        f"peerdesk databases: sqlite{' + postgresql' if pg else ' only (PostgreSQL leg skipped)'}",
        f"peerdesk browser: {support.chromium_path() or 'Chromium missing (browser tests skipped)'}",
    ]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    executable = support.chromium_path()
    reason = "browser tests NOT RUN: Chromium missing (apt-get install -y chromium)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a test extra
        executable, reason = None, "browser tests NOT RUN: playwright not installed"
    if executable is None:
        if REQUIRE_ALL:
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=support.CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def live_url(app: Flask) -> Iterator[str]:
    """The test app served over real HTTP (CSRF on, as in production)."""
    app.config["WTF_CSRF_ENABLED"] = True
    with support.live_server(app) as url:
        yield url


@pytest.fixture
def page(browser: Any, live_url: str) -> Iterator[Any]:
    context = browser.new_context(base_url=live_url, viewport={"width": 1200, "height": 900})
    context.set_default_timeout(10_000)
    new_page = context.new_page()
    yield new_page
    context.close()


_LEG_RESULTS: dict[str, dict[str, int]] = {"postgresql": {}, "browser": {}}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "call" and not (report.when == "setup" and report.skipped):
        return
    legs = []
    if "[pg" in report.nodeid or "-pg]" in report.nodeid:
        legs.append("postgresql")
    if "browser" in report.keywords:
        legs.append("browser")
    for leg in legs:
        counts = _LEG_RESULTS[leg]
        counts[report.outcome] = counts.get(report.outcome, 0) + 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say loudly whether the PostgreSQL and browser legs really ran."""
    terminalreporter.section("peerdesk legs")
    for leg, counts in _LEG_RESULTS.items():
        ran = counts.get("passed", 0) + counts.get("failed", 0)
        state = "RAN" if ran else "NOT RUN"
        details = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "no tests"
        terminalreporter.write_line(f"{leg:>10}: {state} ({details})", bold=not ran, red=not ran)


@pytest.fixture
def ask(db: Any, make_user: Callable[..., User]) -> Callable[..., int]:
    """``ask(title, tags, body=..., category="technical")`` posts a question by one member; returns its id."""
    from forum.questions import services

    author = make_user("asker")

    def _ask(
        title: str, tags: list[str], body: str = support.QUESTION_BODY, category: str = "technical"
    ) -> int:
        # In the test's own session: its commit also ends the test's earlier read transaction.
        question = services.ask_question(db.session.get(User, author.id), title, body, category, tags)
        question_id = question.id
        db.session.commit()  # and read nothing after it, so no read transaction stays open
        return int(question_id)

    return _ask
