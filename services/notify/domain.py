"""The notify domain: recipient addresses, named errors, and the states of an email delivery."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from uuid import UUID

from kernel.errors import InvalidInputError, NotFoundError, UnavailableError
from services.notify.events import EMAIL_CHANNEL, CustomerEvent, NotificationKind
from services.notify.retries import RetryPolicy

INVALID_EMAIL = "invalid_email"
TEMPLATE_ERROR = "template_error"
MAX_REASON_LENGTH = 500

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_TOP_LABEL = r"(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})"
ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+{_TOP_LABEL}", re.ASCII)


class InvalidEmailAddressError(InvalidInputError):
    """A recipient that is not a plain mailbox address (local@domain.tld)."""

    def __init__(self, address: str) -> None:
        super().__init__("billing_email", INVALID_EMAIL)
        self.address = address


class InvoiceNotFoundError(NotFoundError):
    """The invoice service has no such invoice for this tenant."""

    def __init__(self, invoice_id: object) -> None:
        super().__init__(f"invoice {invoice_id} not found")
        self.reason = f"invoice_not_found: {invoice_id}"


class AccountNotFoundError(NotFoundError):
    """The invoice service has no such account for this tenant."""

    def __init__(self, account_id: object) -> None:
        super().__init__(f"account {account_id} not found")
        self.reason = f"account_not_found: {account_id}"


class DeliveryNotFoundError(NotFoundError):
    """No delivery with this id for this tenant."""

    def __init__(self, delivery_id: object) -> None:
        super().__init__(f"delivery {delivery_id} not found")


class BillingUnavailableError(UnavailableError):
    """The invoice service did not answer; a later attempt may succeed."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"invoice service unavailable: {detail}")
        self.reason = f"invoice_service_unavailable: {detail}"


class QueryNotFoundError(NotFoundError):
    """The support service has no such billing query for this tenant."""

    def __init__(self, query_id: object) -> None:
        super().__init__(f"query {query_id} not found")
        self.reason = f"query_not_found: {query_id}"


class SupportUnavailableError(UnavailableError):
    """The support service did not answer (or none is configured); a later attempt may succeed."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"support service unavailable: {detail}")
        self.reason = f"support_service_unavailable: {detail}"


def is_valid_email_address(address: str) -> bool:
    """True for an ASCII addr-spec with a dot-atom local part and a DNS domain."""
    local, _, _ = address.rpartition("@")
    return len(address) <= 254 and len(local) <= 64 and ADDRESS.fullmatch(address) is not None


def check_email_address(address: str) -> str:
    """Return the address when it can be mailed to; refuse it otherwise."""
    if not is_valid_email_address(address):
        raise InvalidEmailAddressError(address)
    return address


def short_reason(reason: str) -> str:
    """A reason as stored: one line, at most MAX_REASON_LENGTH characters."""
    return " ".join(reason.split())[:MAX_REASON_LENGTH]


class DeliveryStatus(Enum):
    """Where a delivery stands: queued until an attempt succeeds or it gives up for good."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    BOUNCED = "bounced"


def status_from_text(text: str, field_name: str = "status") -> DeliveryStatus:
    """The status a client names; anything else names the field."""
    try:
        return DeliveryStatus(text)
    except ValueError:
        raise InvalidInputError(field_name, "unknown_status") from None


@dataclass(frozen=True)
class Addressing:
    """Who an email went to, in which locale, under which subject."""

    account_id: UUID
    recipient: str
    locale: str
    subject: str = ""


@dataclass(frozen=True)
class Delivery:
    """One email about one event to one customer, and where its sending stands."""

    event: CustomerEvent
    status: DeliveryStatus
    queued_at: datetime
    updated_at: datetime
    next_attempt_at: datetime | None
    account_id: UUID | None = None
    recipient: str = ""
    locale: str = ""
    subject: str = ""
    reason: str = ""
    last_error: str = ""
    attempts: int = 0
    sent_at: datetime | None = None

    @classmethod
    def queue(cls, event: CustomerEvent, at: datetime) -> Delivery:
        """A new delivery of an event, due at once."""
        return cls(event=event, status=DeliveryStatus.QUEUED, queued_at=at, updated_at=at,
                   next_attempt_at=at, account_id=event.account_id)

    @property
    def delivery_id(self) -> UUID:
        """Derived from the event: one delivery per event and kind."""
        return self.event.delivery_id

    @property
    def tenant_id(self) -> UUID:
        """The tenant whose customer the email is for."""
        return self.event.tenant_id

    @property
    def kind(self) -> NotificationKind:
        """Why the customer is told."""
        return self.event.kind

    @property
    def channel(self) -> str:
        """How the customer is told."""
        return EMAIL_CHANNEL

    @property
    def is_final(self) -> bool:
        """Sent, failed and bounced deliveries are never attempted again."""
        return self.status is not DeliveryStatus.QUEUED

    def is_due(self, now: datetime) -> bool:
        """True when a queued delivery's next attempt time has come."""
        return not self.is_final and self.next_attempt_at is not None and self.next_attempt_at <= now

    def addressed(self, addressing: Addressing) -> Delivery:
        """The delivery going to this account's address, in this locale, with this subject."""
        return replace(self, account_id=addressing.account_id, recipient=addressing.recipient,
                       locale=addressing.locale, subject=addressing.subject or self.subject)

    def sent(self, at: datetime) -> Delivery:
        """The mail server accepted the email."""
        return replace(self, status=DeliveryStatus.SENT, reason="", attempts=self.attempts + 1,
                       next_attempt_at=None, updated_at=at, sent_at=at)

    def bounced(self, reply: str, at: datetime) -> Delivery:
        """The mail server refused the recipient or the message for good; reply says why."""
        return replace(self, status=DeliveryStatus.BOUNCED, reason=short_reason(reply),
                       last_error=short_reason(reply), attempts=self.attempts + 1,
                       next_attempt_at=None, updated_at=at)

    def refused(self, reason: str, at: datetime) -> Delivery:
        """Failed for good without trying to send (invalid address, template error, no account)."""
        return replace(self, status=DeliveryStatus.FAILED, reason=short_reason(reason),
                       last_error=short_reason(reason), next_attempt_at=None, updated_at=at)

    def attempt_failed(
        self, error: str, at: datetime, policy: RetryPolicy, draw: float
    ) -> Delivery:
        """An attempt failed for a reason that may pass: retry later, or fail after the last."""
        attempts = self.attempts + 1
        if policy.gives_up_after(attempts):
            return replace(self, status=DeliveryStatus.FAILED, reason=short_reason(error),
                           last_error=short_reason(error), attempts=attempts,
                           next_attempt_at=None, updated_at=at)
        return replace(self, last_error=short_reason(error), attempts=attempts, updated_at=at,
                       next_attempt_at=at + policy.delay(attempts, draw))
