"""Help-desk forwarding with a real local receiver: when it is down nothing is lost, and
once it is up every request arrives, signed."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select

from analytics.models import SupportRequest
from forum.extensions import db
from tests import support
from tests.test_analytics_support import BROWSER_UA

SECRET = "s3cret-shared-with-the-help-desk"


class Receiver(ThreadingHTTPServer):
    """A help desk on 127.0.0.1 that records what it receives and answers ``status``."""

    def __init__(self, port: int, status: int = 200):
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.status = status
        super().__init__(("127.0.0.1", port), _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((dict(self.headers.items()), body))
        self.send_response(self.server.status)
        self.end_headers()

    def log_message(self, *_args: Any) -> None:
        pass


@contextmanager
def receiver_up(port: int, status: int = 200) -> Iterator[Receiver]:
    server = Receiver(port, status)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def port() -> int:
    return support.free_port()


@pytest.fixture
def app_config(app_config: dict[str, Any], port: int) -> dict[str, Any]:
    return {
        **app_config,
        "ANALYTICS_HELPDESK_WEBHOOK_URL": f"http://127.0.0.1:{port}/hooks/peerdesk",
        "ANALYTICS_HELPDESK_WEBHOOK_SECRET": SECRET,
        "ANALYTICS_HELPDESK_TIMEOUT": 2.0,
        "ANALYTICS_HELPDESK_RETRY_CHECK_SECONDS": 3600,
    }


def send_requests(client, count: int) -> list[str]:
    references = []
    for n in range(count):
        payload = {"email": f"c{n}@example.com", "subject": f"Problem {n}", "body": "Details."}
        response = client.post("/api/v1/support-requests", json=payload, headers={"User-Agent": BROWSER_UA})
        response.close()  # the first delivery attempt runs once the response is done
        assert response.status_code == 201
        references.append(response.get_json()["reference"])
    return references


def rows(app) -> list[SupportRequest]:
    with app.app_context():
        found = list(db.session.scalars(select(SupportRequest).order_by(SupportRequest.id)))
        db.session.expunge_all()
        return found


def test_receiver_down_then_up_loses_nothing_and_signatures_verify(app, client, runner, auth, port):
    references = send_requests(client, 3)  # nothing listens on the port yet
    stored = rows(app)
    assert [r.reference for r in stored] == references
    assert {(r.delivery_status, r.delivery_attempts) for r in stored} == {("pending", 1)}
    assert all("could not reach the help desk" in (r.last_error or "") for r in stored)
    assert all(r.next_attempt_at is not None for r in stored)

    auth.login_as("admin")
    page = client.get("/analytics/admin/support-requests?status=pending").get_data(as_text=True)
    assert all(reference in page for reference in references) and "could not reach the help desk" in page

    with receiver_up(port) as desk:
        waiting = runner.invoke(args=["support", "deliver"])  # still inside the back-off
        assert "Delivered 0 of 0" in waiting.output
        result = runner.invoke(args=["support", "deliver", "--all"])
        assert result.exit_code == 0, result.output
        assert "Delivered 3 of 3" in result.output
    assert {(r.delivery_status, r.delivery_attempts) for r in rows(app)} == {("delivered", 2)}
    assert len(desk.received) == 3
    for headers, body in desk.received:
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-Peerdesk-Signature"], expected)
        sent = json.loads(body)
        assert headers["X-Peerdesk-Delivery"] == sent["reference"]
        assert sent["event"] == "support_request.created" and sent["body"] == "Details."
    assert sorted(json.loads(body)["reference"] for _, body in desk.received) == sorted(references)
    page = client.get("/analytics/admin/support-requests?status=delivered").get_data(as_text=True)
    assert all(reference in page for reference in references)


def test_due_retries_go_out_after_later_requests(app, client, port):
    app.config["ANALYTICS_HELPDESK_RETRY_BASE_SECONDS"] = 0  # due again at once
    send_requests(client, 2)
    assert {r.delivery_status for r in rows(app)} == {"pending"}
    app.config["ANALYTICS_HELPDESK_RETRY_CHECK_SECONDS"] = 0
    with receiver_up(port) as desk:
        client.get("/healthz").close()  # any later request looks for due retries after its response
    assert {r.delivery_status for r in rows(app)} == {"delivered"}
    assert len(desk.received) == 2


def test_an_error_answer_backs_off_then_fails_and_an_admin_retries(app, client, auth, port):
    app.config["ANALYTICS_HELPDESK_RETRY_BASE_SECONDS"] = 0
    app.config["ANALYTICS_HELPDESK_MAX_ATTEMPTS"] = 2
    with receiver_up(port, status=503) as desk:
        (reference,) = send_requests(client, 1)
        app.config["ANALYTICS_HELPDESK_RETRY_CHECK_SECONDS"] = 0
        client.get("/healthz").close()
        app.config["ANALYTICS_HELPDESK_RETRY_CHECK_SECONDS"] = 3600
    (request,) = rows(app)
    assert (request.delivery_status, request.delivery_attempts) == ("failed", 2)
    assert request.last_error == "the help desk answered HTTP 503" and len(desk.received) == 2
    auth.login_as("admin")
    with receiver_up(port) as desk:
        response = client.post(f"/analytics/admin/support-requests/{request.id}/retry")
        response.close()
        assert response.status_code == 302
    (request,) = rows(app)
    assert request.delivery_status == "delivered" and [b for _, b in desk.received]
    assert json.loads(desk.received[0][1])["reference"] == reference
