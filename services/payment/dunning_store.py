"""Dunning policies and records in the payment event store (synchronous: call it through a thread)."""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from kernel.errors import ConflictError
from kernel.eventstore import BillingApplication, TenantAggregate
from services.payment.domain.dunning import Dunning
from services.payment.domain.dunning_policy import DunningPolicy, DunningTerms, terms_of

T = TypeVar("T", bound=TenantAggregate)
CONFIGURE_ATTEMPTS = 3


class PolicyChangedConcurrentlyError(ConflictError):
    """The tenant's dunning policy kept changing while this change was being saved."""

    def __init__(self, tenant_id: UUID) -> None:
        super().__init__(f"the dunning policy of tenant {tenant_id} changed concurrently; try again")


class DunningStore:
    """Loads and saves DunningPolicy and Dunning aggregates through the payment application."""

    def __init__(self, app: BillingApplication) -> None:
        self.app = app

    def load(self, kind: type[T], tenant_id: UUID, aggregate_id: UUID) -> T | None:
        """The tenant's aggregate of that kind, or None (another tenant's is None too)."""
        try:
            aggregate: Any = self.app.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        if not isinstance(aggregate, kind) or not aggregate.belongs_to(tenant_id):
            return None
        return aggregate

    def terms_of(self, tenant_id: UUID) -> DunningTerms:
        """The terms the tenant dunns by (the default until configured)."""
        return terms_of(self.load(DunningPolicy, tenant_id, DunningPolicy.create_id(tenant_id)))

    def configure(self, tenant_id: UUID, terms: DunningTerms) -> DunningTerms:
        """Replace the tenant's policy; a concurrent change is retried on the newer version."""
        for _ in range(CONFIGURE_ATTEMPTS):
            policy = self.load(DunningPolicy, tenant_id, DunningPolicy.create_id(tenant_id))
            if policy is None:
                policy = DunningPolicy(tenant_id=tenant_id)
            policy.configure(terms)
            try:
                self.app.save(policy)
            except IntegrityError:
                continue
            return policy.terms
        raise PolicyChangedConcurrentlyError(tenant_id)

    def find_dunning(self, tenant_id: UUID, account_id: UUID) -> Dunning | None:
        """The account's dunning record, None when it was never overdue."""
        return self.load(Dunning, tenant_id, Dunning.create_id(tenant_id, account_id))

    def dunning_of(self, tenant_id: UUID, account_id: UUID) -> Dunning:
        """The account's dunning record, a new one (not yet saved) when it was never overdue."""
        found = self.find_dunning(tenant_id, account_id)
        return Dunning(tenant_id=tenant_id, account_id=account_id) if found is None else found

    def save(self, dunning: Dunning) -> None:
        """Save the record's new events (IntegrityError when another save got there first)."""
        self.app.save(dunning)
