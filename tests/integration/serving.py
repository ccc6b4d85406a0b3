"""A servicer served on a free port for one test, with a stub to call it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TypeVar

import grpc

from kernel.grpc import GrpcServer, Registration

Stub = TypeVar("Stub")


async def serving(
    registration: Registration, stub: Callable[[grpc.aio.Channel], Stub]
) -> AsyncIterator[Stub]:
    """Serve the registration on 127.0.0.1 (port 0) and yield a stub; stop both afterwards."""
    server = GrpcServer([registration])
    channel = grpc.aio.insecure_channel(await server.start("127.0.0.1:0"))
    yield stub(channel)
    await channel.close()
    await server.stop(0)
