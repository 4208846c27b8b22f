"""Moderation and accuracy (PRODUCT.md, capability 3): flags and the review queue, accuracy
verdicts, spam defences, routing for advocates, the audit log, and checks and balances.

``forum`` never imports this package: ``init_app`` plugs it in through forum's template
slots (``forum.hooks``) and signals (``forum.signals``), and registers its blueprints.
"""

from __future__ import annotations

from flask import Flask
from flask_login import user_logged_in

from forum import signals
from forum.hooks import add_partial


def init_app(app: Flask) -> None:
    """Register the moderation blueprints, template partials, hooks and signal receivers."""
    from moderation import (
        advocate_views,
        api,
        audit,
        audit_views,  # noqa: F401  (adds its routes to the panel blueprint)
        limits,
        member_views,
        partials,
        post_views,  # noqa: F401  (adds its routes to the panel blueprint)
        settings,
        settings_views,
        spec,  # noqa: F401  (registers the OpenAPI paths)
        tracking,
        views,
    )

    settings.init_config(app)
    for blueprint in (
        views.bp,
        settings_views.bp,
        advocate_views.bp,
        member_views.bp,
        api.flags_bp,
        api.accuracy_bp,
        api.bp,
    ):
        app.register_blueprint(blueprint)

    add_partial(app, "post_tools", "moderation/_post_tools.html")
    add_partial(app, "thread_after_question", "moderation/_thread_routing.html")
    add_partial(app, "header_nav", "moderation/_nav.html")
    add_partial(app, "profile_after", "moderation/_profile.html")
    app.context_processor(partials.inject_helpers)

    app.register_error_handler(limits.RateLimited, limits.handle_rate_limited)
    app.before_request(limits.limit_votes)
    app.after_request(tracking.write_deferred)

    audit.install_append_only_guards()
    _connect_receivers()


_CONNECTED = False


def _connect_receivers() -> None:
    """Connect signal receivers once per process (signals are global; apps come and go)."""
    global _CONNECTED
    if _CONNECTED:
        return
    from moderation import audit, demo, receivers, spam

    signals.privileged_action.connect(audit.record_entry, weak=False)
    signals.post_screening.connect(spam.screen_post, weak=False)
    signals.post_created.connect(receivers.on_post_created, weak=False)
    signals.answer_accepted.connect(receivers.on_answer_accepted, weak=False)
    signals.demo_loaded.connect(demo.load_demo_moderation, weak=False)
    user_logged_in.connect(receivers.on_sign_in, weak=False)
    _CONNECTED = True
