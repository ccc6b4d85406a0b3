"""Wiring of notify's email part from its adapters; main.py and the tests pass theirs in."""

from __future__ import annotations

import random
from dataclasses import dataclass

import asyncpg
from nats.js import JetStreamContext

from kernel.clock import Clock
from kernel.messaging import EVENTS_STREAM, PullConsumer
from services.notify.application import Notifier
from services.notify.composer import EmailWriter
from services.notify.consumers import SUBSCRIPTIONS, CustomerEventHandler
from services.notify.dispatch import Dispatcher
from services.notify.emails import Mailer
from services.notify.grpc_api import NotifyServicer
from services.notify.retries import RetryPolicy
from services.notify.sources import BillingSource, QuerySource
from services.notify.sql import PostgresDeliveryLog
from services.notify.sql_templates import PostgresTemplateStore
from services.notify.template_book import TemplateBook
from services.notify.worker import DeliveryWorker

SERVICE_NAME = "billing.notify.v1.NotifyService"


@dataclass(frozen=True)
class SendingRules:
    """Who emails come from, how failed attempts are retried, how many are made at once."""

    sender: str
    policy: RetryPolicy
    lanes: int = 4
    poll_seconds: float = 1.0


@dataclass(frozen=True)
class EmailPart:
    """The email use cases, the background sender and the gRPC servicer, wired."""

    notifier: Notifier
    templates: TemplateBook
    worker: DeliveryWorker
    servicer: NotifyServicer

    def consumers(self, js: JetStreamContext) -> list[PullConsumer]:
        """One durable pull consumer per subject of a customer event."""
        return [
            PullConsumer(js, EVENTS_STREAM, subscription.durable, subscription.subject,
                         CustomerEventHandler(subscription.kind, self.notifier))
            for subscription in SUBSCRIPTIONS
        ]


def wire_email(
    pool: asyncpg.Pool, billing: BillingSource, mailer: Mailer, clock: Clock, rules: SendingRules,
    jitter: random.Random | None = None, queries: QuerySource | None = None,
) -> EmailPart:
    """The email part over a PostgreSQL pool, the invoice and support services and a mail server."""
    deliveries = PostgresDeliveryLog(pool)
    templates = TemplateBook(PostgresTemplateStore(pool), clock)
    writer = EmailWriter(billing, templates, rules.sender, queries)
    dispatcher = Dispatcher(deliveries, writer, mailer, clock, rules.policy, jitter)
    worker = DeliveryWorker(dispatcher, rules.lanes, rules.poll_seconds)
    notifier = Notifier(deliveries, clock, on_queued=worker.wake)
    return EmailPart(notifier, templates, worker, NotifyServicer(notifier, templates))
