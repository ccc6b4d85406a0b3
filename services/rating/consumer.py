"""Rates each usage.recorded batch exactly once, however often it is delivered."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson
from nats.aio.msg import Msg

from kernel.dates import aware_instant
from kernel.messaging import PoisonMessageError
from kernel.money import Money, MoneyError
from services.rating.contexts import RatingContexts
from services.rating.domain import RecordToRate
from services.rating.store import RatedRecordStore, UsageMessage
from services.rating.tariffed import BatchPricer, TariffLookup, needed_versions


def owned_partitions(spec: str, partitions: int) -> list[int]:
    """The usage partitions a worker owns: "all", ranges and lists ("0-3", "0,2,4")."""
    if spec.strip() == "all":
        return list(range(partitions))
    owned: set[int] = set()
    try:
        for part in spec.split(","):
            first, _, last = part.strip().partition("-")
            owned.update(range(int(first), int(last or first) + 1))
    except ValueError:
        raise ValueError(f"RATING_PARTITIONS {spec!r} is not 'all' or a list of ranges") from None
    if not owned or min(owned) < 0 or max(owned) >= partitions:
        raise ValueError(f"RATING_PARTITIONS {spec!r} must name partitions 0..{partitions - 1}")
    return sorted(owned)


def partition_consumers(owned: list[int]) -> list[tuple[str, str]]:
    """(durable name, subject) of each owned partition: one durable consumer per partition."""
    return [(f"rating-p{partition}", f"usage.recorded.{partition}") for partition in owned]


def parse_batch(body: bytes) -> tuple[UUID, list[RecordToRate]]:
    """Read a usage.recorded message; anything malformed is poison. An account's id is parsed once
    per message: a message holds many records of each busy account."""
    accounts: dict[str, UUID] = {}
    try:
        payload: dict[str, Any] = orjson.loads(body)
        records = [
            RecordToRate(
                source=item["source"], record_id=item["record_id"],
                account_id=accounts.get(item["account_id"])
                or accounts.setdefault(item["account_id"], UUID(item["account_id"])),
                service_type=item["service_type"],
                quantity=Decimal(item["quantity"]), unit=item["unit"],
                started_at=aware_instant(item["started_at"]),
                destination=item.get("attributes", {}).get("destination", ""),
                duration=Decimal(item["duration"]) if "duration" in item else None,
                upstream_price=Money.of(item["price"]["amount"], item["price"]["currency"])
                if "price" in item else None,
            )
            for item in payload["records"]
        ]
        return UUID(payload["tenant_id"]), records
    except (ValueError, KeyError, TypeError, AttributeError, ArithmeticError, MoneyError) as error:
        raise PoisonMessageError(f"malformed usage batch: {error}") from error


def message_id_of(message: Msg) -> str:
    """The id the usage service gave the message (Nats-Msg-Id), else its place in the stream."""
    return (message.headers or {}).get("Nats-Msg-Id") or (
        f"{message.metadata.stream}:{message.metadata.sequence.stream}")


class UsageBatchHandler:
    """Prices usage messages with the accounts' plans and stores them with their ids, atomically."""

    def __init__(self, contexts: RatingContexts, tariffs: TariffLookup, store: RatedRecordStore
                 ) -> None:
        self.contexts = contexts
        self.tariffs = tariffs
        self.store = store

    async def __call__(self, message: Msg) -> None:
        await self.together([message])

    async def together(self, messages: Sequence[Msg]) -> None:
        """Rate the messages of a fetch as one batch per tenant, each batch in one transaction."""
        by_tenant: dict[UUID, list[UsageMessage]] = {}
        for message in messages:
            tenant_id, records = parse_batch(message.data)
            by_tenant.setdefault(tenant_id, []).append((message_id_of(message), records))
        for tenant_id, batch in by_tenant.items():
            await self.rate(tenant_id, batch)

    async def rate(self, tenant_id: UUID, messages: list[UsageMessage]) -> None:
        """Price and store one tenant's messages as one batch."""
        records = [record for _, batch in messages for record in batch]
        contexts = await self.contexts.for_accounts(tenant_id, {r.account_id for r in records})
        versions = {
            key: await self.tariffs.version_at(tenant_id, *key)
            for key in needed_versions(records, contexts)
        }
        await self.store.save(tenant_id, messages, BatchPricer(contexts, versions))
