"""The support application: queries and support policies stored as events (synchronous)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from kernel.errors import ConflictError, NotFoundError
from kernel.eventstore import BillingApplication, TenantAggregate
from services.support.domain.errors import InvalidQueryError, QueryNotFoundError
from services.support.domain.policy import SupportPolicy
from services.support.domain.queries import Query

AGGREGATE_TYPES: dict[str, type[TenantAggregate]] = {"query": Query, "support_policy": SupportPolicy}
SAVE_ATTEMPTS = 5
T = TypeVar("T")


class ConcurrentChangeError(ConflictError):
    """Others kept changing the same query while this change was retried."""

    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(f"{aggregate_id} kept changing concurrently; try again")


class SupportApplication(BillingApplication):
    """Billing queries and each tenant's support policy."""

    def load(self, kind: type[TenantAggregate], tenant_id: UUID, aggregate_id: UUID) -> Any:
        """The tenant's aggregate of that kind, or None (another tenant's is None too)."""
        try:
            found: Any = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        if not isinstance(found, kind) or not found.belongs_to(tenant_id):
            return None
        return found

    def find_query(self, tenant_id: UUID, query_id: UUID) -> Query | None:
        """The tenant's query, or None."""
        found: Query | None = self.load(Query, tenant_id, query_id)
        return found

    def get_query(self, tenant_id: UUID, query_id: UUID) -> Query:
        """The tenant's query."""
        query = self.find_query(tenant_id, query_id)
        if query is None:
            raise QueryNotFoundError(query_id)
        return query

    def policy(self, tenant_id: UUID) -> SupportPolicy | None:
        """The tenant's support policy, None until configured."""
        found: SupportPolicy | None = self.load(SupportPolicy, tenant_id, SupportPolicy.create_id(tenant_id))
        return found

    def change_query(self, tenant_id: UUID, query_id: UUID, verb: Callable[[Query], None]) -> Query:
        """Load the query, apply one verb, save; a concurrent save is retried on the newer version."""
        for _ in range(SAVE_ATTEMPTS):
            query = self.get_query(tenant_id, query_id)
            verb(query)
            if not query.pending_events:
                return query
            try:
                self.save(query)
            except IntegrityError:
                continue
            return query
        raise ConcurrentChangeError(query_id)

    def configure_policy(self, tenant_id: UUID, response_target_hours: int) -> SupportPolicy:
        """Replace the tenant's response target; a concurrent change is retried."""
        for _ in range(SAVE_ATTEMPTS):
            policy = self.policy(tenant_id) or SupportPolicy(tenant_id=tenant_id)
            policy.configure(response_target_hours)
            try:
                self.save(policy)
            except IntegrityError:
                continue
            return policy
        raise ConcurrentChangeError(SupportPolicy.create_id(tenant_id))

    def history(self, tenant_id: UUID, aggregate_type: str, aggregate_id: UUID) -> list[Any]:
        """An aggregate's events, oldest first, for auditors."""
        kind = AGGREGATE_TYPES.get(aggregate_type)
        if kind is None:
            raise InvalidQueryError("aggregate_type", f"one_of_{'_'.join(sorted(AGGREGATE_TYPES))}")
        if self.load(kind, tenant_id, aggregate_id) is None:
            raise NotFoundError(f"{aggregate_type} {aggregate_id} not found")
        return list(self.events.get(aggregate_id))
