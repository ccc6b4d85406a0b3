"""gRPC edge for subscriptions, taxes, the bill-run schedule and bill runs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

import grpc
from billing.invoice.v1 import invoice_pb2

from kernel.grpc import maps_domain_errors
from kernel.wire import day_from_wire, id_from_wire
from services.invoice.application import InvoiceApplication
from services.invoice.directory import Directory
from services.invoice.domain.billing import BillRun
from services.invoice.domain.errors import InvalidTaxError
from services.invoice.domain.subscriptions import Subscription
from services.invoice.domain.taxes import TaxRate
from services.invoice.wire import (
    bill_run_to_proto,
    schedule_to_proto,
    subscription_to_proto,
    tax_region_to_proto,
)

if TYPE_CHECKING:
    from services.invoice.servicer_parts import ServicerParts

Context = grpc.aio.ServicerContext


def day_or(text: str, field: str, default: date) -> date:
    """A YYYY-MM-DD date from a request, or the default when empty."""
    return default if not text else day_from_wire(text, field)


def optional_id(text: str, field: str) -> UUID | None:
    """An optional id from a request."""
    return None if not text else id_from_wire(text, field)


class BillingRpcs:
    """Subscriptions, taxes, schedule and bill runs (a part of the invoice servicer)."""

    parts: ServicerParts
    app: InvoiceApplication
    directory: Directory
    on_saved: Callable[[], None]

    async def today(self, tenant_id: UUID) -> date:
        """Today in the tenant's schedule timezone."""
        schedule = await asyncio.to_thread(self.app.schedule_of, tenant_id)
        return schedule.today(self.parts.clock.now())

    async def _subscription_reply(
        self, tenant_id: UUID, subscription: Subscription
    ) -> invoice_pb2.Subscription:
        self.on_saved()
        return subscription_to_proto(subscription, await self.today(tenant_id))

    @maps_domain_errors
    async def Subscribe(
        self, request: invoice_pb2.SubscribeRequest, context: Context
    ) -> invoice_pb2.Subscription:
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        account_id = id_from_wire(request.account_id, "account_id")
        start = day_or(request.start_date, "start_date", await self.today(tenant_id))
        not_before = await self.directory.last_bill_date(tenant_id, account_id)
        subscription = await asyncio.to_thread(
            self.parts.subscriptions.subscribe, tenant_id, account_id,
            id_from_wire(request.plan_id, "plan_id"), start, not_before)
        return await self._subscription_reply(tenant_id, subscription)

    async def _not_before(self, tenant_id: UUID, subscription_id: UUID) -> date | None:
        subscription = await asyncio.to_thread(
            self.parts.subscriptions.get, tenant_id, subscription_id)
        return await self.directory.last_bill_date(tenant_id, subscription.account_id)

    @maps_domain_errors
    async def ChangePlan(
        self, request: invoice_pb2.ChangePlanRequest, context: Context
    ) -> invoice_pb2.Subscription:
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        subscription_id = id_from_wire(request.subscription_id, "subscription_id")
        effective = day_or(request.effective_date, "effective_date", await self.today(tenant_id))
        subscription = await asyncio.to_thread(
            self.parts.subscriptions.change_plan, tenant_id, subscription_id,
            id_from_wire(request.plan_id, "plan_id"), effective,
            await self._not_before(tenant_id, subscription_id))
        return await self._subscription_reply(tenant_id, subscription)

    @maps_domain_errors
    async def CancelSubscription(
        self, request: invoice_pb2.CancelSubscriptionRequest, context: Context
    ) -> invoice_pb2.Subscription:
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        subscription_id = id_from_wire(request.subscription_id, "subscription_id")
        end = day_or(request.end_date, "end_date", await self.today(tenant_id))
        subscription = await asyncio.to_thread(
            self.parts.subscriptions.cancel, tenant_id, subscription_id, end,
            await self._not_before(tenant_id, subscription_id))
        return await self._subscription_reply(tenant_id, subscription)

    @maps_domain_errors
    async def AddDiscount(
        self, request: invoice_pb2.AddDiscountRequest, context: Context
    ) -> invoice_pb2.Subscription:
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        subscription = await asyncio.to_thread(
            self.parts.subscriptions.add_discount, tenant_id,
            id_from_wire(request.subscription_id, "subscription_id"), request.kind, request.value,
            request.cycles, request.description, await self.today(tenant_id))
        return await self._subscription_reply(tenant_id, subscription)

    @maps_domain_errors
    async def ListSubscriptions(
        self, request: invoice_pb2.ListSubscriptionsRequest, context: Context
    ) -> invoice_pb2.ListSubscriptionsResponse:
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        subscriptions = await asyncio.to_thread(
            self.parts.subscriptions.of_account, tenant_id,
            id_from_wire(request.account_id, "account_id"))
        today = await self.today(tenant_id)
        return invoice_pb2.ListSubscriptionsResponse(
            subscriptions=[subscription_to_proto(s, today) for s in subscriptions])

    @maps_domain_errors
    async def SetTaxRate(
        self, request: invoice_pb2.SetTaxRateRequest, context: Context
    ) -> invoice_pb2.TaxRegion:
        if not request.effective_from:
            raise InvalidTaxError("effective_from", "required")
        rate = TaxRate.parse(request.name, request.rate_percent, request.mode,
                             day_from_wire(request.effective_from, "effective_from"))
        region = await asyncio.to_thread(
            self.app.set_tax_rate, id_from_wire(request.tenant_id, "tenant_id"), request.region,
            rate)
        self.on_saved()
        return tax_region_to_proto(region)

    @maps_domain_errors
    async def ListTaxRegions(
        self, request: invoice_pb2.ListTaxRegionsRequest, context: Context
    ) -> invoice_pb2.ListTaxRegionsResponse:
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        codes = await self.directory.tax_regions_of(tenant_id)
        regions = await asyncio.to_thread(
            lambda: [self.app.tax_region(tenant_id, code) for code in codes])
        return invoice_pb2.ListTaxRegionsResponse(
            regions=[tax_region_to_proto(r) for r in regions if r is not None])

    @maps_domain_errors
    async def ConfigureBillingSchedule(
        self, request: invoice_pb2.ConfigureBillingScheduleRequest, context: Context
    ) -> invoice_pb2.BillingSchedule:
        schedule = await asyncio.to_thread(
            self.app.configure_schedule, id_from_wire(request.tenant_id, "tenant_id"),
            request.timezone, [(run.cycle_day, run.at) for run in request.runs])
        self.on_saved()
        return schedule_to_proto(schedule)

    @maps_domain_errors
    async def GetBillingSchedule(
        self, request: invoice_pb2.GetBillingScheduleRequest, context: Context
    ) -> invoice_pb2.BillingSchedule:
        schedule = await asyncio.to_thread(
            self.app.schedule_of, id_from_wire(request.tenant_id, "tenant_id"))
        return schedule_to_proto(schedule)

    @maps_domain_errors
    async def RunBilling(
        self, request: invoice_pb2.RunBillingRequest, context: Context
    ) -> invoice_pb2.BillRun:
        bill_run = await self.parts.bill_runner.run(
            id_from_wire(request.tenant_id, "tenant_id"), request.bill_date)
        return bill_run_to_proto(bill_run)

    @maps_domain_errors
    async def GetBillRun(
        self, request: invoice_pb2.GetBillRunRequest, context: Context
    ) -> invoice_pb2.BillRun:
        bill_run = await asyncio.to_thread(
            self.app.get_bill_run, id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.bill_run_id, "bill_run_id"))
        return bill_run_to_proto(bill_run)

    @maps_domain_errors
    async def ListBillRuns(
        self, request: invoice_pb2.ListBillRunsRequest, context: Context
    ) -> invoice_pb2.ListBillRunsResponse:
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        ids = await self.directory.bill_runs_of(tenant_id)
        runs = await asyncio.to_thread(
            lambda: [self.app.load(BillRun, tenant_id, bill_run_id) for bill_run_id in ids])
        return invoice_pb2.ListBillRunsResponse(
            bill_runs=[bill_run_to_proto(r) for r in runs if r is not None])
