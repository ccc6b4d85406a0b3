"""gRPC edge of the invoice service: protobuf in, domain calls, protobuf out."""

from __future__ import annotations

import asyncio
from uuid import UUID

from billing.common.v1 import common_pb2
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc

from kernel.errors import InvalidInputError
from kernel.grpc import maps_domain_errors
from kernel.ids import id_or_none
from kernel.wire import history_to_proto, id_from_wire, money_from_proto, money_to_proto
from services.invoice.application import AccountOpening
from services.invoice.domain.accounts import Account, OneTimeCharge
from services.invoice.domain.catalog import Plan
from services.invoice.grpc_billing import BillingRpcs, Context, day_or, optional_id
from services.invoice.grpc_documents import DocumentRpcs
from services.invoice.grpc_explanations import ExplanationRpcs
from services.invoice.servicer_parts import ServicerParts
from services.invoice.wire import (
    account_to_proto,
    details_from_proto,
    plan_to_proto,
    prices_to_proto,
)


class InvoiceServicer(BillingRpcs, DocumentRpcs, ExplanationRpcs, invoice_pb2_grpc.InvoiceServiceServicer):
    """Plans, accounts, subscriptions, bill runs, invoices and credit notes over gRPC."""

    def __init__(self, parts: ServicerParts) -> None:
        self.parts = parts
        self.app = parts.app
        self.directory = parts.directory
        self.on_saved = parts.on_saved
        self.rate_plans = parts.rate_plans

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
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        today = await self.today(tenant_id)
        opening = AccountOpening(
            name=request.name, billing_email=request.billing_email,
            plan_id=id_from_wire(request.plan_id, "plan_id"), timezone=request.timezone,
            currency=request.currency, identities=list(request.identities),
            details=details_from_proto(request.details), bill_cycle_day=request.bill_cycle_day,
            parent_id=optional_id(request.parent_account_id, "parent_account_id"),
            start_date=day_or(request.start_date, "start_date", today),
        )
        account = await asyncio.to_thread(self.app.open_account, tenant_id, opening)
        self.on_saved()
        return account_to_proto(account, self.parts.clock.now())

    @maps_domain_errors
    async def UpdateBillingDetails(
        self, request: invoice_pb2.UpdateBillingDetailsRequest, context: Context
    ) -> invoice_pb2.Account:
        account = await asyncio.to_thread(
            self.app.update_billing_details, id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.account_id, "account_id"), request.name, request.billing_email,
            details_from_proto(request.details),
        )
        self.on_saved()
        return account_to_proto(account, self.parts.clock.now())

    @maps_domain_errors
    async def ChangeAccountStatus(
        self, request: invoice_pb2.ChangeAccountStatusRequest, context: Context
    ) -> invoice_pb2.Account:
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        account_id = id_from_wire(request.account_id, "account_id")
        effective = day_or(request.effective_date, "effective_date", await self.today(tenant_id))
        not_before = await self.directory.last_bill_date(tenant_id, account_id)
        account = await asyncio.to_thread(
            self.app.change_status, tenant_id, account_id, request.action, effective,
            request.reason, not_before,
        )
        self.on_saved()
        return account_to_proto(account, self.parts.clock.now())

    @maps_domain_errors
    async def AddCharge(
        self, request: invoice_pb2.AddChargeRequest, context: Context
    ) -> invoice_pb2.Charge:
        tenant_id = id_from_wire(request.tenant_id, "tenant_id")
        charge = OneTimeCharge(
            charge_id=request.charge_id, description=request.description,
            amount=money_from_proto(request.amount, "amount"),
            charge_date=day_or(request.charge_date, "charge_date", await self.today(tenant_id)),
        )
        account = await asyncio.to_thread(
            self.app.add_charge, tenant_id, id_from_wire(request.account_id, "account_id"), charge)
        self.on_saved()
        stored = account.charges[charge.charge_id]
        return invoice_pb2.Charge(
            charge_id=stored.charge_id, account_id=str(account.id), description=stored.description,
            amount=money_to_proto(stored.amount), charge_date=stored.charge_date.isoformat())

    @maps_domain_errors
    async def GetAccount(
        self, request: invoice_pb2.GetAccountRequest, context: Context
    ) -> invoice_pb2.Account:
        account = await asyncio.to_thread(
            self.app.get_account, id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.account_id, "account_id"),
        )
        return account_to_proto(account, self.parts.clock.now())

    @maps_domain_errors
    async def AssignIdentity(
        self, request: invoice_pb2.AssignIdentityRequest, context: Context
    ) -> invoice_pb2.Account:
        account = await asyncio.to_thread(
            self.app.assign_identity, id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.account_id, "account_id"), request.identity,
        )
        self.on_saved()
        return account_to_proto(account, self.parts.clock.now())

    @maps_domain_errors
    async def ReleaseIdentity(
        self, request: invoice_pb2.ReleaseIdentityRequest, context: Context
    ) -> invoice_pb2.Account:
        account = await asyncio.to_thread(
            self.app.release_identity, id_from_wire(request.tenant_id, "tenant_id"),
            id_from_wire(request.account_id, "account_id"), request.identity,
        )
        self.on_saved()
        return account_to_proto(account, self.parts.clock.now())

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

    def _rating_context(
        self, tenant_id: UUID, account_ids: list[str]
    ) -> invoice_pb2.GetRatingContextResponse:
        response = invoice_pb2.GetRatingContextResponse()
        accounts = self.app.load_many(Account, tenant_id, [
            account_id for account_id in map(id_or_none, account_ids) if account_id is not None])
        plans: dict[UUID, Plan] = {}
        for text in dict.fromkeys(account_ids):
            account_id = id_or_none(text)
            account = accounts.get(account_id) if account_id is not None else None
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
    async def GetHistory(
        self, request: common_pb2.GetHistoryRequest, context: Context
    ) -> common_pb2.History:
        aggregate_id = id_from_wire(request.aggregate_id, "aggregate_id")
        events = await asyncio.to_thread(
            self.app.history, id_from_wire(request.tenant_id, "tenant_id"),
            request.aggregate_type, aggregate_id,
        )
        return history_to_proto(request.aggregate_type, aggregate_id, events)
