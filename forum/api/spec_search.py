"""OpenAPI description of search and similar questions."""

from __future__ import annotations

from forum.api.spec import error_responses, ok, register_paths


def _query(name: str, description: str, required: bool = False, type_: str = "string") -> dict[str, object]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": {"type": type_},
    }


SEARCH_RESULTS = {
    "type": "object",
    "required": ["items", "page", "per_page", "total"],
    "properties": {
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["question_id", "title", "snippet", "solved", "score"],
                "properties": {
                    "question_id": {"type": "integer"},
                    "title": {"type": "string"},
                    "snippet": {"type": "string", "description": "escaped text with <mark> around matches"},
                    "solved": {"type": "boolean"},
                    "score": {"type": "number"},
                },
            },
        },
        "page": {"type": "integer"},
        "per_page": {"type": "integer"},
        "total": {"type": "integer", "description": "every matching thread, not just this page"},
        "suggestion": {
            "type": "string",
            "nullable": True,
            "description": "'did you mean' when nothing matched",
        },
    },
}
SIMILAR = {
    "type": "object",
    "required": ["items"],
    "properties": {
        "items": {
            "type": "array",
            "maxItems": 5,
            "items": {
                "type": "object",
                "required": ["question_id", "title", "solved"],
                "properties": {
                    "question_id": {"type": "integer"},
                    "title": {"type": "string"},
                    "solved": {"type": "boolean"},
                },
            },
        }
    },
}

register_paths(
    {
        "/api/v1/search": {
            "get": {
                "summary": "Full-text search over visible threads (solved and verified first)",
                "security": [],
                "parameters": [
                    _query("q", "what to look for (plain words; no query syntax)", required=True),
                    _query("category", "category slug"),
                    _query("tag", "tag name"),
                    _query("status", "only 'solved'"),
                    _query("page", "page number", type_="integer"),
                    _query("per_page", "1-100", type_="integer"),
                ],
                "responses": {**ok("Results", SEARCH_RESULTS), **error_responses(422)},
            }
        },
        "/api/v1/analytics/gaps": {
            "get": {
                "summary": "Knowledge gaps over a period, each list ranked by volume",
                "parameters": [
                    _query("from", "first day, YYYY-MM-DD (default: 30 days ago)"),
                    _query("to", "day after the last, YYYY-MM-DD (exclusive; default: tomorrow)"),
                ],
                "responses": {
                    **ok(
                        "Gap lists",
                        {
                            "type": "object",
                            "required": [
                                "from",
                                "to",
                                "zero_result_queries",
                                "no_click_queries",
                                "unanswered_questions",
                            ],
                            "properties": {
                                "from": {"type": "string", "format": "date"},
                                "to": {"type": "string", "format": "date"},
                                "zero_result_queries": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/QueryGap"},
                                },
                                "no_click_queries": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/QueryGap"},
                                },
                                "unanswered_questions": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/QuestionGap"},
                                },
                                "unsolved_questions": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/QuestionGap"},
                                },
                            },
                        },
                    ),
                    **error_responses(401, 403, 422),
                },
            }
        },
        "/api/v1/similar": {
            "get": {
                "summary": "Up to 5 questions similar to one being typed",
                "security": [],
                "parameters": [
                    _query("title", "the title typed so far", required=True),
                    _query("body", "the details typed so far"),
                ],
                "responses": {**ok("Similar questions", SIMILAR), **error_responses(422)},
            }
        },
    },
    {
        "QueryGap": {
            "type": "object",
            "properties": {
                "query": {"type": "string"},
                "searches": {"type": "integer"},
                "searchers": {"type": "integer"},
                "last_searched_at": {"type": "string", "format": "date-time"},
                "reopened": {"type": "boolean"},
            },
        },
        "QuestionGap": {
            "type": "object",
            "properties": {
                "question_id": {"type": "integer"},
                "title": {"type": "string"},
                "views": {"type": "integer"},
                "answers": {"type": "integer"},
                "created_at": {"type": "string", "format": "date-time"},
                "age_days": {"type": "integer"},
            },
        },
    },
)
