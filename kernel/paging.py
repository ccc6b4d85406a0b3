"""Keyset paging: opaque page tokens holding the sort key of the last row of a page."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

from kernel.errors import InvalidInputError

MAX_PAGE = 1000
DEFAULT_PAGE = 100


def encode_page_token(values: list[object]) -> str:
    """The token of the page after the row whose sort key these values are."""
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode()


def decode_page_token(token: str, parsers: tuple[Callable[[str], Any], ...]) -> list[Any] | None:
    """The sort key a token stands for, each value read by its parser; None for the first page."""
    if not token:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(token.encode()))
        if not isinstance(values, list) or len(values) != len(parsers):
            raise ValueError("wrong sort key")
        return [parse(str(value)) for parse, value in zip(parsers, values, strict=True)]
    except ValueError:
        raise InvalidInputError("page_token", "not_a_page_token") from None


def page_limit(page_size: int) -> int:
    """The rows a page holds: as asked (at most MAX_PAGE), DEFAULT_PAGE when 0."""
    if not 0 <= page_size <= MAX_PAGE:
        raise InvalidInputError("page_size", f"must_be_between_1_and_{MAX_PAGE}")
    return page_size or DEFAULT_PAGE
