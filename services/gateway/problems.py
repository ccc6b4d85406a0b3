"""Errors as RFC 9457 problem+json, naming the field and the reason where there is one."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import grpc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from kernel.grpc import field_violation

log = logging.getLogger(__name__)

HTTP_FOR_GRPC = {
    grpc.StatusCode.INVALID_ARGUMENT: 422,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.FAILED_PRECONDITION: 409,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
    grpc.StatusCode.UNIMPLEMENTED: 501,
}
TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
          409: "Conflict", 422: "Invalid request", 501: "Not implemented", 502: "Bad gateway",
          503: "Service unavailable", 504: "Gateway timeout"}


class FieldProblem(Exception):
    """A request the gateway refuses because of one field: 422 naming it."""

    def __init__(self, field: str, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.field = field
        self.reason = reason
        self.detail = detail


@contextmanager
def flattened(prefix: str) -> Iterator[None]:
    """Field violations the service names under `prefix` ("details.locale") named as a flat
    request body names them ("locale")."""
    try:
        yield
    except grpc.aio.AioRpcError as error:
        violation = field_violation(error) if error.code() is grpc.StatusCode.INVALID_ARGUMENT else None
        if violation is None or not violation["field"].startswith(prefix):
            raise
        raise FieldProblem(violation["field"].removeprefix(prefix), violation["reason"],
                           error.details() or "the request is not valid") from None


def problem(status: int, detail: str, errors: list[dict[str, str]] | None = None) -> JSONResponse:
    """A problem+json response."""
    body: dict[str, Any] = {
        "type": "about:blank", "title": TITLES.get(status, "Error"), "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def field_name(location: tuple[Any, ...]) -> str:
    """'records[3].quantity' from pydantic's ('body', 'records', 3, 'quantity')."""
    name = ""
    for part in location[1:] if location and location[0] == "body" else location:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "body"


async def on_validation_error(request: Request, error: Exception) -> JSONResponse:
    """Malformed JSON, unknown, missing or mistyped fields: 422 naming each field."""
    assert isinstance(error, RequestValidationError)
    errors = [{"field": field_name(tuple(e["loc"])), "reason": e["msg"]} for e in error.errors()]
    return problem(422, "the request is not valid", errors)


async def on_http_error(request: Request, error: Exception) -> JSONResponse:
    """HTTP errors raised by routes and authentication."""
    assert isinstance(error, HTTPException)
    return problem(error.status_code, str(error.detail))


async def on_field_problem(request: Request, error: Exception) -> JSONResponse:
    """A field the gateway itself refuses."""
    assert isinstance(error, FieldProblem)
    return problem(422, error.detail, [{"field": error.field, "reason": error.reason}])


async def on_grpc_error(request: Request, error: Exception) -> JSONResponse:
    """A service said no (or is down): the matching HTTP status."""
    assert isinstance(error, grpc.aio.AioRpcError)
    status = HTTP_FOR_GRPC.get(error.code(), 502)
    if status in (501, 502):
        log.error("service call failed: %s %s", error.code(), error.details())
    violation = field_violation(error) if status == 422 else None
    return problem(status, error.details() or error.code().name,
                   [violation] if violation else None)


def install(app: FastAPI) -> None:
    """Register the problem+json handlers."""
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(FieldProblem, on_field_problem)
    app.add_exception_handler(grpc.aio.AioRpcError, on_grpc_error)
