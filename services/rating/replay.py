"""Replaying a bill cycle as rating priced it, to re-derive what every record should total (no I/O).

Rating priced a cycle in two ways, and the replay repeats both from an empty cycle state:

- the consumer priced records in the order they were written (seq: arrival order across batches,
  event order within one), each against the state left by those before, with the tariff version
  that is recorded on its original parts (flat-priced records with the plan's usage prices);
- a re-rating priced all the cycle's records written before it in event order from an empty
  state, with the versions it recorded, and its result became the state that later records met.

Each record's re-derived total changes where rating changed its stored total: at the record's
first part when first priced, and at the re-rating's place when re-rated (its adjustment parts
follow that place before any usage cut can come between them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from uuid import UUID

from services.rating.cycles import RecordHistory, RecordKey
from services.rating.domain import RatedPart, RatingContext, UnratedRecord
from services.rating.pricing import FRESH_CYCLE, TariffVersion
from services.rating.tariffed import price_all, price_flat, price_tariffed

Change = tuple[int, Decimal]
"""A change of a record's re-derived total, and the seq at which rating made it."""
NumberedVersions = Mapping[tuple[UUID, int], TariffVersion | None]
"""Tariff versions by (rate plan, version number); None for one the catalog does not know."""


@dataclass(frozen=True)
class Rerated:
    """A recorded re-rating of a cycle: the seq it took before writing, the last seq it wrote, and
    the rate plan and version number it priced each local day with (None: none was in effect)."""

    first_seq: int
    last_seq: int
    rate_plan_id: UUID
    versions: Mapping[date, int | None]

    def wrote(self, seq: int) -> bool:
        """True when the part numbered seq was written by this re-rating."""
        return self.first_seq < seq <= self.last_seq


def total_of(outcome: list[RatedPart] | UnratedRecord) -> Decimal:
    """The total of a record's priced parts; nothing when it could not be priced."""
    if isinstance(outcome, UnratedRecord):
        return Decimal(0)
    return sum((part.amount.amount for part in outcome), Decimal(0))


class CycleReplay:
    """The re-derived totals of a cycle's records, and their changes, as rating's history replays."""

    def __init__(self, context: RatingContext, versions: NumberedVersions) -> None:
        self.context = context
        self.versions = versions
        self.state = FRESH_CYCLE
        self.totals: dict[RecordKey, Decimal] = {}
        self.changes: dict[RecordKey, list[Change]] = defaultdict(list)

    def rate(self, history: RecordHistory) -> None:
        """Price a record as the consumer did: its recorded version, against the state so far."""
        recorded = history.recorded_version
        if recorded is None:
            outcome = price_flat(history.record, self.context)
        else:
            context = replace(self.context, rate_plan_id=recorded[0])
            outcome, self.state = price_tariffed(
                history.record, context, self.versions.get(recorded), self.state)
        self.settle(history.key, history.first_seq, total_of(outcome))

    def rerate(self, rerated: Rerated, histories: Sequence[RecordHistory]) -> None:
        """Price the records as a re-rating did: in event order from an empty state, its versions."""
        plan = rerated.rate_plan_id
        context = replace(self.context, rate_plan_id=plan)
        versions = {(plan, day): self.versions.get((plan, number))
                    for day, number in rerated.versions.items() if number is not None}
        pricing = price_all([h.record for h in histories], {context.account_id: context}, versions, {})
        totals: dict[RecordKey, Decimal] = defaultdict(Decimal)
        for part in pricing.rated:
            totals[(part.record.source, part.record.record_id)] += part.amount.amount
        for history in histories:
            self.settle(history.key, rerated.first_seq, totals[history.key])
        self.state = next(iter(pricing.states.values()), FRESH_CYCLE)

    def settle(self, key: RecordKey, seq: int, total: Decimal) -> None:
        """A record's re-derived total is now total, changed at seq."""
        delta = total - self.totals.get(key, Decimal(0))
        if delta or key not in self.totals:
            self.changes[key].append((seq, delta))
        self.totals[key] = total


def replay_cycle(
    histories: Mapping[RecordKey, RecordHistory], reratings: Sequence[Rerated], context: RatingContext,
    versions: NumberedVersions,
) -> dict[RecordKey, list[Change]]:
    """The changes of each record's re-derived total over the cycle's history, in seq order."""
    replay = CycleReplay(context, versions)
    rated = [h for h in histories.values() if not any(r.wrote(h.first_seq) for r in reratings)]
    events: list[tuple[int, RecordHistory | Rerated]] = [(h.first_seq, h) for h in rated]
    events += [(r.first_seq, r) for r in reratings]
    for _, event in sorted(events, key=lambda each: each[0]):
        if isinstance(event, Rerated):
            replay.rerate(event, [h for h in histories.values()
                                  if h.first_seq < event.first_seq or event.wrote(h.first_seq)])
        else:
            replay.rate(event)
    return dict(replay.changes)


def change_between(changes: Sequence[Change], after: int, upto: int) -> Decimal:
    """How much a record's re-derived total changed at seqs in (after, upto]."""
    return sum((delta for seq, delta in changes if after < seq <= upto), Decimal(0))
