"""The JSON API v1 (see API.md). Route modules register themselves on ``bp``."""

from forum.api import accounts, questions, search  # noqa: F401  (importing registers the routes)
from forum.api.blueprint import WRITE_METHODS, authenticate_api_request, bearer_token, bp

__all__ = ["WRITE_METHODS", "authenticate_api_request", "bearer_token", "bp"]
