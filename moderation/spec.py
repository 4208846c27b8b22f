"""OpenAPI description of the moderation API (registered into ``/api/v1/openapi.json``)."""

from __future__ import annotations

from typing import Any

from forum.api.spec import error_responses, json_body, ok, ref, register_paths
from forum.api.spec_questions import AUTHOR, PAGING, TIME, page_of, path_id, query
from moderation.models import ACCURACY_NOTE_MAX, FLAG_NOTE_MAX, FLAG_REASONS, VERDICTS

NULLABLE_TIME = {**TIME, "nullable": True}


FLAG: dict[str, Any] = {
    "type": "object",
    "required": ["id", "target_type", "target_id", "reason", "note", "status", "created_at"],
    "properties": {
        "id": {"type": "integer"},
        "target_type": {"type": "string", "enum": ["question", "answer"]},
        "target_id": {"type": "integer"},
        "question_id": {"type": "integer"},
        "reason": {"type": "string", "enum": list(FLAG_REASONS)},
        "reason_label": {"type": "string"},
        "note": {"type": "string"},
        "duplicate_of_id": {"type": "integer", "nullable": True},
        "status": {"type": "string", "enum": ["open", "dismissed", "actioned"]},
        "reporter_id": {"type": "integer"},
        "created_at": TIME,
        "resolved_at": NULLABLE_TIME,
        "resolution": {"type": "string", "nullable": True},
        "resolution_note": {"type": "string", "nullable": True},
    },
}
QUEUE_ITEM = {
    "type": "object",
    "description": "One post that needs a moderator: its open flags and any spam-rule hits",
    "properties": {
        "target_type": {"type": "string", "enum": ["question", "answer"]},
        "target_id": {"type": "integer"},
        "question_id": {"type": "integer"},
        "title": {"type": "string", "description": "The thread's title"},
        "excerpt": {"type": "string"},
        "author": AUTHOR,
        "url": {"type": "string"},
        "hidden": {"type": "boolean"},
        "held": {"type": "boolean"},
        "deleted": {"type": "boolean"},
        "created_at": TIME,
        "flags": {
            "type": "array",
            "items": {**FLAG, "properties": {**FLAG["properties"], "reporter": AUTHOR}},
        },
        "reasons": {"type": "object", "additionalProperties": {"type": "integer"}},
        "rule_hits": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "rule": {"type": "string"},
                    "detail": {"type": "string"},
                    "outcome": {"type": "string", "enum": ["held", "refused"]},
                },
            },
        },
    },
}
ACCURACY = {
    "type": "object",
    "properties": {
        "answer_id": {"type": "integer"},
        "accuracy": {"type": "string", "enum": ["verified", "inaccurate"], "nullable": True},
        "note": {"type": "string", "nullable": True},
        "by": {**AUTHOR, "nullable": True},
        "at": NULLABLE_TIME,
        "expires_at": {**TIME, "nullable": True, "description": "When a verification needs a re-check"},
        "needs_recheck": {"type": "boolean"},
    },
}
AUDIT_ENTRY = {
    "type": "object",
    "required": ["actor", "action", "target_type", "target_id", "at", "details"],
    "properties": {
        "id": {"type": "integer"},
        "actor": {
            **AUTHOR,
            "nullable": True,
            "description": "null for actions the system took (e.g. auto-hide)",
        },
        "action": {"type": "string", "example": "post.hide"},
        "target_type": {"type": "string"},
        "target_id": {"type": "integer", "nullable": True},
        "at": TIME,
        "before": {"nullable": True},
        "after": {"nullable": True},
        "details": {"type": "object"},
        "address": {"type": "string", "nullable": True},
    },
}

