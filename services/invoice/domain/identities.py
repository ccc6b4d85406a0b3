"""Subscriber identities: the names usage records give a customer (E.164 number, username, circuit id).

One identity text maps to at most one SubscriberIdentity per tenant (the aggregate id is derived from
the tenant and the text), and so to at most one account at a time.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from kernel.eventstore import TenantAggregate
from kernel.ids import derived_id
from services.invoice.domain.errors import IdentityStillAssignedError, InvalidIdentityError

MAX_IDENTITY_LENGTH = 64


def parse_identity(text: str, field: str = "identity") -> str:
    """The identity as stored: stripped, 1..64 printable characters without whitespace."""
    identity = text.strip()
    if not identity:
        raise InvalidIdentityError(field, "must not be empty")
    if len(identity) > MAX_IDENTITY_LENGTH:
        raise InvalidIdentityError(field, f"at most {MAX_IDENTITY_LENGTH} characters")
    if any(char.isspace() for char in identity):
        raise InvalidIdentityError(field, "must not contain whitespace")
    if not identity.isprintable():
        raise InvalidIdentityError(field, "must contain printable characters only")
    return identity


def parse_identities(texts: list[str], field: str = "identities") -> list[str]:
    """Several identities, each valid and none repeated; errors name the position."""
    identities: list[str] = []
    for index, text in enumerate(texts):
        identity = parse_identity(text, f"{field}[{index}]")
        if identity in identities:
            raise InvalidIdentityError(
                f"{field}[{index}]", f"repeats {field}[{identities.index(identity)}]"
            )
        identities.append(identity)
    return identities


class SubscriberIdentity(TenantAggregate):
    """Which account of the tenant an identity names, if any."""

    @staticmethod
    def create_id(tenant_id: UUID, identity: str) -> UUID:
        """One aggregate per tenant and identity text, enforced by the id."""
        return derived_id(tenant_id, "subscriber-identity", identity)

    @event("Assigned")
    def __init__(self, tenant_id: UUID, identity: str, account_id: UUID) -> None:
        self.tenant_id = tenant_id
        self.identity = identity
        self.account_id = account_id
        self.assigned = True

    def is_assigned_to(self, account_id: UUID) -> bool:
        """True when the identity currently names this account."""
        return self.assigned and self.account_id == account_id

    def release(self) -> None:
        """The identity no longer names its account (e.g. the number was ported out)."""
        if self.assigned:
            self._released(account_id=self.account_id)

    @event("Released")
    def _released(self, account_id: UUID) -> None:
        self.assigned = False

    def reassign(self, account_id: UUID) -> None:
        """Give a released identity to an account."""
        if self.assigned:
            raise IdentityStillAssignedError(
                f"identity {self.identity!r} must be released before it is reassigned"
            )
        self._reassigned(account_id=account_id)

    @event("Reassigned")
    def _reassigned(self, account_id: UUID) -> None:
        self.account_id = account_id
        self.assigned = True
