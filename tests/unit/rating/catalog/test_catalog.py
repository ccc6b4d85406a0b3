"""The tariff catalog in memory: version rules, the version in effect, imports, tenancy."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from kernel.errors import InvalidInputError, NotFoundError
from services.rating.catalog.application import TariffCatalog
from services.rating.catalog.definition import canonical_json, definition_of
from services.rating.catalog.destinations import DestinationFileError
from services.rating.catalog.rate_plans import RatePlan
from tests.unit.rating.catalog.test_destinations import big_file
from tests.unit.rating.pricing.tariffs import UK

TENANT, OTHER = uuid4(), uuid4()
DEFINITION: dict[str, Any] = json.loads(canonical_json(definition_of(UK)))
JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


@pytest.fixture
def catalog() -> TariffCatalog:
    return TariffCatalog()


def cheaper(factor: str) -> dict[str, Any]:
    definition = json.loads(json.dumps(DEFINITION))
    for table in definition["voice"]:
        for rate in table["rates"]:
            rate["per_minute"] = str(Decimal(rate["per_minute"]) * Decimal(factor))
    return definition


def test_versions_are_numbered_and_never_go_back_in_time(catalog: TariffCatalog) -> None:
    plan = catalog.create_rate_plan(TENANT, "Home", "GBP")
    assert catalog.publish_version(TENANT, plan.id, FEB, DEFINITION) == 1
    assert catalog.publish_version(TENANT, plan.id, MAR, cheaper("0.5")) == 2
    with pytest.raises(InvalidInputError) as error:
        catalog.publish_version(TENANT, plan.id, FEB, DEFINITION)
    assert error.value.field == "effective_from"
    assert catalog.publish_version(TENANT, plan.id, MAR, cheaper("0.25")) == 3
    reloaded = catalog.get(TENANT, plan.id)
    assert [(v.version, v.effective_from) for v in reloaded.versions] == [(1, FEB), (2, MAR), (3, MAR)]


def test_the_version_in_effect_is_the_latest_started_and_a_correction_wins_its_day(
    catalog: TariffCatalog,
) -> None:
    plan = catalog.create_rate_plan(TENANT, "Home", "GBP")
    catalog.publish_version(TENANT, plan.id, FEB, DEFINITION)
    catalog.publish_version(TENANT, plan.id, MAR, cheaper("0.5"))
    catalog.publish_version(TENANT, plan.id, MAR, cheaper("0.25"))
    assert catalog.version_at(TENANT, plan.id, JAN) is None
    first = catalog.version_at(TENANT, plan.id, date(2026, 2, 28))
    assert first is not None and first.version == 1
    assert first.voice_tables["peak"].match("4420")[1].per_minute == Decimal("0.05")  # type: ignore[index]
    third = catalog.version_at(TENANT, plan.id, date(2027, 1, 1))
    assert third is not None and third.version == 3 and third.effective_from == MAR
    assert catalog.version_at(TENANT, plan.id, date(2027, 1, 1)) is third


def test_compiled_versions_are_rebuilt_from_stored_definitions(catalog: TariffCatalog) -> None:
    plan = catalog.create_rate_plan(TENANT, "Home", "GBP")
    catalog.publish_version(TENANT, plan.id, FEB, DEFINITION)
    catalog._compiled.clear()
    rebuilt = catalog.version_at(TENANT, plan.id, FEB)
    assert rebuilt is not None
    assert definition_of(rebuilt) == DEFINITION


def test_events_carry_the_digest_not_the_definition(catalog: TariffCatalog) -> None:
    plan = catalog.create_rate_plan(TENANT, "Home", "GBP")
    catalog.publish_version(TENANT, plan.id, FEB, DEFINITION)
    events = list(catalog.events.get(plan.id))
    assert [type(e).__name__ for e in events] == ["Created", "VersionPublished"]
    published = events[1]
    assert published.tenant_id == TENANT  # type: ignore[attr-defined]
    assert len(published.definition_digest) == 64  # type: ignore[attr-defined]
    assert not hasattr(published, "definition")


def test_a_bad_definition_publishes_nothing(catalog: TariffCatalog) -> None:
    plan = catalog.create_rate_plan(TENANT, "Home", "GBP")
    with pytest.raises(InvalidInputError) as error:
        catalog.publish_version(TENANT, plan.id, FEB, {"sms": [{"prefix": "4a", "name": "x",
                                                                "per_message": "1"}]})
    assert error.value.field == "sms[0].prefix"
    assert catalog.get(TENANT, plan.id).versions == []


@pytest.mark.parametrize(("name", "currency", "field"), [("", "GBP", "name"), ("Home", "XYZ", "currency")])
def test_rate_plan_fields_are_checked(catalog: TariffCatalog, name: str, currency: str, field: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        catalog.create_rate_plan(TENANT, name, currency)
    assert error.value.field == field


def test_another_tenants_plan_is_not_found(catalog: TariffCatalog) -> None:
    plan = catalog.create_rate_plan(TENANT, "Home", "GBP")
    with pytest.raises(NotFoundError):
        catalog.get(OTHER, plan.id)
    with pytest.raises(NotFoundError):
        catalog.publish_version(OTHER, plan.id, FEB, DEFINITION)
    assert catalog.list_rate_plans(OTHER) == []


def test_the_listing_shows_each_plans_latest_version(catalog: TariffCatalog) -> None:
    home = catalog.create_rate_plan(TENANT, "Home", "GBP")
    catalog.create_rate_plan(TENANT, "Business", "EUR")
    catalog.publish_version(TENANT, home.id, FEB, DEFINITION)
    rows = catalog.list_rate_plans(TENANT)
    assert [(r.name, r.currency, r.latest_version, r.latest_effective_from) for r in rows] == [
        ("Business", "EUR", 0, None), ("Home", "GBP", 1, FEB)]


def test_importing_voice_destinations_keeps_the_rest_of_the_latest_version(catalog: TariffCatalog) -> None:
    plan = catalog.create_rate_plan(TENANT, "Home", "GBP")
    catalog.publish_version(TENANT, plan.id, FEB, DEFINITION)
    csv = (b"prefix,destination,rate,connect_fee,first_increment,next_increment,band\n"
           b"44,UK,0.01,0,60,60,\n33,France,0.09,0,1,1,peak\n")
    assert catalog.import_destinations(TENANT, plan.id, MAR, [csv], "voice") == (2, 2)
    version = catalog.version_at(TENANT, plan.id, MAR)
    assert version is not None
    assert [len(table.rates) for table in version.voice] == [2, 1, 1, 1]
    assert version.sms == UK.sms and version.data == UK.data and version.bands == UK.bands


def test_importing_into_a_plan_without_bands_gives_it_one(catalog: TariffCatalog) -> None:
    plan = catalog.create_rate_plan(TENANT, "Wholesale", "EUR")
    version, rows = catalog.import_destinations(TENANT, plan.id, FEB, [big_file(50_000)], "voice")
    assert (version, rows) == (1, 50_000)
    compiled = catalog.version_at(TENANT, plan.id, FEB)
    assert compiled is not None and [band.name for band in compiled.bands] == ["all"]
    assert compiled.voice_tables["all"].match("440000071")[0] == "44000007"  # type: ignore[index]
    catalog.import_destinations(TENANT, plan.id, MAR, [b"prefix,destination,rate\n44,UK,0.02\n"], "sms")
    both = catalog.version_at(TENANT, plan.id, MAR)
    assert both is not None and both.prices("voice") and both.prices("sms")


def test_a_bad_import_publishes_nothing(catalog: TariffCatalog) -> None:
    plan = catalog.create_rate_plan(TENANT, "Home", "GBP")
    catalog.publish_version(TENANT, plan.id, FEB, DEFINITION)
    with pytest.raises(DestinationFileError):
        catalog.import_destinations(TENANT, plan.id, MAR, [b"prefix,destination,rate\n4x,UK,0.02\n"], "sms")
    with pytest.raises(InvalidInputError) as error:
        catalog.import_destinations(TENANT, plan.id, MAR, [
            b"prefix,destination,rate,connect_fee,first_increment,next_increment,band\n44,UK,1,0,60,60,night\n"
        ], "voice")
    assert "night" in error.value.reason
    with pytest.raises(InvalidInputError) as error:
        catalog.import_destinations(TENANT, plan.id, MAR, [
            b"prefix,destination,rate,connect_fee,first_increment,next_increment,band\n44,UK,1,0,60,60,peak\n"
        ], "voice")
    assert "has no voice table rows" in error.value.reason
    assert [v.version for v in catalog.get(TENANT, plan.id).versions] == [1]


def test_a_rate_plan_is_an_aggregate_of_its_tenant() -> None:
    plan = RatePlan(tenant_id=TENANT, name="Home", currency="GBP")
    assert plan.latest is None and plan.version_in_effect(FEB) is None and plan.published(1) is None
