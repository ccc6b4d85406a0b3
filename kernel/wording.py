"""Amounts, quantities and dates worded for a locale (Babel): one way for invoices and emails alike."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from babel.dates import format_date, format_interval
from babel.numbers import format_currency, format_decimal


@lru_cache(maxsize=8192)
def money_text(amount: Decimal, currency: str, locale: str) -> str:
    """An amount with its currency sign, e.g. "1.234,56 €" in German."""
    return format_currency(amount, currency, locale=locale)


@lru_cache(maxsize=4096)
def quantity_text(quantity: Decimal, locale: str) -> str:
    """A quantity without trailing zeros, grouped for the locale."""
    exact = quantity.quantize(Decimal(1)) if quantity == quantity.to_integral_value() \
        else quantity.normalize()
    return format_decimal(exact, locale=locale, decimal_quantization=False)


@lru_cache(maxsize=1024)
def day_text(day: date, locale: str) -> str:
    """A date in the locale's long form, e.g. "31. Oktober 2026"."""
    return format_date(day, "long", locale=locale)


@lru_cache(maxsize=1024)
def period_text(start: date, end: date, locale: str) -> str:
    """A half-open period [start, end) worded from its first to its last day."""
    return format_interval(start, max(start, end - timedelta(days=1)), "yMMMMd", locale=locale)
