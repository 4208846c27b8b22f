"""Domain errors raised by services; views turn them into HTTP responses.

Every error carries the API's error ``code`` and a message for people; ``fields`` names the
inputs that are wrong (see API.md, "Errors").
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of the errors a service may raise about a request it cannot carry out."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, fields: dict[str, str] | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code


class ValidationFailed(DomainError):
    status = 422
    code = "invalid"


class NotAllowed(DomainError):
    status = 403
    code = "forbidden"


class NotFoundError(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"
