"""Accounts: a customer subscribed to a plan, billed in one currency and timezone."""

from __future__ import annotations

import re
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from eventsourcing.domain import event

from kernel.eventstore import TenantAggregate
from services.invoice.domain.errors import AccountNotActiveError, InvalidAccountError

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_account_fields(name: str, billing_email: str, timezone: str) -> str:
    """Validate the customer fields; return the timezone (UTC when empty)."""
    if not name.strip():
        raise InvalidAccountError("name", "must not be empty")
    if not EMAIL.match(billing_email):
        raise InvalidAccountError("billing_email", "not an email address")
    zone = timezone or "UTC"
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidAccountError("timezone", f"unknown timezone {zone!r}") from None
    return zone


class Account(TenantAggregate):
    """A billed customer of a tenant, subscribed to one plan."""

    @event("Opened")
    def __init__(
        self,
        tenant_id: UUID,
        name: str,
        billing_email: str,
        currency: str,
        plan_id: UUID,
        timezone: str,
    ) -> None:
        self.tenant_id = tenant_id
        self.name = name
        self.billing_email = billing_email
        self.currency = currency
        self.plan_id = plan_id
        self.timezone = timezone
        self.status = "active"
        self.identities: list[str] = []

    def check_is_active(self) -> None:
        """Only an active account takes new subscriber identities."""
        if self.status != "active":
            raise AccountNotActiveError(f"account {self.id} is {self.status}")

    def add_identity(self, identity: str) -> None:
        """The account is now named by this subscriber identity too."""
        if identity not in self.identities:
            self._identity_added(identity=identity)

    @event("IdentityAdded")
    def _identity_added(self, identity: str) -> None:
        self.identities.append(identity)

    def remove_identity(self, identity: str) -> None:
        """The subscriber identity no longer names the account."""
        if identity in self.identities:
            self._identity_removed(identity=identity)

    @event("IdentityRemoved")
    def _identity_removed(self, identity: str) -> None:
        self.identities.remove(identity)
