"""The search page and result clicks."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from forum.extensions import db
from forum.questions.queries import categories
from forum.questions.tags import current_tag_names
from forum.search.backend import SearchFilters
from forum.search.searchlog import log_search, record_click
from forum.search.service import search_questions
from forum.web import slugify

bp = Blueprint("search", __name__)
PER_PAGE = 20
MAX_QUERY_LENGTH = 1000
MAX_PAGE = 50


def parse_filters(args: dict[str, str]) -> SearchFilters:
    """Filters from a query string; unknown values are ignored rather than refused."""
    solved_arg = args.get("solved", "")
    solved = (
        True if solved_arg in ("1", "true", "yes") else False if solved_arg in ("0", "false", "no") else None
    )
    tag = args.get("tag", "").strip().lower()[:35]
    return SearchFilters(
        category=(args.get("category") or None),
        tag=(current_tag_names([tag])[0] if tag else None),  # a renamed or merged tag's old name works
        solved=solved,
    )


def _page_number() -> int:
    try:
        return max(1, min(int(request.args.get("page", 1)), MAX_PAGE))
    except ValueError:
        return 1


@bp.get("/search")
def search() -> ResponseReturnValue:
    raw_query = request.args.get("q", "")
    if len(raw_query) > MAX_QUERY_LENGTH:
        abort(422, description=f"Searches are limited to {MAX_QUERY_LENGTH} characters.")
    query = " ".join(raw_query.split())
    filters = parse_filters(request.args)
    page_number = _page_number()
    results = search_questions(query, filters, page_number, PER_PAGE) if query else None
    log_id = None
    if results is not None and page_number == 1:
        log_id = log_search(
            query,
            results.total,
            {
                "category": filters.category or "",
                "tag": filters.tag or "",
                "solved": "" if filters.solved is None else str(filters.solved).lower(),
            },
        )
    all_categories = db.session.scalars(categories()).all()
    return render_template(
        "search/results.html",
        query=query,
        results=results,
        filters=filters,
        log_id=log_id,
        categories=all_categories,
        category_names={category.slug: category.name for category in all_categories},
        page_number=page_number,
        per_page=PER_PAGE,
        slugify=slugify,
    )


@bp.get("/search/open/<int:log_id>/<int:question_id>")
def open_result(log_id: int, question_id: int) -> ResponseReturnValue:
    """Record which result a searcher opened, then go to the thread."""
    record_click(log_id, question_id)
    return redirect(url_for("questions.thread", question_id=question_id))
