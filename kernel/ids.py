"""Identifiers: random ids for new things, name-based ids for things that must be unique."""

from __future__ import annotations

import uuid

NAMESPACE = uuid.UUID("7d0b5c8e-3f0a-4c1e-9a44-2b8f6f1c9e10")


def new_id() -> uuid.UUID:
    """A fresh random id."""
    return uuid.uuid4()


def plain_uuid(value: uuid.UUID) -> uuid.UUID:
    """A database driver's UUID (asyncpg's subclass) as the standard library's, the one events store."""
    return uuid.UUID(bytes=value.bytes)


def derived_id(*parts: object) -> uuid.UUID:
    """The same id for the same parts: makes 'one X per Y' a uniqueness rule of the data."""
    return uuid.uuid5(NAMESPACE, "/".join(str(part) for part in parts))


def parse_id(text: str) -> uuid.UUID:
    """Parse an id, raising ValueError with a plain message."""
    try:
        return uuid.UUID(text)
    except (ValueError, AttributeError, TypeError):
        raise ValueError(f"not a valid id: {text!r}") from None


def id_or_none(text: str) -> uuid.UUID | None:
    """The id the text spells, or None when it spells none."""
    try:
        return uuid.UUID(text)
    except (ValueError, AttributeError, TypeError):
        return None
