"""OpenAPI description of questions, answers, votes, accepting and revisions."""

from __future__ import annotations

from typing import Any

from forum.api.spec import error_responses, json_body, ok, ref, register_paths
from forum.questions.models import BODY_MAX, TAG_MAX_LENGTH, TAGS_PER_QUESTION, TITLE_MAX, TITLE_MIN

TIME = {"type": "string", "format": "date-time"}
AUTHOR = {
    "type": "object",
    "required": ["id", "username"],
    "properties": {"id": {"type": "integer"}, "username": {"type": "string"}},
}
QUESTION_PROPERTIES: dict[str, Any] = {
    "id": {"type": "integer"},
    "title": {"type": "string"},
    "body": {"type": "string", "description": "Markdown source"},
    "body_html": {"type": "string", "description": "Rendered and sanitized HTML"},
    "category": {"type": "string", "description": "Category slug"},
    "tags": {"type": "array", "items": {"type": "string"}},
    "author": ref("Author"),
    "score": {"type": "integer"},
    "answer_count": {"type": "integer"},
    "accepted_answer_id": {"type": "integer", "nullable": True},
    "status": {"type": "string", "enum": ["unanswered", "answered", "solved"]},
    "view_count": {"type": "integer"},
    "duplicate_of_id": {"type": "integer", "nullable": True},
    "locked": {"type": "boolean"},
    "url": {"type": "string", "description": "The thread's page, /questions/<id>"},
    "created_at": TIME,
    "updated_at": TIME,
}
QUESTION_REQUIRED = [
    "id", "title", "body", "body_html", "category", "tags", "author", "score", "answer_count",
    "accepted_answer_id", "status", "created_at", "updated_at",
]  # fmt: skip
QUESTION = {"type": "object", "required": QUESTION_REQUIRED, "properties": QUESTION_PROPERTIES}
ANSWER = {
    "type": "object",
    "required": [
        "id", "question_id", "body", "body_html", "author", "score", "accepted", "accuracy",
        "created_at", "updated_at",
    ],
    "properties": {
        "id": {"type": "integer"},
        "question_id": {"type": "integer"},
        "body": {"type": "string"},
        "body_html": {"type": "string"},
        "author": ref("Author"),
        "score": {"type": "integer"},
        "accepted": {"type": "boolean"},
        "accuracy": {"type": "string", "enum": ["verified", "inaccurate"], "nullable": True},
        "created_at": TIME,
        "updated_at": TIME,
    },
}  # fmt: skip
QUESTION_DETAIL = {
    "type": "object",
    "required": [*QUESTION_REQUIRED, "answers"],
    "properties": {
        **QUESTION_PROPERTIES,
        "answers": {
            "type": "array",
            "description": "Visible answers: the accepted one first, then by score, then oldest first",
            "items": ref("Answer"),
        },
    },
}
REVISION = {
    "type": "object",
    "properties": {
        "number": {"type": "integer", "description": "1 is the original post"},
        "target_type": {"type": "string", "enum": ["question", "answer"]},
        "target_id": {"type": "integer"},
        "title": {"type": "string", "nullable": True},
        "body": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}, "nullable": True},
        "author": ref("Author"),
        "note": {"type": "string"},
        "created_at": TIME,
    },
}


def page_of(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["items", "page", "per_page", "total"],
        "properties": {
            "items": {"type": "array", "items": item},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
        },
    }


def path_id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "query", "description": description, "schema": schema or {"type": "string"}}


PAGING = [
    query("page", "From 1", {"type": "integer", "minimum": 1, "default": 1}),
    query("per_page", "1-100", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}),
]
TITLE = {"type": "string", "minLength": TITLE_MIN, "maxLength": TITLE_MAX}
BODY = {"type": "string", "minLength": 10, "maxLength": BODY_MAX, "description": "Markdown"}
TAGS = {
    "type": "array",
    "minItems": 1,
    "maxItems": TAGS_PER_QUESTION,
    "items": {"type": "string", "maxLength": TAG_MAX_LENGTH},
}
VOTE = {
    "summary": "Vote: 1 up, -1 down, 0 retracts (one vote per member per post; not on your own post)",
    "requestBody": json_body(
        {
            "type": "object",
            "required": ["value"],
            "properties": {"value": {"type": "integer", "enum": [1, -1, 0]}},
        }
    ),
    "responses": {
        **ok(
            "The post's new score and the caller's vote",
            {"type": "object", "properties": {"score": {"type": "integer"}, "value": {"type": "integer"}}},
        ),
        **error_responses(401, 403, 404, 409, 413, 422),
    },
}
WRITE_ERRORS = (401, 403, 404, 413, 422)

