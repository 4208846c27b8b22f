"""API: full-text search and similar questions."""

from __future__ import annotations

from flask import request
from flask.typing import ResponseReturnValue

from forum.api.blueprint import bp
from forum.api.helpers import api_user, page_args
from forum.errors import NotAllowed, ValidationFailed
from forum.roles import can_view_gaps
from forum.search import search_questions, similar_questions
from forum.search.gaps import gap_report, parse_period
from forum.search.searchlog import log_search
from forum.search.views import MAX_QUERY_LENGTH, parse_filters

SIMILAR_TITLE_MAX = 300
SIMILAR_BODY_MAX = 5000


@bp.get("/search")
def search() -> ResponseReturnValue:
    query = request.args.get("q", "")
    if not query.strip():
        raise ValidationFailed("Give a search query in q.", {"q": "Required."})
    if len(query) > MAX_QUERY_LENGTH:
        raise ValidationFailed("The query is too long.", {"q": f"At most {MAX_QUERY_LENGTH} characters."})
    status = request.args.get("status")
    if status not in (None, "", "solved"):
        raise ValidationFailed("status can only be 'solved' in search.", {"status": "Use solved."})
    page, per_page = page_args()
    args = dict(request.args)
    if status == "solved":
        args["solved"] = "1"
    filters = parse_filters(args)
    results = search_questions(" ".join(query.split()), filters, page, per_page)
    if page == 1:
        log_search(
            query, results.total, {"category": filters.category or "", "tag": filters.tag or ""}, source="api"
        )
    items = [
        {
            "question_id": hit.question_id,
            "title": hit.title,
            "snippet": hit.snippet_html,
            "solved": hit.solved,
            "score": round(hit.score, 4),
        }
        for hit in results.hits
    ]
    return {
        "items": items,
        "page": page,
        "per_page": per_page,
        "total": results.total,
        "suggestion": results.suggestion,
    }


@bp.get("/similar")
def similar() -> ResponseReturnValue:
    title = request.args.get("title", "")
    body = request.args.get("body", "")
    if not title.strip():
        raise ValidationFailed("Give the title being typed.", {"title": "Required."})
    if len(title) > SIMILAR_TITLE_MAX or len(body) > SIMILAR_BODY_MAX:
        raise ValidationFailed("The text is too long.", {"title": f"At most {SIMILAR_TITLE_MAX} characters."})
    items = [
        {"question_id": item.question_id, "title": item.title, "solved": item.solved}
        for item in similar_questions(title, body, limit=5)
    ]
    return {"items": items}


def _json_rows(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return [
        {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in row.items()}
        for row in rows
    ]


@bp.get("/analytics/gaps")
def gaps_api() -> ResponseReturnValue:
    if not can_view_gaps(api_user()):
        raise NotAllowed("The knowledge-gap report is for moderators, advocates, finance and admins.")
    period = parse_period(request.args.get("from"), request.args.get("to"))
    report_lists = gap_report(period)
    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        **{name: _json_rows(rows) for name, rows in report_lists.items()},
    }
