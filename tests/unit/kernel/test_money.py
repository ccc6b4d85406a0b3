"""The one rounding policy and currency safety of Money."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kernel.money import CurrencyMismatchError, Money, MoneyError, rated_amount, total


def test_invoice_lines_round_half_up_to_the_minor_unit() -> None:
    assert Money.of("0.125", "EUR").rounded() == Money.of("0.13", "EUR")
    assert Money.of("0.124999", "EUR").rounded() == Money.of("0.12", "EUR")
    assert Money.of("-0.125", "EUR").rounded() == Money.of("-0.13", "EUR")
    assert Money.of("10.5", "JPY").rounded() == Money.of("11", "JPY")
    assert Money.of("1.2345", "KWD").rounded() == Money.of("1.235", "KWD")


def test_rating_keeps_six_decimal_places() -> None:
    assert Money.of("0.0416666666", "EUR").rated().amount == Decimal("0.041667")
    assert rated_amount(Decimal("0.0000005")) == Decimal("0.000001")
    assert rated_amount(Decimal("-0.0000005")) == Decimal("-0.000001")
    assert str(rated_amount(Decimal("2"))) == "2.000000"


def test_currencies_never_mix() -> None:
    with pytest.raises(CurrencyMismatchError):
        Money.of("1", "EUR") + Money.of("1", "USD")


def test_floats_nan_and_unknown_currencies_are_not_money() -> None:
    for amount, currency in [(0.1, "EUR"), ("NaN", "EUR"), ("abc", "EUR"), ("1", "XXX")]:
        with pytest.raises(MoneyError):
            Money.of(amount, currency)  # type: ignore[arg-type]


def test_total_of_nothing_is_zero_in_the_currency() -> None:
    assert total([], "GBP") == Money.zero("GBP")


def test_a_total_adds_exactly_and_refuses_another_currency() -> None:
    amounts = [Money.of("0.10", "EUR"), Money.of("0.20", "EUR"), Money.of("-0.000001", "EUR")]
    assert total(amounts, "EUR") == Money.of("0.299999", "EUR")
    with pytest.raises(CurrencyMismatchError):
        total([*amounts, Money.of("1", "USD")], "EUR")
    with pytest.raises(CurrencyMismatchError):
        total(amounts, "USD")
    with pytest.raises(MoneyError):
        total([], "XXX")
