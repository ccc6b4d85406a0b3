"""Voice: longest-prefix destination, band of the start, increments, connect fee, minimum charge."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tests.unit.rating.pricing.tariffs import PLAN, UK, amount, one, usage

SATURDAY = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
TUESDAY_NIGHT = datetime(2026, 11, 24, 22, 0, tzinfo=UTC)
CHRISTMAS = datetime(2026, 12, 25, 10, 0, tzinfo=UTC)


def test_a_london_call_billed_60_60_with_a_connect_fee_explains_itself() -> None:
    call = one(usage("voice", 192, "+442079460001"))
    assert call.amount == amount("0.21")
    assert call.billed_quantity == 240
    assert call.quantity == 192
    assert (call.band, call.destination_prefix) == ("peak", "4420")
    assert call.destination_name == "United Kingdom London"
    assert (call.rate_plan_id, call.tariff_version, call.pre_rated, call.allowance) == (PLAN, 1, False, None)
    assert call.explanation == ("call to 44 20 (United Kingdom London), 192 s billed 60/60 as 240 s "
                                "at 0.05 GBP/min peak + 0.01 connect = 0.21 GBP")


@pytest.mark.parametrize(("seconds", "destination", "billed", "price", "prefix"), [
    (61, "+441614960000", 120, "0.08", "44"),          # 60/60, no connect fee
    (1, "+447700900123", 30, "0.05", "447"),           # 30/6: 30 s at 0.10/min = 0.05
    (31, "+447700900123", 36, "0.06", "447"),          # 30/6
    (7, "+447700900123", 30, "0.05", "447"),
    (125, "+33140000000", 125, "0.1875", "331"),       # 1/1 at 0.09/min
    (1, "+33140000000", 1, "0.0015", "331"),
    (601, "+33612345678", 606, "2.02", "336"),         # 30/6 at 0.20/min
])
def test_increments_and_prices_by_destination(seconds: int, destination: str, billed: int, price: str,
                                              prefix: str) -> None:
    call = one(usage("voice", seconds, destination))
    assert (call.billed_quantity, call.amount, call.destination_prefix) == (billed, amount(price), prefix)


def test_the_minimum_charge_applies_after_the_connect_fee() -> None:
    short = one(usage("voice", 5, "+33212345678"))   # 1/1: 5 s at 0.12 + 0.05 connect = 0.06, minimum 0.10
    assert short.amount == amount("0.10")
    assert short.explanation.endswith("= 0.06 GBP, raised to the minimum charge 0.10 GBP")
    long = one(usage("voice", 60, "+33212345678"))   # 0.12 + 0.05 = 0.17, above the minimum
    assert long.amount == amount("0.17")
    mobile = one(usage("voice", 1, "+447700900123"))  # 0.05 above the 0.02 minimum
    assert mobile.amount == amount("0.05")


def test_a_zero_duration_call_is_priced_at_nothing_not_even_the_connect_fee() -> None:
    call = one(usage("voice", 0, "+442079460001"))
    assert (call.amount, call.billed_quantity) == (amount("0"), 0)
    assert "zero-duration call is not charged" in call.explanation
    minimum = one(usage("voice", 0, "+33212345678"))
    assert minimum.amount == amount("0")


@pytest.mark.parametrize(("at", "band", "price"), [
    (TUESDAY_NIGHT, "offpeak", "0.11"),   # 4 min at 0.025 + 0.01
    (SATURDAY, "weekend", "0.06"),        # 4 min at 0.0125 + 0.01
    (CHRISTMAS, "holiday", "0.05"),       # 4 min at 0.01 + 0.01, Christmas is a Friday
])
def test_bands_choose_the_rate_table(at: datetime, band: str, price: str) -> None:
    call = one(usage("voice", 192, "+442079460001", at=at))
    assert (call.band, call.amount) == (band, amount(price))


def test_sub_cent_amounts_keep_six_places() -> None:
    call = one(usage("voice", 7, "+33140000000"))  # 7 s at 0.09/min = 0.0105
    assert call.amount.amount == Decimal("0.010500")
    odd = one(usage("voice", 1, "+33140000000", at=TUESDAY_NIGHT))  # 1 s at 0.045/min = 0.00075
    assert odd.amount.amount == Decimal("0.000750")
    assert one(usage("voice", 1, "+442079460001", at=CHRISTMAS)).amount.amount == Decimal("0.020000")
    assert UK.currency == call.amount.currency
