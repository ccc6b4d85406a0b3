"""Explaining rated parts: how each was priced, read back from the tariff version recorded on it,
and what each allowance of a cycle included, used and when it ran out (docs/explanations.md,
"What rating tells"). Read only: nothing here writes or re-prices.

A part's pricing follows the engine's rules (services/rating/pricing/engine.py) from the part's
stored quantity, band, destination prefix and version: a charged call is a whole call when it is
part 0 (no allowance covered its start), billed in its destination's increments; data is rounded up
per record. Tier shares depend on the cycle's running total, which is in the part's explanation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

import asyncpg

from kernel.money import Money
from services.rating.catalog.application import RatePlanNotFoundError, TariffCatalog
from services.rating.cycles import ADJUSTMENT_PART, cycles_between, window
from services.rating.pricing import Allowance, TariffVersion
from services.rating.pricing.increments import billed_seconds, round_up
from services.rating.pricing.prefixes import destination_digits, spaced
from services.rating.pricing.volumes import unit_bytes, unit_symbol
from services.rating.rederiving import RecordedTariffs
from services.rating.selections import UsageSelection
from services.rating.tariffed import local_day

Row = Mapping[str, Any]
VersionKey = tuple[UUID, int]
"""A recorded tariff version: (rate plan id, version number)."""
SECONDS_PER_MINUTE = Decimal(60)
DIGIT_GROUP = 4
"""Digits per group after the matched prefix when a number is shown: +44 20 7946 0000."""


@dataclass(frozen=True)
class PartPricing:
    """How one stored part was priced: its basis, what was billed, and the price applied."""

    basis: str
    billed_quantity: Decimal
    rate: Decimal | None = None
    rate_unit: str = ""
    first_increment: int = 0
    next_increment: int = 0
    connect_fee: Decimal | None = None
    minimum_charge: Decimal | None = None
    whole_call: bool = False
    minimum_applied: bool = False
    session_rounding_bytes: int = 0
    tier_mode: str = ""
    unit_size: Decimal = Decimal(1)


@dataclass(frozen=True)
class PartDetail:
    """What explaining adds to a stored part: its record's whole quantity, tariff name and pricing."""

    record_quantity: Decimal
    rate_plan_name: str
    pricing: PartPricing


@dataclass(frozen=True)
class AllowanceUse:
    """One allowance of one cycle: included per the version, used by the cycle's parts, and the
    first part charged beyond it once used up (None: not used up, or nothing went beyond)."""

    cycle_start: date
    allowance: Allowance
    version: TariffVersion
    used: Decimal
    beyond: Row | None


def destination_display(destination: str, prefix: str | None) -> str:
    """A destination as people read it: +44 20 7946 0000 (as recorded when no prefix matched it)."""
    digits = destination_digits(destination) if destination else None
    if digits is None or not prefix or not digits.startswith(prefix):
        return destination
    rest = digits[len(prefix):]
    groups = [rest[start:start + DIGIT_GROUP] for start in range(0, len(rest), DIGIT_GROUP)]
    return " ".join([f"+{spaced(prefix)}", *groups])


def pricing_of(row: Row, version: TariffVersion | None) -> PartPricing:
    """How a stored part was priced under the version recorded on it (None: the catalog lost it)."""
    quantity: Decimal = row["quantity"]
    if row["part"] >= ADJUSTMENT_PART:
        return PartPricing("adjustment", Decimal(0))
    if row["pre_rated"]:
        return PartPricing("pre_rated", quantity)
    if row["rate_plan_id"] is None:
        return PartPricing("flat", quantity)
    if row["allowance"]:
        return PartPricing("included", quantity)
    service = row["service_type"]
    if version is None or not version.prices(service):
        return PartPricing("unknown", quantity)
    if service == "voice":
        return voice_pricing(row, version)
    if service == "sms":
        return sms_pricing(row, version)
    return unit_pricing(row, version)


