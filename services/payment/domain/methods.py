"""Payment methods on file: gateway tokens an account lets us charge (never card numbers)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from kernel.eventstore import TenantAggregate
from kernel.ids import derived_id
from services.payment.domain.errors import InvalidPaymentError, PaymentMethodNotFoundError

MAX_METHODS = 10
MAX_TOKEN_LENGTH = 200


def wallet_id(tenant_id: UUID, account_id: UUID) -> UUID:
    """The one wallet of an account."""
    return derived_id(tenant_id, "wallet", account_id)


@dataclass(frozen=True)
class StoredMethod:
    """A card the gateway holds for the account: its token and what the gateway says about it."""

    method_id: UUID
    token: str
    provider: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int

    def as_dict(self) -> dict[str, Any]:
        """As stored in the Added event."""
        return {**asdict(self), "method_id": str(self.method_id)}


def check_token(token: str) -> str:
    """A gateway token is short printable text, never a card number."""
    token = token.strip()
    if not token or len(token) > MAX_TOKEN_LENGTH or not token.isprintable():
        raise InvalidPaymentError("token", "not_a_gateway_token")
    if token.replace(" ", "").isdigit():
        raise InvalidPaymentError("token", "card_numbers_are_never_accepted")
    return token


class Wallet(TenantAggregate):
    """The payment methods an account keeps on file, one of them the default for automatic charges."""

    @staticmethod
    def create_id(tenant_id: UUID, account_id: UUID) -> UUID:
        """One wallet per account."""
        return wallet_id(tenant_id, account_id)

    @event("Opened")
    def __init__(self, tenant_id: UUID, account_id: UUID) -> None:
        self.tenant_id = tenant_id
        self.account_id = account_id
        self.methods: dict[UUID, StoredMethod] = {}
        self.default_id: UUID | None = None

    @property
    def default(self) -> StoredMethod | None:
        """The method automatic charges use."""
        return self.methods.get(self.default_id) if self.default_id else None

    def method(self, method_id: UUID) -> StoredMethod:
        """A stored method of this account."""
        found = self.methods.get(method_id)
        if found is None:
            raise PaymentMethodNotFoundError(method_id)
        return found

    def add(self, method: StoredMethod, make_default: bool) -> bool:
        """Keep a method on file (once per method id); the first one becomes the default."""
        if method.method_id in self.methods:
            return False
        if len(self.methods) >= MAX_METHODS:
            raise InvalidPaymentError("token", f"at_most_{MAX_METHODS}_methods_per_account")
        self._added(method=method.as_dict(), default=make_default or not self.methods)
        return True

    def remove(self, method_id: UUID) -> None:
        """Forget a method; when it was the default, the newest remaining one becomes the default."""
        self.method(method_id)
        self._removed(method_id=method_id)

    def choose_default(self, method_id: UUID) -> None:
        """Automatic charges use this method from now on."""
        self.method(method_id)
        if self.default_id != method_id:
            self._default_chosen(method_id=method_id)

    @event("MethodAdded")
    def _added(self, method: dict[str, Any], default: bool) -> None:
        stored = StoredMethod(**{**method, "method_id": UUID(method["method_id"])})
        self.methods[stored.method_id] = stored
        if default:
            self.default_id = stored.method_id

    @event("MethodRemoved")
    def _removed(self, method_id: UUID) -> None:
        del self.methods[method_id]
        if self.default_id == method_id:
            self.default_id = next(reversed(self.methods), None)

    @event("DefaultChosen")
    def _default_chosen(self, method_id: UUID) -> None:
        self.default_id = method_id
