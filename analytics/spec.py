"""OpenAPI description of the analytics API (registered once, when imported)."""

from __future__ import annotations

from forum.api.openapi import error_responses, json_body, ok, ref, register_paths

MONEY = {"type": "string", "pattern": r"^\d+\.\d{2}$", "example": "1234.50"}
FRACTION = {"type": "number", "minimum": 0, "maximum": 1}

FEEDBACK_IN = {
    "type": "object",
    "required": ["question_id", "solved"],
    "properties": {
        "question_id": {"type": "integer"},
        "solved": {"type": "boolean", "description": "Did this solve your problem?"},
        "would_have_contacted": {
            "type": "boolean",
            "nullable": True,
            "description": "Would you have contacted support otherwise? Only after solved = true.",
        },
    },
}
FEEDBACK_OUT = {
    "type": "object",
    "required": ["question_id", "solved", "would_have_contacted", "counted", "replaced"],
    "properties": {
        "question_id": {"type": "integer"},
        "solved": {"type": "boolean"},
        "would_have_contacted": {"type": "boolean", "nullable": True},
        "counted": {
            "type": "boolean",
            "description": "False for bots, staff and callers without the visitor cookie or a member token.",
        },
        "replaced": {
            "type": "boolean",
            "description": "True when it replaced this visitor's earlier answer.",
        },
        "reason": {"type": "string", "nullable": True},
    },
}
SUPPORT_IN = {
    "type": "object",
    "required": ["email", "subject", "body"],
    "properties": {
        "email": {"type": "string", "format": "email", "maxLength": 254},
        "subject": {"type": "string", "maxLength": 150},
        "body": {"type": "string", "maxLength": 5000},
        "question_id": {"type": "integer", "nullable": True},
        "category": {
            "type": "string",
            "nullable": True,
            "description": "A category slug, when no thread is named.",
        },
    },
}
SUPPORT_OUT = {
    "type": "object",
    "required": [
        "id",
        "reference",
        "email",
        "subject",
        "body",
        "question_id",
        "created_at",
        "delivery_status",
    ],
    "properties": {
        "id": {"type": "integer"},
        "reference": {"type": "string", "example": "SR-7KQ2M9XD"},
        "email": {"type": "string"},
        "subject": {"type": "string"},
        "body": {"type": "string"},
        "question_id": {"type": "integer", "nullable": True},
        "category": {"type": "string", "nullable": True},
        "created_at": {"type": "string", "format": "date-time"},
        "delivery_status": {"type": "string", "enum": ["pending", "delivered", "failed", "not_configured"]},
    },
}
REPORT_FIELDS = {
    "from": {"type": "string", "format": "date"},
    "to": {"type": "string", "format": "date", "description": "Exclusive."},
    "category": {"type": "string", "nullable": True},
    "self_service_visits": {"type": "integer"},
    "survey_responses": {"type": "integer"},
    "survey_deflecting_responses": {"type": "integer"},
    "deflection_rate": FRACTION,
    "deflection_rate_low": FRACTION,
    "deflection_rate_high": FRACTION,
    "rate_is_assumed": {"type": "boolean"},
    "min_sample": {"type": "integer"},
    "assumed_rate": FRACTION,
    "estimated_deflected_calls": {"type": "number"},
    "estimated_deflected_calls_low": {"type": "number"},
    "estimated_deflected_calls_high": {"type": "number"},
    "escalations": {"type": "integer"},
    "deflection_share": {**FRACTION, "nullable": True},
    "benchmark": {"type": "string", "enum": ["no_data", "below_norm", "norm", "above_norm", "world_class"]},
    "benchmarks": {"type": "array", "items": {"type": "object"}},
    "estimated_savings": MONEY,
    "estimated_savings_low": MONEY,
    "estimated_savings_high": MONEY,
    "currency": {"type": "string", "example": "USD"},
    "costs": {
        "type": "array",
        "description": "Each per-call cost applied: category, cost, days (to exclusive) and visits.",
        "items": {"type": "object"},
    },
}
REPORT = {
    "type": "object",
    "required": [
        name for name in REPORT_FIELDS if name not in ("min_sample", "assumed_rate", "benchmarks", "costs")
    ],
    "properties": REPORT_FIELDS,
}


def _query(name: str, description: str, fmt: str | None = None) -> dict[str, object]:
    schema = {"type": "string", **({"format": fmt} if fmt else {})}
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


register_paths(
    {
        "/api/v1/feedback": {
            "post": {
                "summary": "Answer the survey of an answered thread (anyone)",
                "security": [{"bearer": []}, {}],
                "requestBody": json_body(FEEDBACK_IN),
                "responses": {
                    **ok("Stored", ref("FeedbackResult"), status=201),
                    **ok("Replaced an earlier answer, or not counted", ref("FeedbackResult")),
                    **error_responses(401, 404, 422, 429),
                },
            }
        },
        "/api/v1/support-requests": {
            "post": {
                "summary": "Ask support for help (anyone); forwarded to the help desk when configured",
                "security": [{"bearer": []}, {}],
                "requestBody": json_body(SUPPORT_IN),
                "responses": {
                    **ok("Stored", ref("SupportRequest"), status=201),
                    **error_responses(401, 404, 422, 429),
                },
            }
        },
        "/api/v1/analytics/deflection": {
            "get": {
                "summary": "The deflection report (finance, admin)",
                "parameters": [
                    _query("from", "First day (UTC). Default: 30 days before `to`.", "date"),
                    _query("to", "Day after the last (exclusive). Default: tomorrow.", "date"),
                    _query("category", "A category slug; all categories when absent."),
                ],
                "responses": {**ok("Report", ref("DeflectionReport")), **error_responses(401, 403, 422)},
            }
        },
    },
    {"FeedbackResult": FEEDBACK_OUT, "SupportRequest": SUPPORT_OUT, "DeflectionReport": REPORT},
)
