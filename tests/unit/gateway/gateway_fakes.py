"""Stand-ins for the gateway's service stubs and key store, and a client of the app over them."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID, uuid4

import grpc
import httpx

from kernel.grpc import FIELD_VIOLATION_KEY
from services.gateway.app import create_app
from services.gateway.deps import Clients
from services.gateway.keys import Principal, Role

TENANT = UUID("00000000-0000-4000-8000-00000000000a")


def rpc_error(code: grpc.StatusCode, details: str, field: str = "", reason: str = "") -> grpc.aio.AioRpcError:
    """An error as a stub raises it, with a field violation when given one."""
    trailing = ((FIELD_VIOLATION_KEY, json.dumps({"field": field, "reason": reason})),) if field else ()
    return grpc.aio.AioRpcError(code, grpc.aio.Metadata(), grpc.aio.Metadata(*trailing), details)


class FakeService:
    """A gRPC stub answering each method with a canned message or error, keeping the requests."""

    def __init__(self, **answers: Any) -> None:
        self.answers = answers
        self.requests: dict[str, list[Any]] = defaultdict(list)

    def __getattr__(self, name: str) -> Callable[..., Awaitable[Any]]:
        async def call(request: Any, timeout: float | None = None) -> Any:
            self.requests[name].append(request)
            answer = self.answers.get(name, rpc_error(grpc.StatusCode.UNIMPLEMENTED, f"{name} not built"))
            if isinstance(answer, Exception):
                raise answer
            return answer

        return call


class FakeKeys:
    """A key store whose keys are the role names (customer keys: 'customer:<account id>')."""

    async def authenticate(self, api_key: str) -> Principal | None:
        """The principal the key names."""
        role, _, account = api_key.partition(":")
        return Principal(TENANT, Role(role), uuid4(), UUID(account) if account else None)


def gateway(invoice: FakeService | None = None, rating: FakeService | None = None,
            usage: FakeService | None = None, role: str = "operator") -> httpx.AsyncClient:
    """A client of the gateway app over fake services, authenticated with a role's key."""
    clients = Clients(usage=usage or FakeService(), rating=rating or FakeService(),
                      invoice=invoice or FakeService(), payment=FakeService(),
                      notify=FakeService(), timeout=5, bill_run_timeout=5)
    app = create_app(clients, FakeKeys())
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway",
                             headers={"Authorization": f"Bearer {role}"})
