"""gRPC plumbing: servers with health, reflection and tracing; domain errors as status codes."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar, cast

import grpc
import grpc.aio
from grpc_health.v1 import _async as health_aio
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from opentelemetry.instrumentation.grpc import aio_client_interceptors, aio_server_interceptor

from kernel.errors import (
    ConflictError,
    DomainError,
    InvalidInputError,
    NotFoundError,
    PreconditionError,
    UnavailableError,
)

FIELD_VIOLATION_KEY = "billing-field-violation"
log = logging.getLogger(__name__)

STATUS_FOR_ERROR: list[tuple[type[DomainError], grpc.StatusCode]] = [
    (InvalidInputError, grpc.StatusCode.INVALID_ARGUMENT),
    (NotFoundError, grpc.StatusCode.NOT_FOUND),
    (ConflictError, grpc.StatusCode.ALREADY_EXISTS),
    (PreconditionError, grpc.StatusCode.FAILED_PRECONDITION),
    (UnavailableError, grpc.StatusCode.UNAVAILABLE),
]

Request = TypeVar("Request")
Response = TypeVar("Response")
Handler = Callable[[Any, Request, grpc.aio.ServicerContext], Awaitable[Response]]


def status_for(error: DomainError) -> grpc.StatusCode:
    """The one gRPC status code for a family of domain errors."""
    for family, code in STATUS_FOR_ERROR:
        if isinstance(error, family):
            return code
    return grpc.StatusCode.FAILED_PRECONDITION


def maps_domain_errors(handler: Handler[Request, Response]) -> Handler[Request, Response]:
    """Turn named domain errors raised by a servicer method into gRPC status codes."""

    @functools.wraps(handler)
    async def wrapper(self: Any, request: Request, context: grpc.aio.ServicerContext) -> Response:
        try:
            return await handler(self, request, context)
        except DomainError as error:
            if isinstance(error, InvalidInputError):
                violation = json.dumps({"field": error.field, "reason": error.reason})
                context.set_trailing_metadata(((FIELD_VIOLATION_KEY, violation),))
            await context.abort(status_for(error), error.message)

    return wrapper


def field_violation(error: grpc.aio.AioRpcError) -> dict[str, str] | None:
    """The field and reason a server attached to an INVALID_ARGUMENT status, if any."""
    metadata = cast(Sequence[tuple[str, str]], error.trailing_metadata() or ())
    for key, value in metadata:
        if key == FIELD_VIOLATION_KEY:
            parsed: dict[str, str] = json.loads(value)
            return parsed
    return None


EXCLUSIVE_PORT = [("grpc.so_reuseport", 0)]
"""gRPC turns SO_REUSEPORT on by default, so a second server on a taken port starts and silently
shares its calls; without it, binding a taken port fails at start."""

Registration = tuple[Callable[[Any, grpc.aio.Server], None], Any, str]


class GrpcServer:
    """A grpc.aio server with grpc.health.v1, reflection and tracing."""

    def __init__(self, registrations: Sequence[Registration]) -> None:
        self.server = grpc.aio.server(interceptors=[aio_server_interceptor()], options=EXCLUSIVE_PORT)
        self.health = health_aio.HealthServicer()
        self.service_names = [name for _, _, name in registrations]
        for add, servicer, _ in registrations:
            add(servicer, self.server)
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self.server)
        names = [*self.service_names, health.SERVICE_NAME, reflection.SERVICE_NAME]
        reflection.enable_server_reflection(names, self.server)

    async def start(self, listen: str) -> str:
        """Bind (port 0 picks a free port), start, and report the bound host:port."""
        host = listen.rsplit(":", 1)[0]
        port = self.server.add_insecure_port(listen)
        await self.server.start()
        for name in [*self.service_names, ""]:
            await self.health.set(name, health_pb2.HealthCheckResponse.SERVING)
        return f"{'127.0.0.1' if host in ('0.0.0.0', '[::]', '') else host}:{port}"

    async def stop(self, grace: float) -> None:
        """Report NOT_SERVING, then stop with a grace period for in-flight calls."""
        await self.health.enter_graceful_shutdown()
        await self.server.stop(grace)


def channel(address: str, max_receive_bytes: int | None = None) -> grpc.aio.Channel:
    """A client channel that carries the trace context in metadata (answers up to 4 MiB unless
    max_receive_bytes says more)."""
    options = [] if max_receive_bytes is None else [("grpc.max_receive_message_length", max_receive_bytes)]
    return grpc.aio.insecure_channel(address, options=options, interceptors=aio_client_interceptors())