register_paths(
    {
        "/api/v1/questions": {
            "get": {
                "summary": "Visible questions; an unknown tag matches nothing, an unknown category is a 422",
                "security": [],
                "parameters": [
                    query("category", "Category slug"),
                    query("tag", "Tag name"),
                    query(
                        "status",
                        "Answer state",
                        {"type": "string", "enum": ["unanswered", "answered", "solved"]},
                    ),
                    query(
                        "sort",
                        "Order",
                        {"type": "string", "enum": ["newest", "active", "votes"], "default": "newest"},
                    ),
                    *PAGING,
                ],
                "responses": {**ok("A page of questions", page_of(ref("Question"))), **error_responses(422)},
            },
            "post": {
                "summary": "Ask a question",
                "requestBody": json_body(
                    {
                        "type": "object",
                        "required": ["title", "body", "category", "tags"],
                        "properties": {
                            "title": TITLE,
                            "body": BODY,
                            "category": {"type": "string"},
                            "tags": TAGS,
                        },
                    }
                ),
                "responses": {
                    **ok("The new question (with its empty answers list)", ref("QuestionDetail"), 201),
                    **error_responses(401, 403, 413, 422),
                },
            },
        },
        "/api/v1/questions/{question_id}": {
            "get": {
                "summary": "A question with its answers (404 for hidden posts the caller may not see)",
                "security": [],
                "parameters": [path_id("question_id")],
                "responses": {**ok("The question", ref("QuestionDetail")), **error_responses(404)},
            },
            "patch": {
                "summary": "Edit a question (author, moderator); a revision is kept",
                "description": "A partial edit: fields left out keep their values.",
                "parameters": [path_id("question_id")],
                "requestBody": json_body(
                    {
                        "type": "object",
                        "minProperties": 1,
                        "properties": {
                            "title": TITLE,
                            "body": BODY,
                            "category": {"type": "string"},
                            "tags": TAGS,
                            "note": {"type": "string", "description": "Why it was edited"},
                        },
                    }
                ),
                "responses": {
                    **ok("The edited question", ref("QuestionDetail")),
                    **error_responses(*WRITE_ERRORS),
                },
            },
        },
        "/api/v1/questions/{question_id}/answers": {
            "post": {
                "summary": "Answer a question",
                "parameters": [path_id("question_id")],
                "requestBody": json_body(
                    {"type": "object", "required": ["body"], "properties": {"body": BODY}}
                ),
                "responses": {**ok("The new answer", ref("Answer"), 201), **error_responses(*WRITE_ERRORS)},
            }
        },
        "/api/v1/questions/{question_id}/revisions": {
            "get": {
                "summary": "A question's revisions, the original (number 1) first",
                "security": [],
                "parameters": [path_id("question_id"), *PAGING],
                "responses": {
                    **ok("A page of revisions", page_of(ref("Revision"))),
                    **error_responses(404, 422),
                },
            }
        },
        "/api/v1/questions/{question_id}/vote": {"post": {**VOTE, "parameters": [path_id("question_id")]}},
        "/api/v1/answers/{answer_id}": {
            "patch": {
                "summary": "Edit an answer (author, moderator); a revision is kept",
                "parameters": [path_id("answer_id")],
                "requestBody": json_body(
                    {
                        "type": "object",
                        "required": ["body"],
                        "properties": {"body": BODY, "note": {"type": "string"}},
                    }
                ),
                "responses": {**ok("The edited answer", ref("Answer")), **error_responses(*WRITE_ERRORS)},
            }
        },
        "/api/v1/answers/{answer_id}/accept": {
            "post": {
                "summary": "Accept an answer (asker, moderator); accepting another moves it",
                "description": (
                    "One accepted answer per question. Returns the whole question: "
                    "`accepted_answer_id` and each answer's `accepted` show the new state."
                ),
                "parameters": [path_id("answer_id")],
                "responses": {**ok("The question", ref("QuestionDetail")), **error_responses(401, 403, 404)},
            }
        },
        "/api/v1/answers/{answer_id}/revisions": {
            "get": {
                "summary": "An answer's revisions, the original (number 1) first",
                "security": [],
                "parameters": [path_id("answer_id"), *PAGING],
                "responses": {
                    **ok("A page of revisions", page_of(ref("Revision"))),
                    **error_responses(404, 422),
                },
            }
        },
        "/api/v1/answers/{answer_id}/vote": {"post": {**VOTE, "parameters": [path_id("answer_id")]}},
    },
    {
        "Author": AUTHOR,
        "Question": QUESTION,
        "QuestionDetail": QUESTION_DETAIL,
        "Answer": ANSWER,
        "Revision": REVISION,
    },
)
