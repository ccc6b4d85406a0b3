"""Pricing engine of the rating service: tariff versions, bands, increments, tiers and allowances (no I/O)."""

from services.rating.pricing.allowances import FRESH_CYCLE, Allowance, CycleState
from services.rating.pricing.bands import EVERY_DAY, WEEKDAYS, WEEKEND, BandWindow, HolidayCalendar, TimeBand
from services.rating.pricing.engine import price, price_batch
from services.rating.pricing.prefixes import PrefixTable
from services.rating.pricing.records import Priced, Reason, Unrated, UsageToPrice
from services.rating.pricing.tariff import (
    CustomTariff,
    DataTariff,
    SmsRate,
    TariffError,
    TariffVersion,
    VoiceRate,
    VoiceTable,
)
from services.rating.pricing.tiers import Tier, Tiers
from services.rating.pricing.volumes import DATA_UNITS

__all__ = [
    "DATA_UNITS",
    "EVERY_DAY",
    "FRESH_CYCLE",
    "WEEKDAYS",
    "WEEKEND",
    "Allowance",
    "BandWindow",
    "CustomTariff",
    "CycleState",
    "DataTariff",
    "HolidayCalendar",
    "PrefixTable",
    "Priced",
    "Reason",
    "SmsRate",
    "TariffError",
    "TariffVersion",
    "Tier",
    "Tiers",
    "TimeBand",
    "Unrated",
    "UsageToPrice",
    "VoiceRate",
    "VoiceTable",
    "price",
    "price_batch",
]
