"""Service types and units of usage: every record is measured in its service type's base unit."""

from __future__ import annotations

from decimal import Decimal

BASE_UNIT: dict[str, str] = {
    "voice": "second",
    "sms": "message",
    "data": "byte",
    "custom": "unit",
}

UNIT_SIZE: dict[str, tuple[str, Decimal]] = {
    "second": ("voice", Decimal(1)),
    "minute": ("voice", Decimal(60)),
    "message": ("sms", Decimal(1)),
    "byte": ("data", Decimal(1)),
    "kilobyte": ("data", Decimal(10) ** 3),
    "megabyte": ("data", Decimal(10) ** 6),
    "gigabyte": ("data", Decimal(10) ** 9),
    "unit": ("custom", Decimal(1)),
}
"""Each priceable unit: its service type and its size in base units (data units are decimal, SI)."""


def units_of(service_type: str) -> list[str]:
    """The units a price for a service type may be quoted in."""
    return [unit for unit, (service, _) in UNIT_SIZE.items() if service == service_type]


def base_quantity(quantity: Decimal, unit: str) -> Decimal:
    """Convert a quantity in a unit to the service type's base unit."""
    return quantity * UNIT_SIZE[unit][1]
