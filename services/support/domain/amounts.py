"""Money a query names: a disputed amount, a credited line, an adjustment."""

from __future__ import annotations

from decimal import InvalidOperation

from kernel.money import Money
from services.support.domain.errors import InvalidQueryError


def check_minor_units(field: str, amount: Money) -> None:
    """Counted in the currency's minor unit: no sub-cent digits."""
    try:
        rounded = amount.rounded()
    except InvalidOperation:
        raise InvalidQueryError(f"{field}.amount", "too_large") from None
    if rounded.amount != amount.amount:
        raise InvalidQueryError(f"{field}.amount", f"more_decimal_places_than_{amount.currency}_has")


def check_positive(field: str, amount: Money) -> None:
    """More than zero, in minor units."""
    if not amount.is_positive:
        raise InvalidQueryError(f"{field}.amount", "must_be_positive")
    check_minor_units(field, amount)


def check_currency_is(field: str, amount: Money, currency: str) -> None:
    """In the currency of the invoice or account; there is no conversion."""
    if amount.currency != currency:
        raise InvalidQueryError(f"{field}.currency", f"must_be_{currency}")
