"""Subscription use cases: subscribe, change plan, cancel, discount (load, one verb, save)."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError

from services.invoice.application import InvoiceApplication
from services.invoice.domain.accounts import Account
from services.invoice.domain.catalog import Plan
from services.invoice.domain.cycles import period_containing
from services.invoice.domain.errors import (
    AccountChangedConcurrentlyError,
    InvalidSubscriptionError,
    OverlappingSubscriptionError,
    SubscriptionNotFoundError,
)
from services.invoice.domain.subscriptions import Discount, Subscription


class Subscriptions:
    """Subscriptions of a tenant's accounts."""

    def __init__(self, app: InvoiceApplication) -> None:
        self.app = app

    def get(self, tenant_id: UUID, subscription_id: UUID) -> Subscription:
        """The tenant's subscription."""
        subscription = self.app.load(Subscription, tenant_id, subscription_id)
        if subscription is None:
            raise SubscriptionNotFoundError(subscription_id)
        return subscription

    def of_account(self, tenant_id: UUID, account_id: UUID) -> list[Subscription]:
        """The account's subscriptions, oldest first."""
        account = self.app.get_account(tenant_id, account_id)
        return [self.get(tenant_id, i) for i in account.subscription_ids]

    def _plan(self, tenant_id: UUID, plan_id: UUID, account: Account) -> Plan:
        plan = self.app.load(Plan, tenant_id, plan_id)
        if plan is None:
            raise InvalidSubscriptionError("plan_id", "no such plan")
        if plan.currency != account.currency:
            raise InvalidSubscriptionError(
                "plan_id", f"the plan bills in {plan.currency}, the account in {account.currency}")
        return plan

    def subscribe(
        self, tenant_id: UUID, account_id: UUID, plan_id: UUID, start: date,
        not_before: date | None,
    ) -> Subscription:
        """Subscribe the account to a plan from a date (no overlap with the same plan)."""
        account = self.app.get_account(tenant_id, account_id)
        account.check_is_active()
        plan = self._plan(tenant_id, plan_id, account)
        if not_before is not None and start < not_before:
            raise InvalidSubscriptionError(
                "start_date", f"the account was billed up to {not_before.isoformat()}")
        for existing in self.of_account(tenant_id, account_id):
            same_plan = any(segment.plan_id == plan.id for segment in existing.timeline())
            if same_plan and existing.overlaps(start, None):
                raise OverlappingSubscriptionError(
                    f"subscription {existing.id} to {plan.name} runs on those dates")
        subscription = Subscription(tenant_id=tenant_id, account_id=account.id, plan_id=plan.id,
                                    plan_name=plan.name, recurring_fee=plan.recurring_fee,
                                    start_date=start)
        account.add_subscription(subscription.id)
        try:
            self.app.save(account, subscription)
        except IntegrityError:
            raise AccountChangedConcurrentlyError(
                "the account changed concurrently; try again") from None
        return subscription

    def change_plan(
        self, tenant_id: UUID, subscription_id: UUID, plan_id: UUID, effective: date,
        not_before: date | None,
    ) -> Subscription:
        """Upgrade or downgrade from a date."""
        subscription = self.get(tenant_id, subscription_id)
        account = self.app.get_account(tenant_id, subscription.account_id)
        account.check_is_not_closed()
        plan = self._plan(tenant_id, plan_id, account)
        subscription.change_plan(plan.id, plan.name, plan.recurring_fee, effective, not_before)
        self.app.save(subscription)
        return subscription

    def cancel(
        self, tenant_id: UUID, subscription_id: UUID, end: date, not_before: date | None
    ) -> Subscription:
        """End the subscription on a date (the first day not billed)."""
        subscription = self.get(tenant_id, subscription_id)
        self.app.get_account(tenant_id, subscription.account_id).check_is_not_closed()
        subscription.cancel(end, not_before)
        self.app.save(subscription)
        return subscription

    def add_discount(
        self, tenant_id: UUID, subscription_id: UUID, kind: str, value: str, cycles: int,
        description: str, today: date,
    ) -> Subscription:
        """Discount the next `cycles` cycles charged (from the cycle after today's)."""
        subscription = self.get(tenant_id, subscription_id)
        account = self.app.get_account(tenant_id, subscription.account_id)
        account.check_is_not_closed()
        first = period_containing(today, account.bill_cycle_day).end
        discount = Discount.parse(str(uuid4()), kind, value, cycles, description, first,
                                  account.currency)
        subscription.add_discount(discount)
        self.app.save(subscription)
        return subscription
