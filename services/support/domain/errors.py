"""Errors of the support domain: each names what was wrong, so edges map it to one status."""

from __future__ import annotations

from kernel.errors import ConflictError, InvalidInputError, NotFoundError, PreconditionError


class InvalidQueryError(InvalidInputError):
    """A field of a support request is not acceptable."""


class QueryNotFoundError(NotFoundError):
    """No such query for this tenant (or, for a customer, of their own account)."""

    def __init__(self, query_id: object) -> None:
        super().__init__(f"query {query_id} not found")


class QueryClosedError(PreconditionError):
    """A resolved or rejected query takes nothing more: no comment, assignment or decision."""

    def __init__(self, query_id: object, state: str, action: str) -> None:
        super().__init__(f"query {query_id} is {state}: it cannot be {action} any more")


class RequestIdReusedError(ConflictError):
    """A request id already opened a different query."""

    def __init__(self, request_id: str) -> None:
        super().__init__(f"request_id {request_id!r} already opened a different query")


class InvoiceNotDisputableError(PreconditionError):
    """Only issued invoices can be disputed: not drafts, not void ones."""

    def __init__(self, invoice_id: object, status: str) -> None:
        super().__init__(f"invoice {invoice_id} is {status or 'of unknown status'}: it cannot be disputed")


class SubjectNotFoundError(NotFoundError):
    """The account or invoice a query is about does not exist for this tenant (or account)."""


class TooManyCommentsError(PreconditionError):
    """A query's thread is full; open a new query."""

    def __init__(self, query_id: object, limit: int) -> None:
        super().__init__(f"query {query_id} already has {limit} comments; open a new query")
