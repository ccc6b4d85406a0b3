"""Rating a batch: accounts whose plan names a rate plan are priced by the pricing engine against
their bill-cycle state; the others by their plan's flat usage prices.

The cycle of a record is the calendar month, in the account's timezone, of its start. Allowances
and tiers of a cycle are consumed in event order within a batch and in arrival order across
batches; re-rating a period replays it strictly in event order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol
from uuid import UUID
from zoneinfo import ZoneInfo

from services.rating.domain import (
    RatedPart,
    RatingContext,
    RecordToRate,
    UnratedRecord,
    rate,
)
from services.rating.pricing import FRESH_CYCLE, CycleState, Priced, TariffVersion, Unrated, price

CycleKey = tuple[UUID, date]
"""An account's bill cycle: (account id, first day of the cycle)."""
VersionKey = tuple[UUID, date]
"""A rate plan on a day: (rate plan id, local day)."""


class TariffLookup(Protocol):
    """Where the tariff version in effect on a day is found."""

    async def version_at(
        self, tenant_id: UUID, rate_plan_id: UUID, day: date
    ) -> TariffVersion | None: ...


def local_day(instant: datetime, timezone: str) -> date:
    """The day the instant falls on in the timezone, computed each time (0.25 us). A batch asks it
    three times a record (version, cycle, pricing): a cache saved 0.1 us a record on batches smaller
    than it and cost 0.85 us a record on larger ones, which missed it every time (0.53 us a miss)."""
    return instant.astimezone(ZoneInfo(timezone)).date()


def cycle_of(instant: datetime, timezone: str) -> date:
    """The first day of the record's bill cycle: its local calendar month."""
    return cycle_of_day(local_day(instant, timezone))


def cycle_of_day(day: date) -> date:
    """The first day of the bill cycle a local day falls in: its calendar month."""
    return date(day.year, day.month, 1)


def tariffed(
    records: Iterable[RecordToRate], contexts: Mapping[UUID, RatingContext]
) -> Iterator[tuple[RecordToRate, RatingContext]]:
    """The records whose account's plan names a rate plan, with that account's context."""
    for record in records:
        context = contexts.get(record.account_id)
        if context is not None and context.rate_plan_id is not None:
            yield record, context


def needed_versions(
    records: Iterable[RecordToRate], contexts: Mapping[UUID, RatingContext]
) -> set[VersionKey]:
    """The (rate plan, day) pairs whose tariff versions the batch needs."""
    return {(context.rate_plan_id, local_day(record.started_at, context.timezone))
            for record, context in tariffed(records, contexts)
            if context.rate_plan_id is not None}


def needed_cycles(
    records: Iterable[RecordToRate], contexts: Mapping[UUID, RatingContext]
) -> set[CycleKey]:
    """The bill cycles whose state the batch reads and advances."""
    return {(record.account_id, cycle_of(record.started_at, context.timezone))
            for record, context in tariffed(records, contexts)}


def part_of(record: RecordToRate, priced: Priced, plan_id: UUID) -> RatedPart:
    """A priced part as stored."""
    return RatedPart(
        record, priced.part, priced.quantity, priced.amount, plan_id,
        rate_plan_id=priced.rate_plan_id, tariff_version=priced.tariff_version, band=priced.band,
        destination_prefix=priced.destination_prefix, allowance=priced.allowance,
        pre_rated=priced.pre_rated, explanation=priced.explanation,
        destination_class=priced.destination_name or "",
    )


@dataclass
class Pricing:
    """The rated parts, the unrated records and the cycle states after a batch."""

    rated: list[RatedPart] = field(default_factory=list)
    unrated: list[UnratedRecord] = field(default_factory=list)
    states: dict[CycleKey, CycleState] = field(default_factory=dict)


def price_all(
    records: list[RecordToRate], contexts: Mapping[UUID, RatingContext],
    versions: Mapping[VersionKey, TariffVersion | None], states: Mapping[CycleKey, CycleState],
) -> Pricing:
    """Price a batch deterministically: each account's records in event order."""
    result = Pricing(states=dict(states))
    ordered = sorted(records, key=lambda r: (r.account_id.int, r.started_at, r.source, r.record_id))
    for record in ordered:
        context = contexts.get(record.account_id)
        if context is None or context.rate_plan_id is None:
            outcome = price_flat(record, context)
        else:
            day = local_day(record.started_at, context.timezone)
            version = versions.get((context.rate_plan_id, day))
            cycle = (record.account_id, cycle_of_day(day))
            outcome, result.states[cycle] = price_tariffed(
                record, context, version, result.states.get(cycle, FRESH_CYCLE))
        if isinstance(outcome, UnratedRecord):
            result.unrated.append(outcome)
        else:
            result.rated += outcome
    return result


@dataclass(frozen=True)
class BatchPricer:
    """How a batch's records are priced once their accounts' contexts and the tariff versions they
    need are known: which cycle states they read, and their pricing given those states."""

    contexts: Mapping[UUID, RatingContext]
    versions: Mapping[VersionKey, TariffVersion | None]

    def cycles(self, records: list[RecordToRate]) -> set[CycleKey]:
        """The bill cycles the records read and advance."""
        return needed_cycles(records, self.contexts)

    def price(self, records: list[RecordToRate], states: Mapping[CycleKey, CycleState]) -> Pricing:
        """The records priced against the cycles' states (see price_all)."""
        return price_all(records, self.contexts, self.versions, states)


def price_flat(record: RecordToRate, context: RatingContext | None) -> list[RatedPart] | UnratedRecord:
    """A record priced whole by its plan's flat usage price."""
    flat = rate(record, context)
    if isinstance(flat, UnratedRecord):
        return flat
    assert context is not None
    return [RatedPart.whole(flat, context.prices[record.service_type])]


def price_tariffed(
    record: RecordToRate, context: RatingContext, version: TariffVersion | None, state: CycleState
) -> tuple[list[RatedPart] | UnratedRecord, CycleState]:
    """A record priced by the engine under a tariff version against its cycle state, and the new state."""
    if version is None:
        return UnratedRecord(record, "no_tariff_version"), state
    outcome, state = price(record, version, context.timezone, state)
    if isinstance(outcome, Unrated):
        return UnratedRecord(record, outcome.reason.value), state
    return [part_of(record, priced, context.plan_id) for priced in outcome], state


def state_to_json(state: CycleState) -> dict[str, dict[str, str]]:
    """A cycle state as stored."""
    return {"used": {name: str(q) for name, q in state.allowances_used},
            "totals": {name: str(q) for name, q in state.charged_totals}}


def state_from_json(data: Mapping[str, Mapping[str, str]]) -> CycleState:
    """A cycle state read back."""
    return CycleState.of(
        used={name: Decimal(q) for name, q in data.get("used", {}).items()},
        totals={name: Decimal(q) for name, q in data.get("totals", {}).items()},
    )


@dataclass(frozen=True)
class Quote:
    """The price of a hypothetical record now, and each allowance's remainder before and after it."""

    parts: list[Priced]
    remaining_before: dict[str, Decimal]
    remaining_after: dict[str, Decimal]


def quote(
    record: RecordToRate, context: RatingContext, version: TariffVersion, state: CycleState
) -> Quote | Unrated:
    """Price a record without recording it (prepaid authorization): the state is not changed."""
    outcome, after = price(record, version, context.timezone, state)
    if isinstance(outcome, Unrated):
        return outcome
    return Quote(
        outcome,
        {a.name: state.remaining(a) for a in version.allowances},
        {a.name: after.remaining(a) for a in version.allowances},
    )
