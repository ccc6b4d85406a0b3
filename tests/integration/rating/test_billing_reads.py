"""Rating's billing reads on real PostgreSQL: usage cuts, current and prior usage, destination
classes, digests, line parts, re-derivation, and refused inputs."""

from __future__ import annotations

import asyncio
import hashlib
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import asyncpg
import grpc
import pytest
from billing.rating.v1 import rating_pb2, rating_pb2_grpc

from kernel.database import create_pool
from kernel.grpc import field_violation
from kernel.money import Money
from services.rating.billing_reads import BillingReads, UsageCutUnavailableError
from services.rating.rederiving import Rederiving
from services.rating.rerating import Rerating
from services.rating.selections import UsageSelection
from services.rating.store import DDL, RatedRecordStore
from services.rating.tariffed import BatchPricer, price_all
from tests.integration.rating.billing_fakes import (
    V2,
    Accounts,
    Catalog,
    month,
    rate,
    rating_pool,
    selection,
    selection_proto,
    serve,
)
from tests.unit.rating.pricing.tariffs import ACCOUNT, PLAN, tariff
from tests.unit.rating.test_tariffed import TUESDAY_NOON, call, contexts

TENANT = uuid4()
OCT, NOV, DEC, JAN = month(2026, 10), month(2026, 11), month(2026, 12), month(2027, 1)
FLAT = tariff()
"""The UK tariff without allowances: every call is charged."""
MOBILE, OTHER_UK = "+447700900123", "+441612345678"


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    async for each in rating_pool(database_url):
        yield each


@pytest.fixture
async def rating(pool: asyncpg.Pool) -> AsyncIterator[rating_pb2_grpc.RatingServiceStub]:
    async for stub in serve(pool):
        yield stub


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


async def test_a_cut_waits_for_an_open_writer_and_leaves_later_parts_out(pool: asyncpg.Pool) -> None:
    reads = BillingReads(pool)
    await rate(pool, TENANT, "m1", [call("c1", 60)], FLAT)
    late = price_all([call("c2", 60, TUESDAY_NOON + minutes(1))], contexts(),
                     {(PLAN, TUESDAY_NOON.date()): FLAT}, {})
    async with pool.acquire() as writer:
        transaction = writer.transaction()
        await transaction.start()
        await RatedRecordStore.store_parts(writer, TENANT, late.rated)
        cutting = asyncio.create_task(reads.cut())
        await asyncio.sleep(0.5)
        assert not cutting.done()
        await transaction.commit()
        watermark = await cutting
    await rate(pool, TENANT, "m2", [call("c3", 60, TUESDAY_NOON + minutes(2))], FLAT)

    [group] = await reads.summarize(TENANT, [selection(ACCOUNT, NOV, DEC, 0, watermark)])
    assert group.record_count == 2
    assert await pool.fetchval(
        "SELECT seq > $2 FROM rating.rated_records WHERE tenant_id = $1 AND record_id = 'c3'",
        TENANT, watermark)
    [later] = await reads.summarize(TENANT, [selection(ACCOUNT, NOV, DEC, 0, await reads.cut())])
    assert later.record_count == 3


