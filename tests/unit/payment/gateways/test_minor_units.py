"""Amounts in the minor units PSPs count in."""

from __future__ import annotations

import pytest

from kernel.money import Money, MoneyError
from services.payment.gateways.minor_units import from_minor_units, to_minor_units
from services.payment.gateways.port import GatewayRejectedError


@pytest.mark.parametrize(("amount", "currency", "units"), [
    ("12.34", "EUR", 1234), ("0.01", "USD", 1), ("100", "EUR", 10000), ("5000", "JPY", 5000),
    ("12.345", "KWD", 12345), ("7.10", "GBP", 710),
])
def test_money_becomes_minor_units_and_back(amount: str, currency: str, units: int) -> None:
    money = Money.of(amount, currency)
    assert to_minor_units(money) == units
    assert from_minor_units(units, currency.lower()) == money


@pytest.mark.parametrize(("amount", "currency"), [("12.345", "EUR"), ("1.5", "JPY"), ("0.0001", "KWD")])
def test_amounts_finer_than_the_minor_unit_are_refused(amount: str, currency: str) -> None:
    with pytest.raises(GatewayRejectedError) as refused:
        to_minor_units(Money.of(amount, currency))
    assert refused.value.reason == "invalid_amount"


def test_a_currency_we_do_not_bill_in_is_not_money() -> None:
    with pytest.raises(MoneyError):
        from_minor_units(100, "xts")
