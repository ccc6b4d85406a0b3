"""Tariff definitions: JSON in, TariffVersion out and back; every mistake names its field."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from kernel.errors import InvalidInputError
from services.rating.catalog.definition import canonical_json, definition_of, digest_of, to_tariff_version
from services.rating.pricing import Allowance, DataTariff, Tier, Tiers
from tests.unit.rating.pricing.tariffs import PLAN, UK, tariff

FULL = tariff(
    data=DataTariff("megabyte", session_rounding_bytes=1024, tiers=Tiers(
        "graduated", (Tier(Decimal(1000), Decimal("0.01")), Tier(None, Decimal("0.005"))))),
    allowances=(Allowance("national", "voice", Decimal(6000), ("44",)),
                Allowance("texts", "sms", Decimal(100))),
)


def build(definition: Any) -> Any:
    return to_tariff_version(PLAN, 1, date(2026, 1, 1), "GBP", definition)


@pytest.mark.parametrize("version", [UK, FULL], ids=["uk", "tiers-and-allowances"])
def test_a_definition_round_trips_through_json(version: Any) -> None:
    text = canonical_json(definition_of(version))
    rebuilt = build(json.loads(text))
    assert rebuilt == version
    assert canonical_json(definition_of(rebuilt)) == text
    assert len(digest_of(text)) == 64


def test_the_documented_example_builds() -> None:
    definition = {
        "bands": [
            {"name": "peak", "windows": [{"weekdays": [0, 1, 2, 3, 4], "start": "08:00", "end": "19:00"}]},
            {"name": "offpeak", "windows": [
                {"weekdays": [0, 1, 2, 3, 4], "start": "00:00", "end": "08:00"},
                {"weekdays": [0, 1, 2, 3, 4], "start": "19:00", "end": "24:00"},
                {"weekdays": [5, 6], "start": "00:00", "end": "24:00"}]},
            {"name": "holiday"},
        ],
        "holidays": {"band": "holiday", "dates": ["2026-12-25"]},
        "voice": [{"band": band, "rates": [
            {"prefix": "44", "name": "United Kingdom", "per_minute": "0.04"},
            {"prefix": "447", "name": "UK Mobile", "per_minute": "0.10", "connect_fee": "0.01",
             "first_increment": 30, "next_increment": 6, "minimum_charge": "0.02"}]}
            for band in ("peak", "offpeak", "holiday")],
        "sms": [{"prefix": "44", "name": "United Kingdom", "per_message": "0.04"}],
        "data": {"unit": "gigabyte", "per_unit": "5"},
        "custom": {"tiers": {"mode": "volume", "tiers": [{"up_to": "100", "price": "0.2"},
                                                          {"up_to": None, "price": "0.1"}]}},
        "allowances": [{"name": "national", "service_type": "voice", "quantity": "6000",
                        "prefixes": ["44"]}],
    }
    version = build(definition)
    assert version.voice_tables["peak"].match("447700900123")[0] == "447"  # type: ignore[index]
    assert build({}).prices("voice") is False


def uk_with(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    definition: Any = json.loads(canonical_json(definition_of(UK)))
    target = definition
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return dict(definition)


@pytest.mark.parametrize(("definition", "field"), [
    (uk_with(("voice", 0, "rates", 0, "per_minute"), 0.04), "voice[0].rates[0].per_minute"),
    (uk_with(("voice", 0, "rates", 0, "per_minute"), "cheap"), "voice[0].rates[0].per_minute"),
    (uk_with(("voice", 0, "rates", 0, "per_minute"), "-1"), "voice[0].rates[0].per_minute"),
    (uk_with(("voice", 0, "rates", 1, "prefix"), "44"), "voice[0].rates[1].prefix"),
    (uk_with(("voice", 0, "rates", 0, "colour"), "red"), "voice[0].rates[0].colour"),
    (uk_with(("voice", 1, "band"), "night"), "voice[1].band"),
    (uk_with(("bands", 0, "windows", 0, "start"), "8am"), "bands[0].windows[0].start"),
    (uk_with(("bands", 0, "windows", 0, "end"), "20:00"), "bands"),
    (uk_with(("holidays", "dates", 0), "25/12/2026"), "holidays.dates[0]"),
    (uk_with(("sms", 0, "per_message"), None), "sms[0].per_message"),
    (uk_with(("data", "unit"), "floppy"), "data.unit"),
    (uk_with(("data", "tiers"), {"mode": "graduated", "tiers": []}), "data.per_unit"),
    (uk_with(("custom",), {"per_unit": "1", "tiers": {"mode": "volume", "tiers": [
        {"up_to": None, "price": "1"}]}}), "custom.per_unit"),
    (uk_with(("allowances",), [{"name": "x", "service_type": "voice", "quantity": "0"}]),
     "allowances[0].quantity"),
    (uk_with(("tariff",), 1), "tariff"),
    ([], "definition"),
])
def test_mistakes_name_the_field(definition: Any, field: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        build(definition)
    assert error.value.field == field, error.value.reason


def test_header_mistakes_name_the_header_field() -> None:
    with pytest.raises(InvalidInputError) as error:
        to_tariff_version(PLAN, 1, date(2026, 1, 1), "XXX", {})
    assert error.value.field == "currency"
