"""gRPC edge of the invoice service: protobuf in, domain calls, protobuf out."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from uuid import UUID

import grpc
from billing.common.v1 import common_pb2
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc

from kernel.errors import InvalidInputError
from kernel.grpc import maps_domain_errors
from kernel.wire import history_to_proto, id_from_wire, money_to_proto
from services.invoice.application import InvoiceApplication
from services.invoice.bill_runs import BillRunner
from services.invoice.directory import Directory
from services.invoice.domain.accounts import Account
from services.invoice.domain.catalog import Plan, UsagePrice
from services.invoice.domain.invoices import Invoice
from services.invoice.rating_client import RatePlans

Context = grpc.aio.ServicerContext


def prices_to_proto(prices: list[UsagePrice]) -> list[invoice_pb2.UsagePrice]:
    """Usage prices on the wire."""
    return [invoice_pb2.UsagePrice(service_type=p.service_type, unit=p.unit,
                                   unit_price=str(p.unit_price)) for p in prices]


def plan_to_proto(plan: Plan) -> invoice_pb2.Plan:
    """A plan on the wire."""
    return invoice_pb2.Plan(
        plan_id=str(plan.id), name=plan.name, currency=plan.currency,
        recurring_fee=money_to_proto(plan.recurring_fee), usage_prices=prices_to_proto(plan.prices()),
        rate_plan_id=str(plan.rate_plan_id or ""),
    )


def account_to_proto(account: Account) -> invoice_pb2.Account:
    """An account on the wire."""
    return invoice_pb2.Account(
        account_id=str(account.id), name=account.name, billing_email=account.billing_email,
        currency=account.currency, plan_id=str(account.plan_id), timezone=account.timezone,
        status=account.status, identities=list(account.identities),
    )


def invoice_to_proto(invoice: Invoice) -> invoice_pb2.Invoice:
    """An invoice on the wire."""
    return invoice_pb2.Invoice(
        invoice_id=str(invoice.id), account_id=str(invoice.account_id), number=invoice.number,
        status=invoice.status, period_start=invoice.period_start.isoformat(),
        period_end=invoice.period_end.isoformat(),
        lines=[
            invoice_pb2.InvoiceLine(
                kind=line.kind, description=line.description, service_type=line.service_type,
                quantity=str(line.quantity), unit=line.unit, amount=money_to_proto(line.amount),
                record_count=line.record_count, digest=line.digest,
            )
            for line in invoice.invoice_lines()
        ],
        total=money_to_proto(invoice.total), amount_paid=money_to_proto(invoice.amount_paid),
        amount_due=money_to_proto(invoice.amount_due), billing_email=invoice.billing_email,
        account_name=invoice.account_name,
        finalized_at=invoice.finalized_at.isoformat() if invoice.finalized_at else "",
    )


class InvoiceServicer(invoice_pb2_grpc.InvoiceServiceServicer):
    """Plans, accounts, bill runs and invoices over gRPC."""

    def __init__(
        self, app: InvoiceApplication, directory: Directory, bill_runner: BillRunner,
        on_saved: Callable[[], None], rate_plans: RatePlans,
    ) -> None:
        self.app = app
        self.directory = directory
        self.bill_runner = bill_runner
        self.on_saved = on_saved
        self.rate_plans = rate_plans

    async def _checked_rate_plan(
        self, tenant_id: UUID, text: str, currency: str
    ) -> UUID | None:
        """The rate plan a new plan names: it must exist and price in the plan's currency."""
        if not text:
            return None
        rate_plan_id = id_from_wire(text, "rate_plan_id")
        found = await self.rate_plans.currency_of(tenant_id, rate_plan_id)
        if found is None:
            raise InvalidInputError("rate_plan_id", "unknown_rate_plan")
        if found != currency:
            raise InvalidInputError("rate_plan_id", f"prices_in_{found}_not_{currency}")
        return rate_plan_id

    @maps_domain_errors
    async def CreatePlan(
        self, request: invoice_pb2.CreatePlanRequest, context: Context
    ) -> invoice_pb2.Plan:
        prices = [(p.service_type, p.unit, p.unit_price) for p in request.usage_prices]
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        rate_plan_id = await self._checked_rate_plan(tenant_id, request.rate_plan_id,
                                                     request.currency)
        plan = await asyncio.to_thread(
            self.app.create_plan, tenant_id, request.name, request.currency,
            request.recurring_fee, prices, rate_plan_id,
        )
        self.on_saved()
        return plan_to_proto(plan)

    @maps_domain_errors
    async def GetPlan(self, request: invoice_pb2.GetPlanRequest, context: Context) -> invoice_pb2.Plan:
        plan = await asyncio.to_thread(
            self.app.get_plan, id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.plan_id, "plan_id"),
        )
        return plan_to_proto(plan)

    @maps_domain_errors
    async def OpenAccount(
        self, request: invoice_pb2.OpenAccountRequest, context: Context
    ) -> invoice_pb2.Account:
        account = await asyncio.to_thread(
            self.app.open_account, id_from_wire(request.tenant_id, "tenant_id"), request.name,
            request.billing_email, id_from_wire(request.plan_id, "plan_id"), request.timezone,
            request.currency, list(request.identities),
        )
        self.on_saved()
        return account_to_proto(account)

    @maps_domain_errors
    async def GetAccount(
        self, request: invoice_pb2.GetAccountRequest, context: Context
    ) -> invoice_pb2.Account:
        account = await asyncio.to_thread(
            self.app.get_account, id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.account_id, "account_id"),
        )
        return account_to_proto(account)

    @maps_domain_errors
    async def AssignIdentity(
        self, request: invoice_pb2.AssignIdentityRequest, context: Context
    ) -> invoice_pb2.Account:
        account = await asyncio.to_thread(
            self.app.assign_identity, id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.account_id, "account_id"), request.identity,
        )
        self.on_saved()
        return account_to_proto(account)

    @maps_domain_errors
    async def ReleaseIdentity(
        self, request: invoice_pb2.ReleaseIdentityRequest, context: Context
    ) -> invoice_pb2.Account:
        account = await asyncio.to_thread(
            self.app.release_identity, id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.account_id, "account_id"), request.identity,
        )
        self.on_saved()
        return account_to_proto(account)

    @maps_domain_errors
    async def ResolveIdentities(
        self, request: invoice_pb2.ResolveIdentitiesRequest, context: Context
    ) -> invoice_pb2.ResolveIdentitiesResponse:
        identities = list(dict.fromkeys(request.identities))
        resolved = await asyncio.to_thread(
            self.app.resolve_identities, id_from_wire(request.tenant_id, "tenant_id"), identities
        )
        return invoice_pb2.ResolveIdentitiesResponse(
            resolved=[
                invoice_pb2.ResolvedIdentity(identity=text, account_id=str(resolved[text]))
                for text in identities if text in resolved
            ],
            unknown=[text for text in identities if text not in resolved],
        )

    @maps_domain_errors
    async def GetRatingContext(
        self, request: invoice_pb2.GetRatingContextRequest, context: Context
    ) -> invoice_pb2.GetRatingContextResponse:
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        return await asyncio.to_thread(self._rating_context, tenant_id, list(request.account_ids))

    def _account_or_none(self, tenant_id: UUID, text: str) -> Account | None:
        try:
            account_id = UUID(text)
        except ValueError:
            return None
        return self.app.load(Account, tenant_id, account_id)

    def _rating_context(
        self, tenant_id: UUID, account_ids: list[str]
    ) -> invoice_pb2.GetRatingContextResponse:
        response = invoice_pb2.GetRatingContextResponse()
        plans: dict[UUID, Plan] = {}
        for text in dict.fromkeys(account_ids):
            account = self._account_or_none(tenant_id, text)
            if account is None:
                response.unknown_account_ids.append(text)
                continue
            if account.plan_id not in plans:
                plans[account.plan_id] = self.app.get_plan(account.tenant_id, account.plan_id)
            response.contexts.append(invoice_pb2.RatingContext(
                account_id=text, plan_id=str(account.plan_id), currency=account.currency,
                usage_prices=prices_to_proto(plans[account.plan_id].prices()),
                rate_plan_id=str(plans[account.plan_id].rate_plan_id or ""),
                timezone=account.timezone,
            ))
        return response

    @maps_domain_errors
    async def RunBilling(
        self, request: invoice_pb2.RunBillingRequest, context: Context
    ) -> invoice_pb2.BillRun:
        result = await self.bill_runner.run(
            id_from_wire(request.tenant_id, "tenant_id"), request.period_start, request.period_end
        )
        bill_run = result.bill_run
        return invoice_pb2.BillRun(
            bill_run_id=str(bill_run.id), period_start=bill_run.period_start.isoformat(),
            period_end=bill_run.period_end.isoformat(), status=bill_run.status,
            invoices_created=len(result.created),
            invoices_already_present=len(result.already_present),
            invoice_ids=[str(i) for i in [*result.created, *result.already_present]],
        )

    @maps_domain_errors
    async def GetInvoice(
        self, request: invoice_pb2.GetInvoiceRequest, context: Context
    ) -> invoice_pb2.Invoice:
        invoice = await asyncio.to_thread(
            self.app.get_invoice, id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.invoice_id, "invoice_id"),
        )
        return invoice_to_proto(invoice)

    @maps_domain_errors
    async def ListInvoices(
        self, request: invoice_pb2.ListInvoicesRequest, context: Context
    ) -> invoice_pb2.ListInvoicesResponse:
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        account = await asyncio.to_thread(
            self.app.get_account, tenant_id, id_from_wire(request.account_id, "account_id")
        )
        invoice_ids = await self.directory.invoices_of(tenant_id, account.id)
        invoices = await asyncio.to_thread(
            lambda: [self.app.get_invoice(tenant_id, invoice_id) for invoice_id in invoice_ids]
        )
        return invoice_pb2.ListInvoicesResponse(invoices=[invoice_to_proto(i) for i in invoices])

    @maps_domain_errors
    async def GetHistory(
        self, request: common_pb2.GetHistoryRequest, context: Context
    ) -> common_pb2.History:
        aggregate_id = id_from_wire(request.aggregate_id, "aggregate_id")
        events = await asyncio.to_thread(
            self.app.history, id_from_wire(request.tenant_id, "tenant_id"),
            request.aggregate_type, aggregate_id,
        )
        return history_to_proto(request.aggregate_type, aggregate_id, events)