async def test_a_cut_gives_up_when_writers_hold_the_table_too_long(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as writer, writer.transaction():
        await writer.execute("LOCK TABLE rating.rated_records IN ROW EXCLUSIVE MODE")
        with pytest.raises(UsageCutUnavailableError):
            await BillingReads(pool, lock_timeout=0.2).cut()
    assert await BillingReads(pool, lock_timeout=0.2).cut() == 0


async def test_late_usage_after_a_cut_is_prior_in_the_next_invoice_never_in_both(pool: asyncpg.Pool) -> None:
    reads = BillingReads(pool)
    october = TUESDAY_NOON - timedelta(days=28)
    await rate(pool, TENANT, "m1", [call("o1", 60, october), call("o2", 120, october + minutes(60))], FLAT)
    first = await reads.cut()
    await rate(pool, TENANT, "m2", [call("late", 90, october + minutes(120)), call("n1", 60)], FLAT)
    second = await reads.cut()

    october_invoice = await reads.summarize(TENANT, [selection(ACCOUNT, OCT, NOV, 0, first)])
    november_invoice = await reads.summarize(TENANT, [selection(ACCOUNT, NOV, DEC, first, second)])
    assert [(g.key.period_kind, g.record_count) for g in october_invoice] == [("current", 2)]
    assert [(g.key.period_kind, g.record_count) for g in november_invoice] == [("current", 1), ("prior", 1)]
    prior = november_invoice[1]
    assert prior.first_started_at == prior.last_started_at == october + minutes(120)
    stored = await pool.fetchrow(
        "SELECT sum(amount) AS amount, count(*) AS parts FROM rating.rated_records WHERE tenant_id = $1",
        TENANT)
    invoiced = october_invoice + november_invoice
    assert sum(g.amount for g in invoiced) == stored["amount"] > 0
    assert sum(g.record_count for g in invoiced) == stored["parts"]
    assert await reads.summarize(TENANT, [selection(ACCOUNT, OCT, NOV, 0, first)]) == october_invoice


async def test_usage_is_grouped_by_destination_class(pool: asyncpg.Pool) -> None:
    reads = BillingReads(pool)
    await rate(pool, TENANT, "m1", [
        call("a", 60), call("b", 60, TUESDAY_NOON + minutes(1), destination=MOBILE),
        call("c", 120, TUESDAY_NOON + minutes(2), destination=MOBILE),
        call("d", 60, TUESDAY_NOON + minutes(3), destination=OTHER_UK)], FLAT)
    groups = await reads.summarize(TENANT, [selection(ACCOUNT, NOV, DEC, 0, await reads.cut())])
    by_class = {g.key.destination_class: g for g in groups}
    assert {name: g.record_count for name, g in by_class.items()} == {
        "United Kingdom London": 1, "United Kingdom Mobile": 2, "United Kingdom": 1}
    mobile = by_class["United Kingdom Mobile"]
    assert (mobile.quantity, mobile.key.unit) == (Decimal(180), "second")
    assert mobile.money == Money(Decimal("0.300000"), "GBP")
    assert (mobile.first_started_at, mobile.last_started_at) == (
        TUESDAY_NOON + minutes(1), TUESDAY_NOON + minutes(2))


async def test_the_digest_names_every_part_and_changes_with_an_amount(pool: asyncpg.Pool) -> None:
    reads = BillingReads(pool)
    await rate(pool, TENANT, "m1", [call("b", 60, destination=MOBILE),
                                    call("a", 60, TUESDAY_NOON + minutes(1), destination=MOBILE),
                                    call("z", 60, TUESDAY_NOON + minutes(2))], FLAT)
    chosen = selection(ACCOUNT, NOV, DEC, 0, await reads.cut())
    before = {g.key.destination_class: g for g in await reads.summarize(TENANT, [chosen])}
    lines = "\n".join(f"pbx:{rid}:0:{amount}" for rid, amount in (("a", "0.100000"), ("b", "0.100000")))
    assert before["United Kingdom Mobile"].digest == hashlib.sha256(lines.encode()).hexdigest()

    await pool.execute(
        "UPDATE rating.rated_records SET amount = 0.1 WHERE tenant_id = $1 AND record_id = 'a'", TENANT)
    after = {g.key.destination_class: g for g in await reads.summarize(TENANT, [chosen])}
    assert after["United Kingdom Mobile"].digest != before["United Kingdom Mobile"].digest
    assert after["United Kingdom Mobile"].amount == before["United Kingdom Mobile"].amount
    assert after["United Kingdom London"] == before["United Kingdom London"]


async def test_line_parts_come_a_page_at_a_time_in_event_order(
    pool: asyncpg.Pool, rating: rating_pb2_grpc.RatingServiceStub
) -> None:
    records = [call(f"r{n}", 60, TUESDAY_NOON + minutes(6 - n)) for n in range(7)]
    await rate(pool, TENANT, "m1", [*records, call("m", 60, destination=MOBILE)], FLAT)
    cut = await rating.CutUsage(rating_pb2.CutUsageRequest(tenant_id=str(TENANT)))
    chosen = selection_proto(selection(ACCOUNT, NOV, DEC, 0, cut.watermark))
    pages, token = [], ""
    while True:
        page = await rating.ListLineParts(rating_pb2.ListLinePartsRequest(
            tenant_id=str(TENANT), selection=chosen, period_kind="current", service_type="voice",
            destination_class="United Kingdom London", page_size=3, page_token=token))
        pages.append(list(page.parts))
        token = page.next_page_token
        if not token:
            break
    assert [len(p) for p in pages] == [3, 3, 1]
    parts = [part for page in pages for part in page]
    assert [p.record_id for p in parts] == [f"r{n}" for n in reversed(range(7))]
    assert {p.destination_class for p in parts} == {"United Kingdom London"}
    assert all(0 < p.seq <= cut.watermark for p in parts)
    prior = await rating.ListLineParts(rating_pb2.ListLinePartsRequest(
        tenant_id=str(TENANT), selection=chosen, period_kind="prior", service_type="voice",
        destination_class="United Kingdom London"))
    assert list(prior.parts) == []


async def test_rederiving_matches_untouched_usage_and_not_a_changed_amount(
    pool: asyncpg.Pool, rating: rating_pb2_grpc.RatingServiceStub
) -> None:
    reads = BillingReads(pool)
    rederiving = Rederiving(pool, Accounts(), Catalog())
    await rate(pool, TENANT, "m1", [call("c1", 300), call("c3", 300, TUESDAY_NOON + minutes(20))])
    first = await reads.cut()
    await rate(pool, TENANT, "m2", [call("c2", 300, TUESDAY_NOON + minutes(10))])
    second = await reads.cut()
    rerated = await Rerating(pool, Accounts(), Catalog(V2)).rerate(TENANT, ACCOUNT, date(2026, 11, 1),
                                                                   date(2026, 12, 1))
    assert rerated.adjusted == 2
    await rate(pool, TENANT, "m3", [call("c4", 120, TUESDAY_NOON + minutes(30))], V2)
    third = await reads.cut()

    arrival_order = selection(ACCOUNT, NOV, DEC, 0, second)
    [late_charged] = await reads.summarize(TENANT, [arrival_order])
    assert late_charged.amount == Decimal("0.260000")
    december = selection(ACCOUNT, DEC, JAN, first, third)
    [prior] = await reads.summarize(TENANT, [december])
    assert (prior.key.period_kind, prior.record_count, prior.amount) == ("prior", 4, Decimal("0.720000"))
    chosen = [selection(ACCOUNT, NOV, DEC, 0, first), arrival_order, december,
              selection(ACCOUNT, NOV, DEC, 0, third)]
    for each in chosen:
        checked = await rederiving.rederive(TENANT, each)
        assert checked.matches, checked

    await pool.execute("UPDATE rating.rated_records SET amount = amount + 0.000001"
                       " WHERE tenant_id = $1 AND record_id = 'c4'", TENANT)
    [changed] = (await rederiving.rederive(TENANT, december)).groups
    assert changed.stored_amount - changed.rederived == Decimal("0.000001")
    assert (await rederiving.rederive(TENANT, arrival_order)).matches
    response = await rating.RederiveUsage(rating_pb2.RederiveUsageRequest(
        tenant_id=str(TENANT), selection=selection_proto(december)))
    assert not response.matches
    [group] = response.groups
    assert (group.period_kind, group.destination_class, group.record_count) == (
        "prior", "United Kingdom London", 4)
    assert (group.stored_amount.amount, group.rederived_amount.amount) == ("0.720001", "0.720000")


async def test_rederiving_flat_priced_usage_uses_the_plan_prices(pool: asyncpg.Pool) -> None:
    flat = contexts(rate_plan=None)
    records = [call("f1", 90), call("f2", 30, TUESDAY_NOON + minutes(1))]
    assert await RatedRecordStore(pool).save(TENANT, [("m1", records)], BatchPricer(flat, {}))

    class FlatAccounts:
        async def for_accounts(self, tenant_id: object, account_ids: object) -> object:
            return flat

    chosen = selection(ACCOUNT, NOV, DEC, 0, await BillingReads(pool).cut())
    checked = await Rederiving(pool, FlatAccounts(), Catalog()).rederive(TENANT, chosen)  # type: ignore[arg-type]
    assert checked.matches
    assert [(g.key.destination_class, g.stored_amount) for g in checked.groups] == [("", Decimal("0.04"))]


async def rpc_error(call_: object) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call_  # type: ignore[misc]
    return caught.value


async def test_bad_inputs_are_refused_naming_the_field(rating: rating_pb2_grpc.RatingServiceStub) -> None:
    tenant = str(TENANT)
    good = selection(ACCOUNT, NOV, DEC, 0, 0)

    def summarize(*chosen: rating_pb2.UsageSelection, tenant_id: str = tenant) -> object:
        return rating.SummarizeBilling(rating_pb2.SummarizeBillingRequest(
            tenant_id=tenant_id, selections=list(chosen)))

    def proto(**changes: object) -> rating_pb2.UsageSelection:
        message = selection_proto(good)
        for name, value in changes.items():
            if name in ("period_start", "period_end"):
                getattr(message, name).FromDatetime(value)
            else:
                setattr(message, name, value)
        return message

    cases = [
        (summarize(proto(), tenant_id="nope"), "tenant_id"),
        (summarize(proto(), proto(account_id="x")), "selections[1].account_id"),
        (summarize(proto(period_end=NOV)), "selections[0].period_end"),
        (summarize(proto(previous_watermark=5, watermark=4)), "selections[0].watermark"),
        (summarize(proto(previous_watermark=-1)), "selections[0].previous_watermark"),
        (summarize(proto(), proto()), "selections[1].account_id"),
        (summarize(*[proto(account_id=str(uuid4())) for _ in range(1001)]), "selections"),
        (summarize(proto(watermark=10**9)), "selections[0].watermark"),
        (rating.CutUsage(rating_pb2.CutUsageRequest(tenant_id="")), "tenant_id"),
        (rating.ListLineParts(rating_pb2.ListLinePartsRequest(
            tenant_id=tenant, selection=proto(), period_kind="later")), "period_kind"),
        (rating.ListLineParts(rating_pb2.ListLinePartsRequest(
            tenant_id=tenant, selection=proto(), period_kind="current", page_token="garbage")),
         "page_token"),
        (rating.ListLineParts(rating_pb2.ListLinePartsRequest(
            tenant_id=tenant, selection=proto(period_end=OCT), period_kind="current")),
         "selection.period_end"),
        (rating.RederiveUsage(rating_pb2.RederiveUsageRequest(
            tenant_id=tenant, selection=proto(account_id=""))), "selection.account_id"),
    ]
    for call_, field in cases:
        error = await rpc_error(call_)
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, (field, error)
        assert (field_violation(error) or {}).get("field") == field
    unknown = await rpc_error(rating.RederiveUsage(rating_pb2.RederiveUsageRequest(
        tenant_id=tenant, selection=proto(account_id=str(uuid4())))))
    assert unknown.code() == grpc.StatusCode.NOT_FOUND


INSERT_PART = (
    "INSERT INTO rating.rated_records (tenant_id, source, record_id, account_id, service_type,"
    " quantity, unit, started_at, amount, currency, plan_id, rated_at)"
    " VALUES ($1, 'pbx', $2, $3, $4, 60, 'second', $5, $6, 'GBP', $3, now())"
)


def reference_groups(parts: list[tuple[str, UUID, str, datetime, Decimal]],
                     chosen: UsageSelection) -> list[tuple[object, ...]]:
    """The groups of one selection, summed here: (kind, service, count, amount, digest), sorted."""
    grouped: dict[tuple[str, str], list[tuple[str, Decimal]]] = defaultdict(list)
    for record_id, account, service, started_at, amount in parts:
        if account == chosen.account_id:
            kind = "current" if started_at >= chosen.period_start else "prior"
            grouped[(kind, service)].append((record_id, amount))
    return [(kind, service, len(items), sum(a for _, a in items), part_digest(sorted(items)))
            for (kind, service), items in sorted(grouped.items())]


def part_digest(items: list[tuple[str, Decimal]]) -> str:
    """The digest of parts 0 of pbx records, given in byte order of record id, amounts as stored."""
    lines = "\n".join(f"pbx:{rid}:0:{amount}" for rid, amount in items)
    return hashlib.sha256(lines.encode()).hexdigest()


async def test_many_selections_at_once_sum_each_account_as_if_alone(pool: asyncpg.Pool) -> None:
    reads = BillingReads(pool)
    accounts = sorted(uuid4() for _ in range(3))
    october = [(f"r{n:02d}", accounts[n % 3], ("voice", "sms")[n % 2], OCT + timedelta(hours=n),
                Decimal(n) / 100 + Decimal("0.000001")) for n in range(30)]
    await pool.executemany(INSERT_PART, [(TENANT, *part) for part in october])
    first = await reads.cut()
    later = [("late", accounts[1], "voice", OCT + timedelta(days=3), Decimal("0.070000")),
             ("nov", accounts[0], "sms", NOV + timedelta(hours=5), Decimal("0.110001"))]
    await pool.executemany(INSERT_PART, [(TENANT, *part) for part in later])
    second = await reads.cut()
    chosen = [selection(accounts[2], OCT, NOV, 0, first), selection(accounts[0], NOV, DEC, first, second),
              selection(accounts[1], NOV, DEC, first, second)]

    together = await reads.summarize(TENANT, chosen)

    alone = {s.account_id: await reads.summarize(TENANT, [s]) for s in chosen}
    assert together == [group for account in accounts for group in alone[account]]
    for each in chosen:
        expected = reference_groups(later if each.watermark == second else october, each)
        assert [(g.key.period_kind, g.key.service_type, g.record_count, g.amount, g.digest)
                for g in alone[each.account_id]] == expected
    assert [g.key.period_kind for g in alone[accounts[1]]] == ["prior"]


async def test_prior_usage_is_found_by_an_index_that_holds_the_start(pool: asyncpg.Pool) -> None:
    indexes = await pool.fetch("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'rating'"
                               " AND tablename = 'rated_records'")
    by_name = {row["indexname"]: row["indexdef"] for row in indexes}
    assert "rated_by_seq" not in by_name
    assert by_name["rated_by_seq_started"].endswith("(tenant_id, account_id, seq, started_at)")


async def test_another_tenants_usage_is_never_summarized(pool: asyncpg.Pool) -> None:
    reads = BillingReads(pool)
    await rate(pool, TENANT, "m1", [call("c1", 60)], FLAT)
    watermark = await reads.cut()
    assert await reads.summarize(uuid4(), [selection(ACCOUNT, NOV, DEC, 0, watermark)]) == []


async def test_an_existing_table_is_numbered_in_place(database_url: str) -> None:
    pool = await create_pool(database_url)
    try:
        await pool.execute("CREATE SCHEMA rating")
        first_new = next(i for i, statement in enumerate(DDL) if " seq " in statement)
        for statement in DDL[:first_new]:
            await pool.execute(statement)
        await pool.executemany(
            "INSERT INTO rating.rated_records (tenant_id, source, record_id, account_id, service_type,"
            " quantity, unit, started_at, amount, currency, plan_id, rated_at)"
            " VALUES ($1, 'pbx', $2, $3, 'voice', 60, 'second', $4, 0.05, 'GBP', $3, now())",
            [(TENANT, f"old{n}", ACCOUNT, TUESDAY_NOON) for n in range(3)])
        for _ in range(2):
            for statement in DDL:
                await pool.execute(statement)
        rows = await pool.fetch("SELECT seq, destination_class FROM rating.rated_records ORDER BY seq")
        assert [(r["seq"], r["destination_class"]) for r in rows] == [(1, ""), (2, ""), (3, "")]
        await rate(pool, TENANT, "m1", [call("new", 60)], FLAT)
        assert await BillingReads(pool).cut() == 4
        assert await pool.fetchval("SELECT count(*) FROM pg_class WHERE relkind = 'S'") == 1
    finally:
        await pool.close()
