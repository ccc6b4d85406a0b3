"""Resolves the customer of usage records through the invoice service, with a short-lived cache."""

from __future__ import annotations

from uuid import UUID

import grpc
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc

from kernel.caching import SharedLookup, TtlCache

CACHE_SECONDS = 60.0
"""How long a found account or subscriber is reused; misses are always asked again."""
CACHE_LIMIT = 1_000_000


def resolver_cache() -> TtlCache[UUID | None]:
    """Found accounts (tenant, account id) or subscribers (tenant, identity) -> account id."""
    return TtlCache(CACHE_SECONDS, CACHE_LIMIT)


class GrpcAccountResolver:
    """Asks the invoice service which accounts exist and whose subscribers the identities are;
    found ones are cached, misses are always asked again, and a lookup already under way for
    another batch is shared rather than repeated."""

    def __init__(self, channel: grpc.aio.Channel, accounts: TtlCache[UUID | None],
                 identities: TtlCache[UUID | None]) -> None:
        self.stub = invoice_pb2_grpc.InvoiceServiceStub(channel)
        self.accounts: SharedLookup[UUID, UUID, UUID] = SharedLookup(
            accounts, self._known_accounts, remember_misses=False)
        self.identities: SharedLookup[UUID, str, UUID] = SharedLookup(
            identities, self._resolve_identities, remember_misses=False)

    async def resolve(
        self, tenant_id: UUID, account_ids: set[UUID], subscribers: set[str]
    ) -> tuple[set[UUID], dict[str, UUID]]:
        known = await self.accounts.get_many(tenant_id, account_ids)
        return set(known), await self.identities.get_many(tenant_id, subscribers)

    async def _known_accounts(self, tenant_id: UUID, account_ids: set[UUID]) -> dict[UUID, UUID]:
        response = await self.stub.GetRatingContext(invoice_pb2.GetRatingContextRequest(
            tenant_id=str(tenant_id), account_ids=sorted(str(a) for a in account_ids),
        ), timeout=30)
        unknown = {UUID(account_id) for account_id in response.unknown_account_ids}
        return {account_id: account_id for account_id in account_ids - unknown}

    async def _resolve_identities(self, tenant_id: UUID, subscribers: set[str]) -> dict[str, UUID]:
        response = await self.stub.ResolveIdentities(invoice_pb2.ResolveIdentitiesRequest(
            tenant_id=str(tenant_id), identities=sorted(subscribers),
        ), timeout=30)
        return {item.identity: UUID(item.account_id) for item in response.resolved}
