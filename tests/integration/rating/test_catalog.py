"""The tariff catalog on real PostgreSQL: definitions beside the events, reloads, 50,000 prefixes."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import date
from uuid import uuid4

import asyncpg

from kernel.database import eventsourcing_env
from services.rating.catalog.application import TariffCatalog
from services.rating.catalog.definition import canonical_json, definition_of
from tests.unit.rating.catalog.test_destinations import big_file
from tests.unit.rating.pricing.tariffs import UK

TENANT = uuid4()
FEB, MAR = date(2026, 2, 1), date(2026, 3, 1)


async def test_versions_and_a_fifty_thousand_prefix_import_survive_a_restart(database_url: str) -> None:
    env = eventsourcing_env(database_url, "rating")
    catalog = await asyncio.to_thread(TariffCatalog, env=env)
    plan = catalog.create_rate_plan(TENANT, "Wholesale", "GBP")
    assert catalog.publish_version(TENANT, plan.id, FEB, json.loads(canonical_json(definition_of(UK)))) == 1
    data = big_file(50_000)
    started = time.perf_counter()
    version, rows = catalog.import_destinations(
        TENANT, plan.id, MAR, [data[i:i + (1 << 20)] for i in range(0, len(data), 1 << 20)], "voice")
    imported = time.perf_counter() - started
    assert (version, rows) == (2, 50_000)
    assert imported < 10, imported
    catalog.close()

    reopened = await asyncio.to_thread(TariffCatalog, env=env)
    try:
        started = time.perf_counter()
        current = reopened.version_at(TENANT, plan.id, date(2026, 6, 1))
        reloaded = time.perf_counter() - started
        assert current is not None and current.version == 2
        assert [len(table.rates) for table in current.voice] == [50_000] * len(UK.bands)
        assert current.sms == UK.sms and current.holidays == UK.holidays
        assert current.voice_tables["peak"].match("4400000712345")[0] == "44000007"  # type: ignore[index]
        assert reloaded < 10, reloaded
        first = reopened.version_at(TENANT, plan.id, FEB)
        assert first is not None and first == UK.__class__(**{**vars_of(UK), "rate_plan_id": plan.id,
                                                              "effective_from": FEB})
        assert reopened.version_at(TENANT, plan.id, date(2026, 1, 31)) is None
        assert [(r.name, r.latest_version) for r in reopened.list_rate_plans(TENANT)] == [("Wholesale", 2)]
    finally:
        reopened.close()

    connection = await asyncpg.connect(database_url.replace("postgresql://", "postgres://"))
    try:
        stored = await connection.fetch(
            "SELECT digest, length(definition::text) AS size FROM rating.tariff_definitions "
            "WHERE tenant_id = $1", TENANT)
        events = await connection.fetchval(
            "SELECT max(length(state)) FROM rating.tariffcatalog_events WHERE originator_id = $1", plan.id)
    finally:
        await connection.close()
    assert len(stored) == 2
    assert max(row["size"] for row in stored) > 5_000_000
    assert events < 1_000


def vars_of(version: object) -> dict[str, object]:
    names = ("rate_plan_id", "version", "effective_from", "currency", "bands", "holidays", "voice", "sms",
             "data", "custom", "allowances")
    return {name: getattr(version, name) for name in names}


async def test_a_failed_save_leaves_no_definition(database_url: str) -> None:
    env = eventsourcing_env(database_url, "rating")
    first = await asyncio.to_thread(TariffCatalog, env=env)
    second = await asyncio.to_thread(TariffCatalog, env=env)
    try:
        plan = first.create_rate_plan(TENANT, "Home", "GBP")
        stale = second.get(TENANT, plan.id)
        first.publish_version(TENANT, plan.id, FEB, {})
        from services.rating.catalog.storage import CatalogWrites
        digest = "0" * 64
        stale.publish(MAR, digest)
        try:
            second.save(stale, catalog=CatalogWrites(definitions=[(TENANT, digest, "{}")]))
        except Exception as error:  # the event store refuses the stale version
            assert "IntegrityError" in type(error).__name__ or "Integrity" in repr(error)
        else:
            raise AssertionError("a stale save went through")
        assert second.store.definition_text(TENANT, digest) is None
        assert first.store.definition_text(TENANT, first.get(TENANT, plan.id).versions[0].definition_digest)
    finally:
        first.close()
        second.close()
