"""The real gateway app on real PostgreSQL, with a probe router that counts the calls it serves."""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import asyncpg
import httpx
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response

from services.gateway.app import create_app
from services.gateway.deps import Clients, principal
from services.gateway.idempotency import IdempotencyStore
from services.gateway.keys import KeyStore, Principal, Role
from tests.unit.gateway.gateway_fakes import FakeService


@dataclass
class Probe:
    """What the probe routes saw: calls per name, upload progress, and a gate holding calls."""

    calls: Counter[str] = field(default_factory=Counter)
    entered: asyncio.Event = field(default_factory=asyncio.Event)
    gate: asyncio.Event = field(default_factory=asyncio.Event)
    uploaded: int = 0
    upload_chunks: int = 0
    upload_progress: asyncio.Event = field(default_factory=asyncio.Event)


def probe_router(probe: Probe) -> APIRouter:
    """Routes answering with the status asked for, counting each call."""
    router = APIRouter(prefix="/v1/probe")

    @router.api_route("/{name}", methods=["POST", "PUT", "PATCH", "DELETE", "GET"])
    async def answer(name: str, request: Request, status: int = 201, hold: bool = False,
                     caller: Principal = Depends(principal)) -> Response:
        probe.calls[name] += 1
        call = probe.calls[name]
        if hold:
            probe.entered.set()
            await probe.gate.wait()
        body = (await request.body()).decode()
        return JSONResponse({"name": name, "call": call, "body": body, "role": caller.role.value},
                            status_code=status, headers={"Location": f"/v1/probe/{name}/{call}"})

    @router.post("/{name}/crash")
    async def crash(name: str, caller: Principal = Depends(principal)) -> None:
        probe.calls[name] += 1
        raise RuntimeError("the probe crashed")

    @router.post("/{name}/secret", status_code=201)
    async def secret(name: str, caller: Principal = Depends(principal)) -> Response:
        probe.calls[name] += 1
        return JSONResponse({"secret": f"whsec-{name}-{probe.calls[name]}"}, status_code=201,
                            headers={"Cache-Control": "no-store"})

    @router.post("/{name}/bare", status_code=202)
    async def bare(name: str, caller: Principal = Depends(principal)) -> dict[str, int]:
        probe.calls[name] += 1
        return {"call": probe.calls[name]}

    @router.post("/{name}/upload", status_code=201)
    async def upload(name: str, request: Request, caller: Principal = Depends(principal)) -> dict[str, Any]:
        probe.calls[name] += 1
        digest = hashlib.sha256()
        async for chunk in request.stream():
            digest.update(chunk)
            probe.uploaded += len(chunk)
            probe.upload_chunks += 1 if chunk else 0
            probe.upload_progress.set()
        return {"bytes": probe.uploaded, "sha256": digest.hexdigest()}

    return router


@dataclass
class ProbeGateway:
    """The gateway app, its probe, its key store and idempotency store, and keys of one tenant."""

    app: FastAPI
    probe: Probe
    keys: KeyStore
    store: IdempotencyStore
    pool: asyncpg.Pool
    tenant_id: UUID
    invoice: FakeService

    def client(self, api_key: str | None, raise_app_exceptions: bool = True) -> httpx.AsyncClient:
        """An HTTP client of the app, authenticated with a key when given one."""
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=raise_app_exceptions)
        return httpx.AsyncClient(transport=transport, base_url="http://gateway", headers=headers)

    async def issue(self, role: Role, tenant_id: UUID | None = None, account_id: UUID | None = None) -> str:
        """A new API key of the tenant (this gateway's unless told)."""
        _, api_key = await self.keys.issue(tenant_id or self.tenant_id, role, role.value, account_id)
        return api_key

    async def rows(self) -> list[asyncpg.Record]:
        """Every stored idempotency key."""
        return list(await self.pool.fetch("SELECT * FROM gateway.idempotency_keys ORDER BY created_at"))


def probe_gateway(pool: asyncpg.Pool, tenant_id: UUID, invoice: FakeService) -> ProbeGateway:
    """The real gateway app over fake services, with the probe routes mounted."""
    clients = Clients(usage=FakeService(), rating=FakeService(), invoice=invoice, payment=FakeService(),
                      notify=FakeService(), timeout=5, bill_run_timeout=5)
    keys = KeyStore(pool)
    store = IdempotencyStore(pool)
    app = create_app(clients, keys, store)
    probe = Probe()
    app.include_router(probe_router(probe))
    return ProbeGateway(app, probe, keys, store, pool, tenant_id, invoice)
