"""Amounts as PSPs count them: whole minor units (cents; yen for zero-decimal currencies)."""

from __future__ import annotations

from decimal import Decimal

from kernel.money import MINOR_UNITS, Money, MoneyError
from services.payment.gateways.port import GatewayRejectedError


def to_minor_units(amount: Money) -> int:
    """12.34 EUR -> 1234, 500 JPY -> 500; GatewayRejectedError when finer than the minor unit."""
    scaled = amount.amount.scaleb(MINOR_UNITS[amount.currency])
    if scaled != scaled.to_integral_value():
        raise GatewayRejectedError("invalid_amount", f"{amount} is finer than the currency's minor unit")
    return int(scaled)


def from_minor_units(units: int, currency: str) -> Money:
    """1234 and 'eur' -> 12.34 EUR; a currency we do not bill in is a MoneyError."""
    code = currency.upper()
    if code not in MINOR_UNITS:
        raise MoneyError(f"unsupported currency {currency!r}")
    return Money(Decimal(units).scaleb(-MINOR_UNITS[code]), code)
