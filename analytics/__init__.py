"""Deflection tracking and the finance dashboard (see PRODUCT.md, capability 4).

``init_app`` plugs the area into the app through what ``forum`` offers: blueprints, the
``question_viewed`` and ``demo_loaded`` signals, template slots, an ``after_request`` for
the visitor cookie and work after the response, and two CLI groups. ``forum`` never
imports this package.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.wrappers import Response

CONFIG_DEFAULTS: dict[str, Any] = {
    "VISITOR_COOKIE": "pd_vid",
    "VISITOR_SURVEY_COOKIE": "pd_survey",
    "ANALYTICS_COUNT_HEADLESS": False,
    "ANALYTICS_VIEW_BUFFER": 100,  # views a worker holds before writing them (0: each at once)
    "ANALYTICS_VIEW_FLUSH_SECONDS": 2.0,  # and the longest a view waits to be written
    "ANALYTICS_MIN_SAMPLE": 30,
    "ANALYTICS_ASSUMED_RATE": 0.3,
    "ANALYTICS_DEFAULT_CALL_COST": "25.00",
    "ANALYTICS_CURRENCY": "USD",
    "ANALYTICS_ROLLUP_GRACE_SECONDS": 300,
    "ANALYTICS_HELPDESK_WEBHOOK_URL": "",
    "ANALYTICS_HELPDESK_WEBHOOK_SECRET": "",
    "ANALYTICS_HELPDESK_TIMEOUT": 3.0,
    "ANALYTICS_HELPDESK_MAX_ATTEMPTS": 10,
    "ANALYTICS_HELPDESK_RETRY_BASE_SECONDS": 30,
    "ANALYTICS_HELPDESK_RETRY_CHECK_SECONDS": 60,
    "ANALYTICS_SUPPORT_LIMIT": "10 per hour",
    "ANALYTICS_FEEDBACK_LIMIT": "60 per minute",
}


def init_app(app: Flask) -> None:
    """Register the analytics blueprints, signal receivers, template partials and CLI."""
    import analytics.models  # noqa: F401  (tables known to Alembic and create_all)
    import analytics.spec  # noqa: F401  (registers the OpenAPI paths once)
    from analytics import admin_views, api, public_views, views
    from analytics.capture import attach_after_response_tasks, on_question_viewed, set_up_view_buffer
    from analytics.cli import analytics_cli, support_cli
    from analytics.demo import on_demo_loaded
    from analytics.helpdesk import retry_due_now_and_then
    from analytics.public_views import survey_panel
    from analytics.visitors import set_visitor_cookie
    from forum.hooks import add_partial
    from forum.signals import demo_loaded, question_viewed

    for key, value in CONFIG_DEFAULTS.items():
        app.config.setdefault(key, value)

    app.register_blueprint(views.bp)
    app.register_blueprint(admin_views.bp)
    app.register_blueprint(public_views.bp)
    app.register_blueprint(api.bp)

    set_up_view_buffer(app)
    question_viewed.connect(on_question_viewed)
    demo_loaded.connect(on_demo_loaded)

    add_partial(app, "thread_after_answers", "analytics/_thread_help.html")
    add_partial(app, "search_after_results", "analytics/_search_help.html")
    app.add_template_global(survey_panel, "analytics_survey_panel")

    @app.after_request
    def analytics_after_request(response: Response) -> Response:
        retry_due_now_and_then(app)
        set_visitor_cookie(response)
        return attach_after_response_tasks(response)

    app.cli.add_command(analytics_cli)
    app.cli.add_command(support_cli)
