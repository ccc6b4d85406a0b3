"""Resolves the customer of usage records through the invoice service, with a short-lived cache."""

from __future__ import annotations

import time
from collections.abc import Callable
from uuid import UUID

import grpc
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc

CACHE_SECONDS = 60.0
CACHE_LIMIT = 1_000_000


class PositiveCache:
    """Remembers found keys for a while; misses are always asked again."""

    def __init__(self, seconds: float = CACHE_SECONDS, clock: Callable[[], float] = time.monotonic
                 ) -> None:
        self.seconds = seconds
        self.clock = clock
        self.entries: dict[tuple[UUID, str], tuple[UUID, float]] = {}

    def get(self, tenant_id: UUID, key: str) -> UUID | None:
        """The cached account of a key, if still fresh."""
        entry = self.entries.get((tenant_id, key))
        if entry is None or entry[1] < self.clock():
            return None
        return entry[0]

    def put(self, tenant_id: UUID, key: str, account_id: UUID) -> None:
        """Remember a found key."""
        if len(self.entries) >= CACHE_LIMIT:
            self.entries.clear()
        self.entries[(tenant_id, key)] = (account_id, self.clock() + self.seconds)

    def forget(self, tenant_id: UUID, key: str) -> None:
        """Drop a key whose account changed."""
        self.entries.pop((tenant_id, key), None)


class GrpcAccountResolver:
    """Asks the invoice service which accounts exist and whose subscribers the identities are."""

    def __init__(self, channel: grpc.aio.Channel, cache: PositiveCache | None = None) -> None:
        self.stub = invoice_pb2_grpc.InvoiceServiceStub(channel)
        self.cache = cache or PositiveCache()

    async def resolve(
        self, tenant_id: UUID, account_ids: set[UUID], subscribers: set[str]
    ) -> tuple[set[UUID], dict[str, UUID]]:
        known = {a for a in account_ids if self.cache.get(tenant_id, str(a)) is not None}
        by_subscriber = {s: a for s in subscribers if (a := self.cache.get(tenant_id, "@" + s))}
        if missing := account_ids - known:
            known |= await self._known_accounts(tenant_id, missing)
        if missing_subscribers := subscribers - by_subscriber.keys():
            by_subscriber.update(await self._resolve_identities(tenant_id, missing_subscribers))
        return known, by_subscriber

    async def _known_accounts(self, tenant_id: UUID, account_ids: set[UUID]) -> set[UUID]:
        response = await self.stub.GetRatingContext(invoice_pb2.GetRatingContextRequest(
            tenant_id=str(tenant_id), account_ids=sorted(str(a) for a in account_ids),
        ), timeout=30)
        unknown = {UUID(account_id) for account_id in response.unknown_account_ids}
        for account_id in account_ids - unknown:
            self.cache.put(tenant_id, str(account_id), account_id)
        return account_ids - unknown

    async def _resolve_identities(self, tenant_id: UUID, subscribers: set[str]) -> dict[str, UUID]:
        response = await self.stub.ResolveIdentities(invoice_pb2.ResolveIdentitiesRequest(
            tenant_id=str(tenant_id), identities=sorted(subscribers),
        ), timeout=30)
        found = {item.identity: UUID(item.account_id) for item in response.resolved}
        for identity, account_id in found.items():
            self.cache.put(tenant_id, "@" + identity, account_id)
        return found