register_paths(
    {
        "/api/v1/flags": {
            "post": {
                "summary": "Flag a post (one flag per member per post; a daily cap applies)",
                "description": "Enough distinct spam or offensive flags hide the post until a moderator "
                "reviews it.",
                "requestBody": json_body(
                    {
                        "type": "object",
                        "required": ["target_type", "target_id", "reason"],
                        "properties": {
                            "target_type": {"type": "string", "enum": ["question", "answer"]},
                            "target_id": {"type": "integer"},
                            "reason": {"type": "string", "enum": list(FLAG_REASONS)},
                            "note": {
                                "type": "string",
                                "maxLength": FLAG_NOTE_MAX,
                                "description": "Required for other",
                            },
                            "duplicate_of_id": {"type": "integer", "description": "Required for duplicate"},
                        },
                    }
                ),
                "responses": {
                    **ok(
                        "The flag; post_hidden is true when this flag hid the post",
                        {**FLAG, "properties": {**FLAG["properties"], "post_hidden": {"type": "boolean"}}},
                        201,
                    ),
                    **error_responses(401, 403, 404, 409, 413, 422, 429),
                },
            }
        },
        "/api/v1/moderation/queue": {
            "get": {
                "summary": "Open flags (grouped by post) and posts held for review (moderators)",
                "parameters": [
                    query(
                        "kind",
                        "What to list",
                        {"type": "string", "enum": ["all", "flags", "held"], "default": "all"},
                    ),
                    query(
                        "reason",
                        "Posts with an open flag of this reason",
                        {"type": "string", "enum": list(FLAG_REASONS)},
                    ),
                    query("flagger", "Posts this username flagged"),
                    *PAGING,
                ],
                "responses": {
                    **ok("A page of posts to review", page_of(ref("QueueItem"))),
                    **error_responses(401, 403, 422),
                },
            }
        },
        "/api/v1/moderation/flags/{flag_id}/resolve": {
            "post": {
                "summary": "Resolve a flag by acting on its post (moderators); "
                "the post's other open flags close too",
                "parameters": [path_id("flag_id")],
                "requestBody": json_body(
                    {
                        "type": "object",
                        "required": ["action"],
                        "properties": {
                            "action": {"type": "string", "enum": ["dismiss", "hide", "delete"]},
                            "note": {"type": "string", "maxLength": FLAG_NOTE_MAX},
                        },
                    }
                ),
                "responses": {
                    **ok(
                        "The resolved flag, every flag closed with it, and the post's state",
                        {
                            "type": "object",
                            "properties": {
                                "flag": ref("Flag"),
                                "resolved_flag_ids": {"type": "array", "items": {"type": "integer"}},
                                "post": {"type": "object"},
                            },
                        },
                    ),
                    **error_responses(401, 403, 404, 409, 422),
                },
            }
        },
        "/api/v1/answers/{answer_id}/accuracy": {
            "post": {
                "summary": "Verify an answer, mark it inaccurate (with a note), or clear the mark "
                "(advocates, moderators)",
                "description": "403 for your own answer or an answer to your own question.",
                "parameters": [path_id("answer_id")],
                "requestBody": json_body(
                    {
                        "type": "object",
                        "required": ["verdict"],
                        "properties": {
                            "verdict": {"type": "string", "enum": list(VERDICTS)},
                            "note": {
                                "type": "string",
                                "maxLength": ACCURACY_NOTE_MAX,
                                "description": "Required for inaccurate",
                            },
                        },
                    }
                ),
                "responses": {
                    **ok("The answer's accuracy now", ref("Accuracy")),
                    **error_responses(401, 403, 404, 422),
                },
            }
        },
        "/api/v1/moderation/audit": {
            "get": {
                "summary": "The audit log, newest first (moderators, admins)",
                "parameters": [
                    query("actor", "Username of the actor"),
                    query("action", "Action, or its prefix (e.g. post. or setting.)"),
                    query("target_type", "e.g. question, answer, user, setting"),
                    query("target_id", "Target id", {"type": "integer"}),
                    query("from", "First day (UTC)", {"type": "string", "format": "date"}),
                    query("to", "Day after the last (exclusive)", {"type": "string", "format": "date"}),
                    *PAGING,
                ],
                "responses": {
                    **ok("A page of audit entries", page_of(ref("AuditEntry"))),
                    **error_responses(401, 403, 422),
                },
            }
        },
    },
    {"Flag": FLAG, "QueueItem": QUEUE_ITEM, "Accuracy": ACCURACY, "AuditEntry": AUDIT_ENTRY},
)
