"""Domain error families; each service names its own errors as subclasses of these."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule said no."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInputError(DomainError):
    """A field of a request is not acceptable; names the field and the reason."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class NotFoundError(DomainError):
    """No such thing for this tenant (another tenant's things are not found either)."""


class ConflictError(DomainError):
    """The request contradicts what already exists."""


class PreconditionError(DomainError):
    """The thing exists but is not in a state that allows this."""


class UnavailableError(DomainError):
    """A service this one depends on did not answer; retrying later may succeed."""
