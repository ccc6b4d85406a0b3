"""Quotes: what a record would cost now under the account's tariff, and the allowance it would use."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from uuid import UUID

from kernel.clock import Clock
from kernel.errors import InvalidInputError, NotFoundError, PreconditionError
from kernel.units import BASE_UNIT
from services.rating.contexts import RatingContexts
from services.rating.domain import RecordToRate
from services.rating.store import RatedRecordStore
from services.rating.tariffed import Quote, TariffLookup, cycle_of, local_day, quote


def parse_quantity(text: str) -> Decimal:
    """A finite, non-negative quantity."""
    try:
        quantity = Decimal(text)
    except InvalidOperation:
        raise InvalidInputError("quantity", "not_a_number") from None
    if not quantity.is_finite() or quantity < 0:
        raise InvalidInputError("quantity", "must_be_a_non_negative_number")
    return quantity


def parse_instant(text: str, now: datetime) -> datetime:
    """An RFC 3339 instant with offset; now when empty."""
    if not text:
        return now
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInputError("started_at", "not_a_timestamp") from None
    if instant.tzinfo is None:
        raise InvalidInputError("started_at", "missing_timezone")
    return instant


class Quoting:
    """Prices hypothetical records against the committed cycle state, changing nothing."""

    def __init__(self, contexts: RatingContexts, tariffs: TariffLookup, store: RatedRecordStore,
                 clock: Clock) -> None:
        self.contexts = contexts
        self.tariffs = tariffs
        self.store = store
        self.clock = clock

    async def quote(
        self, tenant_id: UUID, account_id: UUID, service_type: str, quantity: str,
        destination: str, started_at: str,
    ) -> Quote:
        """The quote, or a clear error when the record cannot be priced."""
        if service_type not in BASE_UNIT:
            raise InvalidInputError("service_type", "unknown_service_type")
        record = RecordToRate(
            "quote", "quote", account_id, service_type, parse_quantity(quantity),
            BASE_UNIT[service_type], parse_instant(started_at, self.clock.now()),
            destination=destination,
        )
        context = (await self.contexts.for_accounts(tenant_id, {account_id})).get(account_id)
        if context is None:
            raise NotFoundError(f"no account {account_id}")
        if context.rate_plan_id is None:
            raise PreconditionError("the account's plan has no rate plan to quote from")
        day = local_day(record.started_at, context.timezone)
        version = await self.tariffs.version_at(tenant_id, context.rate_plan_id, day)
        if version is None:
            raise PreconditionError(f"no tariff version of the rate plan is in effect on {day}")
        state = await self.store.cycle_state(
            tenant_id, (account_id, cycle_of(record.started_at, context.timezone)))
        result = quote(record, context, version, state)
        if not isinstance(result, Quote):
            raise PreconditionError(f"cannot price the record: {result.reason.value}")
        if not result.parts:
            raise PreconditionError("the tariff priced nothing for this record")
        return result
