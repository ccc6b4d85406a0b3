"""Money: a Decimal amount with an ISO 4217 currency, and the one rounding policy.

Rounding policy (docs/money.md): rated amounts keep RATING_PLACES (6) decimal places;
each invoice line is rounded once to the currency's minor unit with ROUND_HALF_UP;
an invoice total is the sum of its rounded lines, so lines always add up to the total.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

RATING_PLACES = 6

MINOR_UNITS: dict[str, int] = {
    "EUR": 2, "USD": 2, "GBP": 2, "CHF": 2, "SEK": 2, "NOK": 2, "DKK": 2, "PLN": 2,
    "CZK": 2, "CAD": 2, "AUD": 2, "NZD": 2, "ZAR": 2, "BRL": 2, "MXN": 2, "INR": 2,
    "NGN": 2, "KES": 2, "JPY": 0, "KRW": 0, "CLP": 0, "BHD": 3, "KWD": 3, "TND": 3,
}

RATING_STEP = Decimal(1).scaleb(-RATING_PLACES)
"""The smallest amount a rated price keeps: 0.000001."""

MINOR_UNIT_STEPS = {code: Decimal(1).scaleb(-places) for code, places in MINOR_UNITS.items()}
"""Each currency's minor unit as an amount: 0.01 EUR, 1 JPY, 0.001 BHD."""


class MoneyError(ValueError):
    """An amount or currency that cannot be money."""


class CurrencyMismatchError(MoneyError):
    """Two amounts in different currencies were combined; there is no implicit FX."""


def check_currency(code: str) -> str:
    """Return the ISO 4217 code if it is one this platform bills in."""
    if code not in MINOR_UNITS:
        raise MoneyError(f"unsupported currency {code!r}")
    return code


def parse_decimal(text: str | int | Decimal) -> Decimal:
    """Parse a decimal amount from text, refusing floats, NaN and infinities."""
    if isinstance(text, bool | float):
        raise MoneyError("amounts are decimal strings, never floats")
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise MoneyError(f"not a decimal number: {text!r}") from None
    if not value.is_finite():
        raise MoneyError(f"not a finite number: {text!r}")
    return value


@dataclass(frozen=True, slots=True)
class Money:
    """An amount of one currency."""

    amount: Decimal
    currency: str

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str) -> Money:
        """Build money from a decimal string or Decimal and a currency code."""
        return cls(parse_decimal(amount), check_currency(currency))

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Nothing, in a currency."""
        return cls(Decimal(0), check_currency(currency))

    def __add__(self, other: Money) -> Money:
        self.check_same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self.check_same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        return Money(self.amount * factor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self.check_same_currency(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self.check_same_currency(other)
        return self.amount <= other.amount

    def check_same_currency(self, other: Money) -> None:
        """Refuse to combine two currencies."""
        if self.currency != other.currency:
            raise CurrencyMismatchError(f"{self.currency} and {other.currency}")

    def rounded(self) -> Money:
        """Round once to the currency's minor unit, half up (the invoice-line policy)."""
        return Money(self.amount.quantize(MINOR_UNIT_STEPS[self.currency], rounding=ROUND_HALF_UP),
                     self.currency)

    def rated(self) -> Money:
        """Quantize to the sub-cent precision rating keeps."""
        return Money(rated_amount(self.amount), self.currency)

    @property
    def is_positive(self) -> bool:
        """True when strictly greater than zero."""
        return self.amount > 0

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def rated_amount(amount: Decimal) -> Decimal:
    """An amount quantized to the sub-cent precision rating keeps (RATING_PLACES, half up)."""
    return amount.quantize(RATING_STEP, rounding=ROUND_HALF_UP)


def total(amounts: list[Money], currency: str) -> Money:
    """Sum amounts of one currency; the empty sum is zero."""
    check_currency(currency)
    for amount in amounts:
        if amount.currency != currency:
            raise CurrencyMismatchError(f"{currency} and {amount.currency}")
    return Money(sum((amount.amount for amount in amounts), Decimal(0)), currency)