def voice_pricing(row: Row, version: TariffVersion) -> PartPricing:
    """A charged call part: its destination's rate in its band, increments, connect fee, minimum."""
    quantity: Decimal = row["quantity"]
    table = version.voice_tables.get(row["band"] or "")
    prefix = row["destination_prefix"] or ""
    found = table.match(prefix) if table is not None and prefix else None
    if found is None or found[0] != prefix:
        return PartPricing("unknown", quantity)
    rate = found[1]
    whole = row["part"] == 0
    billed = billed_seconds(quantity, rate.first_increment, rate.next_increment)
    charge = billed / SECONDS_PER_MINUTE * rate.per_minute + (rate.connect_fee if whole else 0)
    rated = Money(charge, version.currency).rated().amount
    return PartPricing(
        "charged", billed, rate.per_minute, "minute", rate.first_increment, rate.next_increment,
        rate.connect_fee, rate.minimum_charge, whole_call=whole,
        minimum_applied=whole and quantity > 0 and rated < rate.minimum_charge)


def sms_pricing(row: Row, version: TariffVersion) -> PartPricing:
    """A charged SMS part: its destination's price per message."""
    quantity: Decimal = row["quantity"]
    prefix = row["destination_prefix"] or ""
    found = version.sms_table.match(prefix) if prefix else None
    if found is None or found[0] != prefix:
        return PartPricing("unknown", quantity)
    return PartPricing("charged", quantity, found[1].per_message, "message")


def unit_pricing(row: Row, version: TariffVersion) -> PartPricing:
    """A charged data or custom part: rounded per record (data), at a flat price or in tiers."""
    quantity: Decimal = row["quantity"]
    if row["service_type"] == "data" and version.data is not None:
        data = version.data
        rounding = data.session_rounding_bytes
        return PartPricing(
            "charged", round_up(quantity, rounding), data.per_unit, unit_symbol(data.unit),
            session_rounding_bytes=rounding, tier_mode=data.tiers.mode if data.tiers else "",
            unit_size=unit_bytes(data.unit))
    custom = version.custom
    if custom is None:
        return PartPricing("unknown", quantity)
    return PartPricing("charged", quantity, custom.per_unit, "unit",
                       tier_mode=custom.tiers.mode if custom.tiers else "")


def is_charged(row: Row) -> bool:
    """A part the tariff charged (not included, pre-rated, flat-priced or a re-rating adjustment)."""
    return (row["part"] < ADJUSTMENT_PART and not row["allowance"] and not row["pre_rated"]
            and row["rate_plan_id"] is not None)


def allowance_uses(cycle_start: date, rows: Sequence[Row],
                   versions: Mapping[VersionKey, TariffVersion | None]) -> list[AllowanceUse]:
    """The allowances of the latest version recorded on a cycle's parts (in seq order), each with
    what the parts used of it and the first part charged beyond it once it was used up."""
    recorded = [(row["rate_plan_id"], row["tariff_version"]) for row in rows
                if row["rate_plan_id"] is not None and row["tariff_version"] is not None]
    version = versions.get(recorded[-1]) if recorded else None
    if version is None:
        return []
    return [use_of(cycle_start, allowance, version, rows) for allowance in version.allowances]


def use_of(cycle_start: date, allowance: Allowance, version: TariffVersion,
           rows: Sequence[Row]) -> AllowanceUse:
    """How the cycle's parts, in the order rating priced them, used one allowance."""
    used = Decimal(0)
    beyond = None
    for row in rows:
        if row["allowance"] == allowance.name:
            used += row["quantity"]
        elif (beyond is None and used >= allowance.quantity and is_charged(row)
              and allowance.applies_to(row["service_type"], digits_of(row))):
            beyond = row
    return AllowanceUse(cycle_start, allowance, version, used, beyond)


def digits_of(row: Row) -> str:
    """The destination digits of a part ('' without a usable destination)."""
    return destination_digits(row["destination"] or "") or ""


class RatePlanNames(Protocol):
    """Where rate plan names are found."""

    async def name_of(self, tenant_id: UUID, rate_plan_id: UUID) -> str: ...


class CatalogNames:
    """Rate plan names from the tariff catalog ('' for a plan it does not know)."""

    def __init__(self, catalog: TariffCatalog) -> None:
        self.catalog = catalog

    async def name_of(self, tenant_id: UUID, rate_plan_id: UUID) -> str:
        try:
            plan = await asyncio.to_thread(self.catalog.get, tenant_id, rate_plan_id)
        except RatePlanNotFoundError:
            return ""
        return str(plan.name)


