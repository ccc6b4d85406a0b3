"""Actors: who wrote or did something on a query, a customer or a member of staff."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from services.support.domain.errors import InvalidQueryError
from services.support.domain.texts import MAX_LINE, check_text

CUSTOMER = "customer"
STAFF_ROLES = frozenset({"admin", "operator", "support"})
"""Roles that answer, assign and decide queries."""
ROLES = STAFF_ROLES | {CUSTOMER}


@dataclass(frozen=True)
class Actor:
    """Who acted: a customer (id = their account id) or staff (id = their API key id)."""

    role: str
    id: str

    @property
    def is_staff(self) -> bool:
        """Admin, operator or support."""
        return self.role in STAFF_ROLES

    def speaks_for(self, account_id: UUID) -> bool:
        """Staff speak for any account; a customer only for their own."""
        return self.is_staff or self.id == str(account_id)

    def check(self, field: str) -> None:
        """A known role and an id."""
        if self.role not in ROLES:
            raise InvalidQueryError(f"{field}.role", f"one_of_{'_'.join(sorted(ROLES))}")
        check_text(f"{field}.id", self.id, MAX_LINE)

    def check_is_staff(self, field: str) -> None:
        """Only staff may do this."""
        self.check(field)
        if not self.is_staff:
            raise InvalidQueryError(f"{field}.role", "staff_only")

    def as_dict(self) -> dict[str, str]:
        """The stored form (permanent event schema)."""
        return {"role": self.role, "id": self.id}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Actor:
        """Rebuild from the stored form."""
        return cls(role=data["role"], id=data["id"])
