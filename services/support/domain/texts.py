"""Bounds of the free text a query holds."""

from __future__ import annotations

from services.support.domain.errors import InvalidQueryError

MAX_BODY = 10_000
"""A comment, a question, an explanation or a reason."""
MAX_LINE = 200
"""A subject, a request id, an assignee, an actor id."""


def check_text(field: str, text: str, limit: int) -> None:
    """Required text: not blank and at most `limit` characters."""
    if not text.strip():
        raise InvalidQueryError(field, "must_not_be_empty")
    if len(text) > limit:
        raise InvalidQueryError(field, f"at_most_{limit}_characters")
