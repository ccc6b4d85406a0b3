"""Support policy: how soon each tenant's staff must first answer a query (24 hours until configured)."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from eventsourcing.domain import event

from kernel.eventstore import TenantAggregate
from kernel.ids import derived_id
from services.support.domain.errors import InvalidQueryError

DEFAULT_RESPONSE_TARGET_HOURS = 24
MAX_RESPONSE_TARGET_HOURS = 720


def check_response_target_hours(hours: int) -> None:
    """From 1 hour to 30 days."""
    if not 1 <= hours <= MAX_RESPONSE_TARGET_HOURS:
        raise InvalidQueryError("response_target_hours", f"must_be_between_1_and_{MAX_RESPONSE_TARGET_HOURS}")


class SupportPolicy(TenantAggregate):
    """A tenant's response target for billing queries."""

    @staticmethod
    def create_id(tenant_id: UUID) -> UUID:
        """One policy per tenant."""
        return derived_id(tenant_id, "support-policy")

    @event("Created")
    def __init__(self, tenant_id: UUID) -> None:
        self.tenant_id = tenant_id
        self.response_target_hours = DEFAULT_RESPONSE_TARGET_HOURS

    def configure(self, response_target_hours: int) -> None:
        """Queries opened from now on must be answered within this many hours."""
        check_response_target_hours(response_target_hours)
        self._configured(response_target_hours=response_target_hours)

    @event("Configured")
    def _configured(self, response_target_hours: int) -> None:
        self.response_target_hours = response_target_hours


def response_target(policy: SupportPolicy | None) -> timedelta:
    """The tenant's response target: its policy's, or the default."""
    hours = DEFAULT_RESPONSE_TARGET_HOURS if policy is None else policy.response_target_hours
    return timedelta(hours=hours)
