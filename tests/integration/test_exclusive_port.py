"""A gRPC server never shares its port: a second one on a taken port fails to start, instead of
quietly taking half of the first one's calls."""

from __future__ import annotations

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from kernel.grpc import GrpcServer


async def test_a_second_server_on_a_taken_port_fails_to_start() -> None:
    first = GrpcServer([])
    address = await first.start("127.0.0.1:0")
    try:
        with pytest.raises(RuntimeError, match="Failed to bind"):
            await GrpcServer([]).start(address)
        async with grpc.aio.insecure_channel(address) as channel:
            answer = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest())
        assert answer.status == health_pb2.HealthCheckResponse.SERVING
    finally:
        await first.stop(0)
