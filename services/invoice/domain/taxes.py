"""Taxes: a rate per tax region from a date, exclusive (added) or inclusive (contained in prices).

Rounding policy: one tax line per invoice and rate, computed on the sum of the invoice's rounded
lines and rounded once, ROUND_HALF_UP, to the currency's minor unit. Exclusive: tax = base x r.
Inclusive: tax = base x r / (1 + r), shown on the invoice but not added to the total.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from kernel.eventstore import TenantAggregate
from kernel.ids import derived_id
from kernel.money import Money, MoneyError, parse_decimal
from services.invoice.domain.errors import InvalidTaxError

TAX_MODES = ("exclusive", "inclusive")
MAX_REGION = 16
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class TaxRate:
    """A tax's name, percentage and mode from a date."""

    name: str
    percent: Decimal
    mode: str
    effective_from: date

    @property
    def included(self) -> bool:
        """True when prices already contain the tax."""
        return self.mode == "inclusive"

    @classmethod
    def parse(cls, name: str, percent: str, mode: str, effective_from: date) -> TaxRate:
        """Validate a rate from a request; errors name the field."""
        if not name.strip() or len(name) > 40:
            raise InvalidTaxError("name", "1..40 characters")
        try:
            value = parse_decimal(percent)
        except MoneyError as error:
            raise InvalidTaxError("rate_percent", str(error)) from None
        if not 0 <= value <= HUNDRED:
            raise InvalidTaxError("rate_percent", "must be 0..100")
        if mode not in TAX_MODES:
            raise InvalidTaxError("mode", f"one of {', '.join(TAX_MODES)}")
        return cls(name.strip(), value, mode, effective_from)

    def tax_on(self, base: Money) -> Money:
        """The tax on a base of rounded lines, rounded once."""
        if self.included:
            return Money(base.amount * self.percent / (HUNDRED + self.percent), base.currency).rounded()
        return (base * (self.percent / HUNDRED)).rounded()

    def as_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {"name": self.name, "percent": str(self.percent), "mode": self.mode,
                "effective_from": self.effective_from}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TaxRate:
        """Rebuild from the stored form."""
        return cls(data["name"], Decimal(data["percent"]), data["mode"], data["effective_from"])


def parse_region(text: str) -> str:
    """A tax region code: 1..16 letters, digits or '-', upper case."""
    region = text.strip().upper()
    if not region or len(region) > MAX_REGION or not all(c.isalnum() or c == "-" for c in region):
        raise InvalidTaxError("region", f"1..{MAX_REGION} letters, digits or '-'")
    return region


class TaxRegion(TenantAggregate):
    """A tenant's tax region and its rates over time."""

    @staticmethod
    def create_id(tenant_id: UUID, region: str) -> UUID:
        """One aggregate per tenant and region code."""
        return derived_id(tenant_id, "tax-region", region)

    @event("Defined")
    def __init__(self, tenant_id: UUID, region: str) -> None:
        self.tenant_id = tenant_id
        self.region = region
        self.rates: list[TaxRate] = []

    def set_rate(self, rate: TaxRate) -> None:
        """Apply a rate from its date on; a rate of the same date replaces the earlier one."""
        self._rate_set(rate=rate.as_dict())

    @event("RateSet")
    def _rate_set(self, rate: dict[str, Any]) -> None:
        new = TaxRate.from_dict(rate)
        kept = [r for r in self.rates if r.effective_from != new.effective_from]
        self.rates = sorted([*kept, new], key=lambda r: r.effective_from)

    def rate_on(self, day: date) -> TaxRate | None:
        """The rate in effect that day, if any."""
        found = None
        for rate in self.rates:
            if rate.effective_from <= day:
                found = rate
        return found
