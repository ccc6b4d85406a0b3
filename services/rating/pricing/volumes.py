"""Data volumes: the units data is priced in, each with its size in bytes and its symbol."""

from __future__ import annotations

from decimal import Decimal

DATA_UNITS: dict[str, tuple[Decimal, str]] = {
    "byte": (Decimal(1), "B"),
    "kilobyte": (Decimal(1000), "kB"),
    "megabyte": (Decimal(1000) ** 2, "MB"),
    "gigabyte": (Decimal(1000) ** 3, "GB"),
    "kibibyte": (Decimal(1024), "KiB"),
    "mebibyte": (Decimal(1024) ** 2, "MiB"),
    "gibibyte": (Decimal(1024) ** 3, "GiB"),
}
"""Decimal (SI, 1000-based) and binary (IEC, 1024-based) data units: name to (bytes, symbol)."""


def unit_bytes(unit: str) -> Decimal:
    """The size of a data unit in bytes."""
    return DATA_UNITS[unit][0]


def unit_symbol(unit: str) -> str:
    """The short symbol of a data unit (MB, MiB)."""
    return DATA_UNITS[unit][1]
