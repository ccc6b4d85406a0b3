"""Resolves the customer of usage records through the invoice service, with a short-lived cache."""

from __future__ import annotations

from uuid import UUID

import grpc
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc

from kernel.caching import TtlCache

CACHE_SECONDS = 60.0
"""How long a found account or subscriber is reused; misses are always asked again."""
CACHE_LIMIT = 1_000_000


def resolver_cache() -> TtlCache[UUID]:
    """Found accounts and subscribers (tenant, account id or "@" + identity) -> account id."""
    return TtlCache(CACHE_SECONDS, CACHE_LIMIT)


class GrpcAccountResolver:
    """Asks the invoice service which accounts exist and whose subscribers the identities are;
    found ones are cached, misses are always asked again."""

    def __init__(self, channel: grpc.aio.Channel, cache: TtlCache[UUID]) -> None:
        self.stub = invoice_pb2_grpc.InvoiceServiceStub(channel)
        self.cache = cache

    async def resolve(
        self, tenant_id: UUID, account_ids: set[UUID], subscribers: set[str]
    ) -> tuple[set[UUID], dict[str, UUID]]:
        known = {a for a in account_ids if self.cache.get((tenant_id, a))[0]}
        by_subscriber = {s: a for s in subscribers
                         if (a := self.cache.get((tenant_id, "@" + s))[1]) is not None}
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
            self.cache.put((tenant_id, account_id), account_id)
        return account_ids - unknown

    async def _resolve_identities(self, tenant_id: UUID, subscribers: set[str]) -> dict[str, UUID]:
        response = await self.stub.ResolveIdentities(invoice_pb2.ResolveIdentitiesRequest(
            tenant_id=str(tenant_id), identities=sorted(subscribers),
        ), timeout=30)
        found = {item.identity: UUID(item.account_id) for item in response.resolved}
        for identity, account_id in found.items():
            self.cache.put((tenant_id, "@" + identity), account_id)
        return found
