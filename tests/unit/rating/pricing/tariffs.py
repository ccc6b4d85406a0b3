"""A realistic UK tariff for the pricing tests: bands in Europe/London, UK and French destinations."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from kernel.money import Money
from services.rating.pricing import (
    EVERY_DAY,
    WEEKDAYS,
    WEEKEND,
    BandWindow,
    CustomTariff,
    CycleState,
    DataTariff,
    HolidayCalendar,
    Priced,
    SmsRate,
    TariffVersion,
    TimeBand,
    Unrated,
    UsageToPrice,
    VoiceRate,
    VoiceTable,
    price,
)

PLAN = UUID("6f1c1a52-8d1e-4a53-9a8e-0c6f4b1e2a10")
ACCOUNT = UUID("0b7e3c1e-2f43-4d0a-8f52-7d5a3e9c1b20")
LONDON = "Europe/London"
D = Decimal

BANDS = (
    TimeBand("peak", (BandWindow(WEEKDAYS, time(8), time(19)),)),
    TimeBand("offpeak", (BandWindow(WEEKDAYS, time(0), time(8)), BandWindow(WEEKDAYS, time(19), time(0)))),
    TimeBand("weekend", (BandWindow(WEEKEND, time(0), time(0)),)),
    TimeBand("holiday"),
)
HOLIDAYS = HolidayCalendar("holiday", frozenset({date(2026, 12, 25), date(2027, 1, 1)}))


def voice_rows(scale: str) -> tuple[VoiceRate, ...]:
    """The destinations of every band, their per-minute prices multiplied by scale."""
    factor = D(scale)
    return (
        VoiceRate("44", "United Kingdom", D("0.04") * factor),
        VoiceRate("4420", "United Kingdom London", D("0.05") * factor, connect_fee=D("0.01")),
        VoiceRate("447", "United Kingdom Mobile", D("0.10") * factor, first_increment=30, next_increment=6,
                  minimum_charge=D("0.02")),
        VoiceRate("33", "France", D("0.12") * factor, connect_fee=D("0.05"), first_increment=1,
                  next_increment=1, minimum_charge=D("0.10")),
        VoiceRate("331", "France Paris", D("0.09") * factor, first_increment=1, next_increment=1),
        VoiceRate("336", "France Mobile", D("0.20") * factor, first_increment=30, next_increment=6),
    )


VOICE = (
    VoiceTable("peak", voice_rows("1")),
    VoiceTable("offpeak", voice_rows("0.5")),
    VoiceTable("weekend", voice_rows("0.25")),
    VoiceTable("holiday", voice_rows("0.2")),
)
SMS = (
    SmsRate("44", "United Kingdom", D("0.04")),
    SmsRate("447", "United Kingdom Mobile", D("0.03")),
    SmsRate("33", "France", D("0.08")),
)


def tariff(**changes: Any) -> TariffVersion:
    """The UK tariff, version 1 from 2026-01-01, with some fields changed."""
    base: dict[str, Any] = {
        "rate_plan_id": PLAN, "version": 1, "effective_from": date(2026, 1, 1), "currency": "GBP",
        "bands": BANDS, "holidays": HOLIDAYS, "voice": VOICE, "sms": SMS,
        "data": DataTariff("gigabyte", per_unit=D("5")), "custom": CustomTariff(per_unit=D("0.25")),
    }
    base.update(changes)
    return TariffVersion(**base)


UK = tariff()
TUESDAY_PEAK = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
ALL_WEEK = (TimeBand("anytime", (BandWindow(EVERY_DAY, time(0), time(0)),)),)

_counter = iter(range(10**9))


def usage(service_type: str, quantity: str | int | Decimal, destination: str = "",
          at: datetime = TUESDAY_PEAK, **changes: Any) -> UsageToPrice:
    """A record of the test account, a new record id each time."""
    record = UsageToPrice("cdr", f"r{next(_counter)}", ACCOUNT, service_type, D(quantity), at,
                          destination=destination)
    return replace(record, **changes)


def priced(record: UsageToPrice, version: TariffVersion = UK, state: CycleState | None = None,
           timezone: str = LONDON) -> list[Priced]:
    """The parts of a record that must price."""
    result, _ = price(record, version, timezone, state or CycleState())
    assert not isinstance(result, Unrated), result
    return result


def one(record: UsageToPrice, version: TariffVersion = UK) -> Priced:
    """The single part of a record priced whole."""
    parts = priced(record, version)
    assert len(parts) == 1, parts
    return parts[0]


def amount(value: str, currency: str = "GBP") -> Money:
    """Rated money, as the engine gives it."""
    return Money(D(value), currency).rated()
