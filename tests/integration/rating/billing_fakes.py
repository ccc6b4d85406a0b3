"""What rating's billing reads are tested with: tariff versions, the account's context, rating batches."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import asyncpg
from billing.rating.v1 import rating_pb2, rating_pb2_grpc
from google.protobuf.timestamp_pb2 import Timestamp

from kernel.database import create_pool, ensure_schema
from services.rating.billing_reads import BillingReads
from services.rating.domain import RatingContext, RecordToRate
from services.rating.grpc_api import RatingServicer
from services.rating.listings import RatingListings
from services.rating.pricing import Allowance, TariffVersion, VoiceRate, VoiceTable
from services.rating.rederiving import Rederiving
from services.rating.selections import UsageSelection
from services.rating.store import DDL, RatedRecordStore
from services.rating.tariffed import BatchPricer, needed_versions
from tests.integration.serving import serving
from tests.unit.rating.pricing.tariffs import VOICE, tariff
from tests.unit.rating.test_tariffed import contexts

NATIONAL = (Allowance("national", "voice", Decimal(600), ("44",)),)
V1 = tariff(allowances=NATIONAL)
"""Version 1: the UK tariff with 600 national seconds included per cycle."""


def dearer() -> TariffVersion:
    """Version 2: every per-minute price doubled, the same allowance."""
    tables = tuple(VoiceTable(table.band, tuple(
        VoiceRate(r.prefix, r.name, r.per_minute * 2, r.connect_fee, r.first_increment, r.next_increment,
                  r.minimum_charge) for r in table.rates)) for table in VOICE)
    return tariff(version=2, voice=tables, allowances=NATIONAL)


V2 = dearer()


class Catalog:
    """The tariff versions the catalog would answer: the one in effect now, and any by number."""

    def __init__(self, now: TariffVersion = V1) -> None:
        self.now = now

    async def version_at(self, tenant_id: UUID, rate_plan_id: UUID, day: date) -> TariffVersion:
        return self.now

    async def version_numbered(self, tenant_id: UUID, plan: UUID, number: int) -> TariffVersion | None:
        return {1: V1, 2: V2}.get(number)


class Accounts:
    """The rating context the invoice service would answer for the test account."""

    async def for_accounts(self, tenant_id: UUID, account_ids: set[UUID]) -> dict[UUID, RatingContext]:
        return {a: c for a, c in contexts().items() if a in account_ids}


async def rating_pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool on a fresh database with rating's schema."""
    pool = await create_pool(database_url)
    await ensure_schema(pool, "rating", DDL)
    yield pool
    await pool.close()


async def rate(pool: asyncpg.Pool, tenant: UUID, message_id: str, records: list[RecordToRate],
               version: TariffVersion = V1) -> None:
    """Rate a batch as the usage consumer does, with one version in effect on every day."""
    accounts = contexts()
    versions = {key: version for key in needed_versions(records, accounts)}
    assert await RatedRecordStore(pool).save(tenant, [(message_id, records)],
                                             BatchPricer(accounts, versions))


def month(year: int, number: int) -> datetime:
    """The first instant of a UTC month."""
    return datetime(year, number, 1, tzinfo=UTC)


def selection(account: UUID, start: datetime, end: datetime, previous: int, watermark: int) -> UsageSelection:
    """A usage selection."""
    return UsageSelection(account, start, end, previous, watermark)


def timestamp(instant: datetime) -> Timestamp:
    message = Timestamp()
    message.FromDatetime(instant)
    return message


def selection_proto(chosen: UsageSelection) -> rating_pb2.UsageSelection:
    """A selection on the wire."""
    return rating_pb2.UsageSelection(
        account_id=str(chosen.account_id), period_start=timestamp(chosen.period_start),
        period_end=timestamp(chosen.period_end), previous_watermark=chosen.previous_watermark,
        watermark=chosen.watermark)


async def serve(pool: asyncpg.Pool) -> AsyncIterator[rating_pb2_grpc.RatingServiceStub]:
    """Rating's gRPC servicer with its billing reads on a free port (the catalog is not needed)."""
    servicer = RatingServicer(RatedRecordStore(pool), None, None, RatingListings(pool), None,  # type: ignore[arg-type]
                              BillingReads(pool), Rederiving(pool, Accounts(), Catalog()))
    async for stub in serving((rating_pb2_grpc.add_RatingServiceServicer_to_server, servicer,
                               "billing.rating.v1.RatingService"), rating_pb2_grpc.RatingServiceStub):
        yield stub
