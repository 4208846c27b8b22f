"""The finance dashboard. Finance and admins only, by default for every route."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from forum.guards import role_guard
from forum.roles import can_view_finance

bp = Blueprint("analytics", __name__, url_prefix="/analytics")


bp.before_request(role_guard(can_view_finance))


@bp.get("/")
def dashboard() -> ResponseReturnValue:
    return render_template("analytics/dashboard.html")
