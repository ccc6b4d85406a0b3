"""Sending due deliveries: claim one, write its email, send it, record the outcome.

Order at the SMTP boundary (docs/notifications.md): the delivery's row stays locked while its
email is sent and its new state is committed only after the mail server answered. A crash
between the server's acceptance and the commit leaves the row queued, so the email is sent
again later: at least once, never silently lost.
"""

from __future__ import annotations

import logging
import random
from datetime import datetime

from kernel.clock import Clock
from services.notify.application import DeliveryLog
from services.notify.composer import EmailWriter
from services.notify.domain import (
    INVALID_EMAIL,
    AccountNotFoundError,
    Addressing,
    BillingUnavailableError,
    Delivery,
    InvalidEmailAddressError,
    InvoiceNotFoundError,
    QueryNotFoundError,
    SupportUnavailableError,
    check_email_address,
)
from services.notify.emails import MailBouncedError, Mailer, TransientMailError
from services.notify.formatting import customer_locale
from services.notify.retries import RetryPolicy
from services.notify.templating import TemplateRenderError

log = logging.getLogger(__name__)


class Dispatcher:
    """Makes one attempt at the delivery due soonest; other replicas skip the one it holds."""

    def __init__(
        self, deliveries: DeliveryLog, writer: EmailWriter, mailer: Mailer, clock: Clock,
        policy: RetryPolicy, jitter: random.Random | None = None,
    ) -> None:
        self.deliveries = deliveries
        self.writer = writer
        self.mailer = mailer
        self.clock = clock
        self.policy = policy
        self.jitter = jitter or random.Random()

    async def deliver_next(self) -> Delivery | None:
        """Attempt the delivery due soonest and record the outcome; None when nothing is due."""
        async with self.deliveries.claim_due(self.clock.now()) as claim:
            if claim is None:
                return None
            outcome = await self.attempt(claim.delivery)
            await claim.save(outcome)
        log.info("email %s", outcome.status.value, extra={"fields": {
            "delivery_id": str(outcome.delivery_id), "event_id": outcome.event.event_id,
            "kind": outcome.kind.value, "attempts": outcome.attempts, "reason": outcome.reason,
            "last_error": outcome.last_error,
        }})
        return outcome

    async def attempt(self, delivery: Delivery) -> Delivery:
        """Read, address, write and send the email; any failure becomes the delivery's next state."""
        progress = delivery
        try:
            reading = await self.writer.read(delivery.event)
            account = reading.account
            progress = delivery.addressed(Addressing(
                account.account_id, account.billing_email, customer_locale(account.locale)))
            check_email_address(progress.recipient)
            written = await self.writer.write(progress, reading)
            progress = progress.addressed(Addressing(
                account.account_id, account.billing_email, written.locale, written.email.subject))
            await self.mailer.send(written.email)
        except Exception as error:  # one delivery's failure is recorded, never blocks the others
            return self.failed(progress, error)
        return progress.sent(self.clock.now())

    def failed(self, delivery: Delivery, error: Exception) -> Delivery:
        """The state an attempt that raised leaves the delivery in."""
        now = self.clock.now()
        if isinstance(error, InvalidEmailAddressError):
            return delivery.refused(INVALID_EMAIL, now)
        if isinstance(error, TemplateRenderError | AccountNotFoundError | InvoiceNotFoundError
                      | QueryNotFoundError):
            return delivery.refused(error.reason, now)
        if isinstance(error, MailBouncedError):
            return delivery.bounced(error.reply, now)
        if isinstance(error, TransientMailError | BillingUnavailableError | SupportUnavailableError):
            return self.retry_later(delivery, error.reason, now)
        log.exception("unexpected failure sending delivery %s", delivery.delivery_id)
        return self.retry_later(delivery, f"internal_error: {type(error).__name__}: {error}", now)

    def retry_later(self, delivery: Delivery, reason: str, now: datetime) -> Delivery:
        """Back off, or fail for good after the policy's last attempt."""
        return delivery.attempt_failed(reason, now, self.policy, self.jitter.random())
