"""The payment service's DunningService: protobuf in and out, domain types inside."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from uuid import UUID

import grpc
from billing.payment.v1 import dunning_pb2, dunning_pb2_grpc

from kernel.errors import InvalidInputError
from kernel.grpc import maps_domain_errors
from kernel.money import Money
from kernel.wire import day_from_wire, id_from_wire, money_to_proto
from services.payment.domain.dunning import Dunning
from services.payment.domain.dunning_policy import DunningTerms, LateFee, LateFeeRequest, parse_terms
from services.payment.dunning import DunningReport, DunningRuns, nothing_to_do
from services.payment.dunning_store import DunningStore


class InvalidDunningRunError(InvalidInputError):
    """A dunning run request is not acceptable."""


class DunningServicer(dunning_pb2_grpc.DunningServiceServicer):
    """Configures and reads dunning policies, reads an account's dunning, runs dunning now.

    allow_future_runs lets RunDunning take a date after today (development and test services).
    """

    def __init__(
        self, store: DunningStore, runs: DunningRuns, allow_future_runs: bool = False,
        on_saved: Callable[[], None] = nothing_to_do,
    ) -> None:
        self.store = store
        self.runs = runs
        self.allow_future_runs = allow_future_runs
        self.on_saved = on_saved

    @maps_domain_errors
    async def ConfigureDunningPolicy(
        self, request: dunning_pb2.ConfigureDunningPolicyRequest, context: grpc.aio.ServicerContext
    ) -> dunning_pb2.DunningPolicy:
        """Replace the tenant's policy."""
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        terms = terms_from_proto(request)
        configured = await asyncio.to_thread(self.store.configure, tenant_id, terms)
        self.on_saved()
        return policy_to_proto(configured)

    @maps_domain_errors
    async def GetDunningPolicy(
        self, request: dunning_pb2.GetDunningPolicyRequest, context: grpc.aio.ServicerContext
    ) -> dunning_pb2.DunningPolicy:
        """The tenant's policy (the default until configured)."""
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        return policy_to_proto(await asyncio.to_thread(self.store.terms_of, tenant_id))

    @maps_domain_errors
    async def GetDunning(
        self, request: dunning_pb2.GetDunningRequest, context: grpc.aio.ServicerContext
    ) -> dunning_pb2.Dunning:
        """An account's dunning (status none when it was never overdue)."""
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        account_id = id_from_wire(request.account_id, "account_id")
        dunning = await asyncio.to_thread(self.store.find_dunning, tenant_id, account_id)
        return dunning_to_proto(account_id, dunning)

    @maps_domain_errors
    async def RunDunning(
        self, request: dunning_pb2.RunDunningRequest, context: grpc.aio.ServicerContext
    ) -> dunning_pb2.DunningRun:
        """Dun the tenant's accounts as of a date, now."""
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        day = self.run_date(request.date)
        return report_to_proto(await self.runs.run_once(day, tenant_id))

    def run_date(self, text: str) -> date:
        """The requested date (empty: today); after today only where allowed."""
        today = self.runs.today()
        day = today if not text else day_from_wire(text, "date")
        if day > today and not self.allow_future_runs:
            raise InvalidDunningRunError("date", "after_today")
        return day


def terms_from_proto(request: dunning_pb2.ConfigureDunningPolicyRequest) -> DunningTerms:
    """A ConfigureDunningPolicy request as validated terms."""
    late_fee = None
    if request.HasField("late_fee"):
        late_fee = LateFeeRequest(request.late_fee.percent, dict(request.late_fee.fixed),
                                  request.late_fee.after_days)
    suspend = request.suspend_after_days if request.HasField("suspend_after_days") else None
    return parse_terms(list(request.reminder_days), list(request.retry_days), late_fee, suspend)


def late_fee_to_proto(fee: LateFee) -> dunning_pb2.LateFee:
    """A late fee on the wire."""
    return dunning_pb2.LateFee(
        percent="" if fee.percent is None else str(fee.percent),
        fixed={currency: str(money.amount) for currency, money in fee.fixed.items()},
        after_days=fee.after_days,
    )


def policy_to_proto(terms: DunningTerms) -> dunning_pb2.DunningPolicy:
    """A policy on the wire."""
    message = dunning_pb2.DunningPolicy(
        reminder_days=list(terms.reminder_days), retry_days=list(terms.retry_days),
        is_default=terms.is_default,
    )
    if terms.late_fee is not None:
        message.late_fee.CopyFrom(late_fee_to_proto(terms.late_fee))
    if terms.suspend_after_days is not None:
        message.suspend_after_days = terms.suspend_after_days
    return message


def dunning_to_proto(account_id: UUID, dunning: Dunning | None) -> dunning_pb2.Dunning:
    """An account's dunning on the wire."""
    if dunning is None or dunning.episode == 0:
        return dunning_pb2.Dunning(account_id=str(account_id), status="none")
    message = dunning_pb2.Dunning(
        account_id=str(account_id), episode=dunning.episode,
        status="open" if dunning.is_open else "closed",
        started_on=iso_or_empty(dunning.started_on), oldest_due_date=iso_or_empty(dunning.oldest_due_date),
        reminder_steps=dunning.reminder_steps, suspended=dunning.suspended,
        retries=[retry_to_proto(step, payment_id, amount) for step, payment_id, amount in dunning.retries],
    )
    if dunning.late_fee is not None:
        charge_id, amount = dunning.late_fee
        message.late_fee.CopyFrom(dunning_pb2.DunningLateFee(charge_id=str(charge_id),
                                                             amount=money_to_proto(amount)))
    return message


def retry_to_proto(step: int, payment_id: UUID, amount: Money) -> dunning_pb2.DunningRetry:
    """A retry taken, on the wire."""
    return dunning_pb2.DunningRetry(step=step, payment_id=str(payment_id), amount=money_to_proto(amount))


def iso_or_empty(day: date | None) -> str:
    """YYYY-MM-DD, or empty when unknown."""
    return "" if day is None else day.isoformat()


def report_to_proto(report: DunningReport) -> dunning_pb2.DunningRun:
    """A run's report on the wire."""
    return dunning_pb2.DunningRun(
        date=report.today.isoformat(), accounts=report.accounts, actions=dict(report.actions),
        failures=[dunning_pb2.DunningFailure(account_id=str(f.account_id), action=f.action, reason=f.reason)
                  for f in report.failures],
    )
