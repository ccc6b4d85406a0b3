"""Tariff versions: everything a rate plan charges from a date, checked whole when built."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeVar
from uuid import UUID

from kernel.money import MINOR_UNITS
from kernel.units import BASE_UNIT
from services.rating.pricing.allowances import Allowance
from services.rating.pricing.bands import BandCalendar, BandError, HolidayCalendar, TimeBand
from services.rating.pricing.prefixes import PrefixTable, is_prefix
from services.rating.pricing.tiers import Tiers, check_tiers
from services.rating.pricing.volumes import DATA_UNITS

Row = TypeVar("Row", "VoiceRate", "SmsRate")


class TariffError(ValueError):
    """A tariff version that cannot be used, naming the field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True, slots=True)
class VoiceRate:
    """A voice destination: its prefix and name, price per minute, connect fee, increments, minimum."""

    prefix: str
    name: str
    per_minute: Decimal
    connect_fee: Decimal = Decimal(0)
    first_increment: int = 60
    next_increment: int = 60
    minimum_charge: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class VoiceTable:
    """The voice destination rates of one time band."""

    band: str
    rates: tuple[VoiceRate, ...]


@dataclass(frozen=True, slots=True)
class SmsRate:
    """An SMS destination: its prefix and name and the price per message."""

    prefix: str
    name: str
    per_message: Decimal


@dataclass(frozen=True, slots=True)
class DataTariff:
    """Data prices: per unit (flat) or tiers, in a data unit, with each session rounded up to bytes."""

    unit: str
    per_unit: Decimal | None = None
    session_rounding_bytes: int = 0
    tiers: Tiers | None = None


@dataclass(frozen=True, slots=True)
class CustomTariff:
    """Prices of custom units: per unit (flat) or tiers."""

    per_unit: Decimal | None = None
    tiers: Tiers | None = None


@dataclass(frozen=True)
class TariffVersion:
    """What a rate plan charges from a date on: bands, rate tables, prices, tiers and allowances.

    An empty voice or SMS table, or no data or custom tariff, means the plan does not price that
    service. Building a version checks it whole and compiles its prefix tables and band calendar.
    """

    rate_plan_id: UUID
    version: int
    effective_from: date
    currency: str
    bands: tuple[TimeBand, ...] = ()
    holidays: HolidayCalendar | None = None
    voice: tuple[VoiceTable, ...] = ()
    sms: tuple[SmsRate, ...] = ()
    data: DataTariff | None = None
    custom: CustomTariff | None = None
    allowances: tuple[Allowance, ...] = ()
    calendar: BandCalendar | None = field(init=False, repr=False, compare=False, default=None)
    voice_tables: dict[str, PrefixTable[VoiceRate]] = field(init=False, repr=False, compare=False)
    sms_table: PrefixTable[SmsRate] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_header(self)
        object.__setattr__(self, "calendar", compile_bands(self))
        object.__setattr__(self, "voice_tables", compile_voice(self))
        object.__setattr__(self, "sms_table", compile_sms(self.sms))
        if self.data is not None:
            check_data(self.data)
        if self.custom is not None:
            check_unit_prices("custom", self.custom.per_unit, self.custom.tiers)
        check_allowances(self)

    def prices(self, service_type: str) -> bool:
        """True when this version has a price definition for the service type."""
        return {
            "voice": bool(self.voice), "sms": bool(self.sms),
            "data": self.data is not None, "custom": self.custom is not None,
        }.get(service_type, False)


def check_header(version: TariffVersion) -> None:
    """Refuse a version without a usable number, start date or currency."""
    if not isinstance(version.version, int) or version.version < 1:
        raise TariffError("version", "must be a whole number from 1")
    if not isinstance(version.effective_from, date):
        raise TariffError("effective_from", "must be a date")
    if version.currency not in MINOR_UNITS:
        raise TariffError("currency", f"unsupported currency {version.currency!r}")


def check_amount(where: str, value: object, optional: bool = False) -> None:
    """Refuse a price that is not a finite, non-negative Decimal (floats included)."""
    if value is None and optional:
        return
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise TariffError(where, f"must be a non-negative Decimal, not {value!r}")


def compile_bands(version: TariffVersion) -> BandCalendar | None:
    """The band calendar, checked to cover the whole week without overlap; None without bands."""
    names = [band.name for band in version.bands]
    for index, band in enumerate(version.bands):
        if not band.name:
            raise TariffError(f"bands[{index}].name", "must not be empty")
        if band.name in names[:index]:
            raise TariffError(f"bands[{index}].name", f"band {band.name!r} is defined twice")
        for number, window in enumerate(band.windows):
            if not window.weekdays or not window.weekdays <= frozenset(range(7)):
                raise TariffError(f"bands[{index}].windows[{number}].weekdays",
                                  "must be a non-empty set of 0 (Monday) to 6 (Sunday)")
        holiday = version.holidays is not None and band.name == version.holidays.band
        if not band.windows and not holiday:
            raise TariffError(f"bands[{index}].windows", f"band {band.name!r} covers no time")
    if version.holidays is not None and version.holidays.band not in names:
        raise TariffError("holidays.band", f"{version.holidays.band!r} is not one of the bands")
    if not version.bands:
        if version.voice:
            raise TariffError("bands", "voice rates need time bands covering the whole week")
        return None
    try:
        return BandCalendar(version.bands, version.holidays)
    except BandError as error:
        raise TariffError("bands", str(error)) from None


