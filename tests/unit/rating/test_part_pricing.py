"""Explaining stored parts: the pricing read back from a part and its tariff version is what the
engine did when it priced the record; allowances tell what they included and when they ran out."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from services.rating.cycles import ADJUSTMENT_PART
from services.rating.explaining import allowance_uses, destination_display, pricing_of
from services.rating.pricing import Allowance, CycleState, DataTariff, Priced, UsageToPrice, price
from tests.unit.rating.pricing.tariffs import LONDON, PLAN, TUESDAY_PEAK, UK, tariff, usage

D = Decimal
NATIONAL = Allowance("national", "voice", D(300), ("44",))
WITH_ALLOWANCE = tariff(allowances=(NATIONAL,),
                        data=DataTariff("gigabyte", per_unit=D("5"), session_rounding_bytes=1_000_000))


def stored(record: UsageToPrice, part: Priced) -> dict[str, Any]:
    """A priced part as rating stores it (the columns explaining reads)."""
    return {"part": part.part, "quantity": part.quantity, "pre_rated": part.pre_rated,
            "rate_plan_id": part.rate_plan_id, "tariff_version": part.tariff_version,
            "allowance": part.allowance, "service_type": part.service_type, "band": part.band,
            "destination_prefix": part.destination_prefix, "destination": record.destination,
            "source": record.source, "record_id": record.record_id, "started_at": record.started_at}


def priced_rows(
    records: list[UsageToPrice], version: Any = WITH_ALLOWANCE
) -> list[tuple[Priced, dict[str, Any]]]:
    """The records priced in order from an empty cycle, each part with its stored row."""
    state = CycleState()
    rows = []
    for record in records:
        outcome, state = price(record, version, LONDON, state)
        assert isinstance(outcome, list), outcome
        rows += [(part, stored(record, part)) for part in outcome]
    return rows


@pytest.mark.parametrize("record", [
    usage("voice", 192, "+442079460000"),
    usage("voice", 61, "+447700900123"),
    usage("voice", 5, "+33612345678"),
    usage("voice", 0, "+442079460000"),
    usage("voice", 400, "+442079460000"),
    usage("sms", 3, "+33612345678"),
    usage("data", 1_234_567),
    usage("custom", 7),
], ids=["london-connect", "mobile-30/6-minimum", "france-minimum", "zero", "split", "sms", "data", "custom"])
def test_the_pricing_read_back_bills_what_the_engine_billed(record: UsageToPrice) -> None:
    for part, row in priced_rows([record]):
        pricing = pricing_of(row, WITH_ALLOWANCE)
        assert pricing.billed_quantity == part.billed_quantity
        assert pricing.basis == ("included" if part.allowance else "charged")


def test_a_call_split_by_its_allowance_charges_the_remainder_without_connect_fee() -> None:
    (included, first), (charged, second) = priced_rows([usage("voice", 400, "+442079460000")])
    assert (included.allowance, included.quantity) == ("national", D(300))
    whole = pricing_of(first, WITH_ALLOWANCE)
    remainder = pricing_of(second, WITH_ALLOWANCE)
    assert whole.basis == "included"
    assert (remainder.basis, remainder.whole_call, remainder.billed_quantity) == ("charged", False, D(120))
    assert (remainder.rate, remainder.rate_unit, remainder.connect_fee) == (D("0.05"), "minute", D("0.01"))
    assert charged.amount.amount == D("0.1")


def test_a_short_call_is_raised_to_its_minimum_charge() -> None:
    [(part, row)] = priced_rows([usage("voice", 5, "+33212345678")])
    pricing = pricing_of(row, WITH_ALLOWANCE)
    assert (pricing.whole_call, pricing.minimum_applied, pricing.minimum_charge) == (True, True, D("0.10"))
    assert (pricing.first_increment, pricing.next_increment) == (1, 1)
    assert part.amount.amount == D("0.1")


def test_data_is_rounded_per_session_and_priced_per_unit() -> None:
    [(_, row)] = priced_rows([usage("data", 1_234_567)])
    pricing = pricing_of(row, WITH_ALLOWANCE)
    assert (pricing.billed_quantity, pricing.session_rounding_bytes) == (D(2_000_000), 1_000_000)
    assert (pricing.rate, pricing.rate_unit, pricing.unit_size) == (D(5), "GB", D(1_000_000_000))


def test_parts_not_priced_by_the_tariff_say_so() -> None:
    [(_, row)] = priced_rows([usage("voice", 60, "+442079460000")], UK)
    assert pricing_of({**row, "part": ADJUSTMENT_PART}, UK).basis == "adjustment"
    assert pricing_of({**row, "pre_rated": True}, UK).basis == "pre_rated"
    assert pricing_of({**row, "rate_plan_id": None}, UK).basis == "flat"
    assert pricing_of(row, None).basis == "unknown"
    assert pricing_of({**row, "destination_prefix": "999"}, UK).basis == "unknown"


def test_a_destination_shows_its_country_code_prefix_and_groups_of_four() -> None:
    assert destination_display("+442079460000", "4420") == "+44 20 7946 0000"
    assert destination_display("33612345678", "33") == "+33 6123 4567 8"
    assert destination_display("+442079460000", None) == "+442079460000"
    assert destination_display("not-a-number", "44") == "not-a-number"
    assert destination_display("", "") == ""


def test_an_allowance_runs_out_at_the_first_record_charged_beyond_it() -> None:
    calls = [usage("voice", 200, "+442079460000", at=TUESDAY_PEAK + timedelta(minutes=n)) for n in range(3)]
    rows = [row for _, row in priced_rows([usage("voice", 60, "+33612345678"), *calls])]
    [use] = allowance_uses(date(2026, 11, 1), rows, {(PLAN, 1): WITH_ALLOWANCE})
    assert (use.allowance.name, use.used) == ("national", D(300))
    assert use.beyond is not None
    assert (use.beyond["record_id"], use.beyond["part"]) == (calls[1].record_id, 1)


def test_an_allowance_not_used_up_has_not_run_out() -> None:
    rows = [row for _, row in priced_rows([usage("voice", 100, "+442079460000"),
                                           usage("voice", 200, "+33612345678")])]
    [use] = allowance_uses(date(2026, 11, 1), rows, {(PLAN, 1): WITH_ALLOWANCE})
    assert (use.used, use.beyond) == (D(100), None)
    assert allowance_uses(date(2026, 11, 1), rows, {}) == []
    assert allowance_uses(date(2026, 11, 1), [], {(PLAN, 1): WITH_ALLOWANCE}) == []