CYCLE_PARTS = (
    "SELECT seq, part, source, record_id, service_type, quantity, started_at, allowance, pre_rated,"
    " rate_plan_id, tariff_version, destination FROM rating.rated_records"
    " WHERE tenant_id = $1 AND account_id = $2 AND started_at >= $3 AND started_at < $4"
    " AND seq <= $5 AND part < $6 ORDER BY seq, part"
)
"""An account's original parts of a cycle up to a watermark, in the order rating wrote them."""
RECORD_QUANTITIES = (
    "SELECT source, record_id, sum(quantity) AS quantity FROM rating.rated_records"
    " WHERE tenant_id = $1 AND (source, record_id) IN (SELECT * FROM unnest($2::text[], $3::text[]))"
    " AND part < $4 GROUP BY source, record_id"
)
"""The whole quantity (the sum of the original parts) of each of some records."""


class PartExplainer:
    """Reads what explains stored parts and allowances, always scoped by tenant."""

    def __init__(self, pool: asyncpg.Pool, tariffs: RecordedTariffs, names: RatePlanNames) -> None:
        self.pool = pool
        self.tariffs = tariffs
        self.names = names

    async def details(self, tenant_id: UUID, rows: Sequence[Row]) -> list[PartDetail]:
        """Each part's record quantity, rate plan name and pricing, in the order given."""
        keys = sorted({(row["source"], row["record_id"]) for row in rows})
        found = await self.pool.fetch(RECORD_QUANTITIES, tenant_id, [k[0] for k in keys],
                                      [k[1] for k in keys], ADJUSTMENT_PART)
        quantities: dict[tuple[str, str], Decimal] = {
            (r["source"], r["record_id"]): r["quantity"] for r in found}
        versions = await self.versions(tenant_id, rows)
        plans = {row["rate_plan_id"] for row in rows if row["rate_plan_id"] is not None}
        names = {plan: await self.names.name_of(tenant_id, plan) for plan in sorted(plans, key=str)}
        return [PartDetail(
            quantities.get((row["source"], row["record_id"]), Decimal(0)),
            names.get(row["rate_plan_id"], ""),
            pricing_of(row, version_of(row, versions)),
        ) for row in rows]

    async def versions(self, tenant_id: UUID, rows: Sequence[Row]) -> dict[VersionKey, TariffVersion | None]:
        """The tariff versions recorded on the parts, by (rate plan, number)."""
        keys = sorted({key for row in rows if (key := recorded(row)) is not None}, key=str)
        return {key: await self.tariffs.version_numbered(tenant_id, *key) for key in keys}

    async def allowances(self, tenant_id: UUID, selection: UsageSelection,
                         timezone: str) -> list[tuple[AllowanceUse, str]]:
        """Each allowance of the cycles the selection's period overlaps, with its rate plan's name."""
        first = local_day(selection.period_start, timezone)
        end = local_day(selection.period_end, timezone)
        uses: list[AllowanceUse] = []
        for cycle in cycles_between(first, end):
            rows = await self.cycle_rows(tenant_id, selection, cycle, timezone)
            uses += allowance_uses(cycle, rows, await self.versions(tenant_id, rows))
        plans = {use.version.rate_plan_id for use in uses}
        names = {plan: await self.names.name_of(tenant_id, plan) for plan in sorted(plans, key=str)}
        return [(use, names[use.version.rate_plan_id]) for use in uses]

    async def cycle_rows(self, tenant_id: UUID, selection: UsageSelection, cycle: date,
                         timezone: str) -> list[asyncpg.Record]:
        """The account's original parts of a cycle up to the selection's watermark."""
        begin, finish = window(cycle, timezone)
        return list(await self.pool.fetch(CYCLE_PARTS, tenant_id, selection.account_id, begin, finish,
                                          selection.watermark, ADJUSTMENT_PART))


def version_of(row: Row, versions: Mapping[VersionKey, TariffVersion | None]) -> TariffVersion | None:
    """The tariff version recorded on a part, among those read (None: flat-priced or unknown)."""
    key = recorded(row)
    return None if key is None else versions.get(key)


def recorded(row: Row) -> VersionKey | None:
    """The rate plan and version recorded on a part, or None (flat-priced)."""
    plan, number = row["rate_plan_id"], row["tariff_version"]
    return None if plan is None or number is None else (plan, number)