def compile_voice(version: TariffVersion) -> dict[str, PrefixTable[VoiceRate]]:
    """One prefix table per band, every band having one, every row checked."""
    tables: dict[str, PrefixTable[VoiceRate]] = {}
    for index, table in enumerate(version.voice):
        where = f"voice[{index}]"
        if table.band not in {band.name for band in version.bands}:
            raise TariffError(f"{where}.band", f"{table.band!r} is not one of the bands")
        if table.band in tables:
            raise TariffError(f"{where}.band", f"band {table.band!r} has two voice tables")
        for number, rate in enumerate(table.rates):
            check_voice_rate(f"{where}.rates[{number}]", rate)
        tables[table.band] = prefix_table(f"{where}.rates", [(rate.prefix, rate) for rate in table.rates])
    if version.voice:
        for band in version.bands:
            if band.name not in tables:
                raise TariffError("voice", f"band {band.name!r} has no voice table")
    return tables


def check_voice_rate(where: str, rate: VoiceRate) -> None:
    """Refuse a voice rate row with a bad prefix, name, price or increment."""
    if not is_prefix(rate.prefix):
        raise TariffError(f"{where}.prefix", f"{rate.prefix!r} is not 1 to 15 digits")
    if not rate.name:
        raise TariffError(f"{where}.name", "must not be empty")
    check_amount(f"{where}.per_minute", rate.per_minute)
    check_amount(f"{where}.connect_fee", rate.connect_fee)
    check_amount(f"{where}.minimum_charge", rate.minimum_charge)
    if not isinstance(rate.first_increment, int) or rate.first_increment < 0:
        raise TariffError(f"{where}.first_increment", "must be a whole number of seconds from 0")
    if not isinstance(rate.next_increment, int) or rate.next_increment < 1:
        raise TariffError(f"{where}.next_increment", "must be a whole number of seconds from 1")


def compile_sms(rates: tuple[SmsRate, ...]) -> PrefixTable[SmsRate]:
    """The SMS prefix table, every row checked."""
    for number, rate in enumerate(rates):
        where = f"sms[{number}]"
        if not is_prefix(rate.prefix):
            raise TariffError(f"{where}.prefix", f"{rate.prefix!r} is not 1 to 15 digits")
        if not rate.name:
            raise TariffError(f"{where}.name", "must not be empty")
        check_amount(f"{where}.per_message", rate.per_message)
    return prefix_table("sms", [(rate.prefix, rate) for rate in rates])


def prefix_table(where: str, entries: list[tuple[str, Row]]) -> PrefixTable[Row]:
    """A prefix table, a repeated prefix named by its row."""
    seen: dict[str, int] = {}
    for number, (prefix, _) in enumerate(entries):
        if prefix in seen:
            raise TariffError(f"{where}[{number}].prefix",
                              f"prefix {prefix!r} is also row {seen[prefix]}")
        seen[prefix] = number
    return PrefixTable(entries)


def check_data(data: DataTariff) -> None:
    """Refuse a data tariff with an unknown unit, a bad price or a bad session rounding."""
    if data.unit not in DATA_UNITS:
        raise TariffError("data.unit", f"{data.unit!r} is not one of {', '.join(DATA_UNITS)}")
    if not isinstance(data.session_rounding_bytes, int) or data.session_rounding_bytes < 0:
        raise TariffError("data.session_rounding_bytes", "must be a whole number of bytes from 0")
    check_unit_prices("data", data.per_unit, data.tiers)


def check_unit_prices(where: str, per_unit: Decimal | None, tiers: Tiers | None) -> None:
    """Refuse a per-unit price and tiers together, or neither, or either malformed."""
    if (per_unit is None) == (tiers is None):
        raise TariffError(f"{where}.per_unit", "give either a per-unit price or tiers, not both or neither")
    check_amount(f"{where}.per_unit", per_unit, optional=True)
    if tiers is not None:
        problem = check_tiers(tiers)
        if problem:
            raise TariffError(f"{where}.tiers", problem)


def check_allowances(version: TariffVersion) -> None:
    """Refuse allowances with a repeated name, a service the version does not price, or a bad filter."""
    names: set[str] = set()
    for index, allowance in enumerate(version.allowances):
        where = f"allowances[{index}]"
        if not allowance.name or allowance.name in names:
            raise TariffError(f"{where}.name", f"{allowance.name!r} is empty or used twice")
        names.add(allowance.name)
        if allowance.service_type not in BASE_UNIT or not version.prices(allowance.service_type):
            raise TariffError(f"{where}.service_type",
                              f"{allowance.service_type!r} is not a service this version prices")
        quantity = allowance.quantity
        if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity <= 0:
            raise TariffError(f"{where}.quantity", "must be a positive Decimal in the service's base unit")
        for number, prefix in enumerate(allowance.prefixes):
            if not is_prefix(prefix):
                raise TariffError(f"{where}.prefixes[{number}]", f"{prefix!r} is not 1 to 15 digits")
