"""Accounts: a customer billed in one currency and timezone, on a bill cycle day, with details."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from eventsourcing.domain import event

from kernel.eventstore import TenantAggregate
from kernel.money import Money
from services.invoice.domain.errors import (
    AccountClosedError,
    AccountNotActiveError,
    InvalidAccountError,
    InvalidChargeError,
)

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_ADDRESS_LINES = 6
MAX_TEXT = 200
DEFAULT_LOCALE = "en"


@dataclass(frozen=True)
class BillingDetails:
    """Where and how invoices reach the customer: postal address, locale, tax region, tax id, and
    whether invoice PDFs carry itemisation pages (docs/explanations.md)."""

    address_lines: tuple[str, ...] = ()
    locale: str = DEFAULT_LOCALE
    tax_region: str = ""
    tax_id: str = ""
    itemised_invoices: bool = False

    @classmethod
    def parse(
        cls, address_lines: list[str], locale: str, tax_region: str, tax_id: str,
        itemised_invoices: bool = False,
    ) -> BillingDetails:
        """Validate the details from a request; errors name the field."""
        lines = tuple(line.strip() for line in address_lines if line.strip())
        if len(lines) > MAX_ADDRESS_LINES:
            raise InvalidAccountError("details.address_lines", f"at most {MAX_ADDRESS_LINES} lines")
        if any(len(line) > MAX_TEXT for line in lines):
            raise InvalidAccountError("details.address_lines", f"at most {MAX_TEXT} characters a line")
        return cls(lines, parse_locale(locale), tax_region.strip().upper(), tax_id.strip(),
                   itemised_invoices)

    def as_dict(self) -> dict[str, Any]:
        """The stored form (part of the permanent event schema)."""
        return {"address_lines": list(self.address_lines), "locale": self.locale,
                "tax_region": self.tax_region, "tax_id": self.tax_id,
                "itemised_invoices": self.itemised_invoices}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BillingDetails:
        """Rebuild from the stored form; details stored before itemisation existed are not itemised."""
        return cls(tuple(data["address_lines"]), data["locale"], data["tax_region"],
                   data["tax_id"], bool(data.get("itemised_invoices", False)))


def parse_locale(text: str) -> str:
    """A Babel locale identifier such as en, en_GB or de_DE (empty: English)."""
    if not text.strip():
        return DEFAULT_LOCALE
    try:
        return str(Locale.parse(text.strip().replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        raise InvalidAccountError("details.locale", f"unknown locale {text!r}") from None


@dataclass(frozen=True)
class OneTimeCharge:
    """A charge (or credit, when negative) for the account's next invoice."""

    charge_id: str
    description: str
    amount: Money
    charge_date: date

    def as_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {"charge_id": self.charge_id, "description": self.description,
                "amount": self.amount, "charge_date": self.charge_date}


def check_charge(charge_id: str, description: str, amount: Money) -> None:
    """A charge has an id, a description and a non-zero amount rounded to the currency."""
    if not charge_id.strip() or len(charge_id) > MAX_TEXT:
        raise InvalidChargeError("charge_id", f"1..{MAX_TEXT} characters")
    if not description.strip() or len(description) > MAX_TEXT:
        raise InvalidChargeError("description", f"1..{MAX_TEXT} characters")
    if amount.amount == 0:
        raise InvalidChargeError("amount", "must not be zero")
    if amount.rounded() != amount:
        raise InvalidChargeError("amount", f"more decimals than {amount.currency} has")


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
        self.details = BillingDetails()
        self.bill_cycle_day = 1
        self.parent_id: UUID | None = None
        self.closed_on: date | None = None
        self.charges: dict[str, OneTimeCharge] = {}
        self.subscription_ids: list[UUID] = []

    @event("Subscribed")
    def add_subscription(self, subscription_id: UUID) -> None:
        """The account has one more subscription (saved together with it)."""
        self.subscription_ids.append(subscription_id)

    @event("BillingSetUp")
    def set_up_billing(self, bill_cycle_day: int, parent_id: UUID | None) -> None:
        """The cycle day its periods start on, and the parent whose invoice carries its charges."""
        self.bill_cycle_day = bill_cycle_day
        self.parent_id = parent_id

    def change_billing_details(self, name: str, billing_email: str, details: BillingDetails) -> None:
        """Replace the customer's name, email and billing details (next invoices use them)."""
        self.check_is_not_closed()
        self._billing_details_changed(name=name, billing_email=billing_email,
                                      details=details.as_dict())

    @event("BillingDetailsChanged")
    def _billing_details_changed(self, name: str, billing_email: str, details: dict[str, Any]) -> None:
        self.name = name
        self.billing_email = billing_email
        self.details = BillingDetails.from_dict(details)

    def check_is_active(self) -> None:
        """Only an active account takes new subscriber identities and subscriptions."""
        if self.status != "active":
            raise AccountNotActiveError(f"account {self.id} is {self.status}")

    def check_is_not_closed(self) -> None:
        """A closed account takes no change."""
        if self.status == "closed":
            raise AccountClosedError(f"account {self.id} was closed on {self.closed_on}")

    def suspend(self, reason: str) -> None:
        """Stop service: still invoiced, but takes no new subscriptions or identities."""
        self.check_is_active()
        self._suspended(reason=reason)

    @event("Suspended")
    def _suspended(self, reason: str) -> None:
        self.status = "suspended"

    def reactivate(self) -> None:
        """Back to active after a suspension."""
        if self.status != "suspended":
            raise AccountNotActiveError(f"account {self.id} is {self.status}, not suspended")
        self._reactivated()

    @event("Reactivated")
    def _reactivated(self) -> None:
        self.status = "active"

    def close(self, closed_on: date, reason: str) -> None:
        """Close from a date: its subscriptions end then and the next bill run is the last."""
        self.check_is_not_closed()
        self._closed(closed_on=closed_on, reason=reason)

    @event("Closed")
    def _closed(self, closed_on: date, reason: str) -> None:
        self.status = "closed"
        self.closed_on = closed_on

    def add_charge(self, charge: OneTimeCharge) -> bool:
        """Put a one-time charge on the next invoice; False when that charge id was added before."""
        if charge.charge_id in self.charges:
            return False
        self.check_is_not_closed()
        check_charge(charge.charge_id, charge.description, charge.amount)
        if charge.amount.currency != self.currency:
            raise InvalidChargeError("amount.currency", f"the account bills in {self.currency}")
        self._charge_added(**charge.as_dict())
        return True

    @event("ChargeAdded")
    def _charge_added(
        self, charge_id: str, description: str, amount: Money, charge_date: date
    ) -> None:
        self.charges[charge_id] = OneTimeCharge(charge_id, description, amount, charge_date)

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
