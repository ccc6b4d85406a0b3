"""The webhook domain: endpoints and their health, deliveries and their attempts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from kernel.errors import InvalidInputError, NotFoundError, PreconditionError
from kernel.ids import derived_id
from services.notify.webhooks.schedule import retry_at

MAX_ACTIVE_SECRETS = 2
MAX_DESCRIPTION = 500
MAX_REASON = 500
DISABLE_AFTER = timedelta(hours=24)
"""An endpoint whose attempts all failed for this long is disabled."""
WEBHOOK_CHANNEL = "webhook"


class EndpointNotFoundError(NotFoundError):
    """No such endpoint for this tenant."""

    def __init__(self, endpoint_id: object) -> None:
        super().__init__(f"webhook endpoint {endpoint_id} not found")


class DeliveryNotFoundError(NotFoundError):
    """No such delivery for this tenant."""

    def __init__(self, delivery_id: object) -> None:
        super().__init__(f"webhook delivery {delivery_id} not found")


class SecretNotFoundError(NotFoundError):
    """The endpoint has no such active secret."""

    def __init__(self, secret_id: object) -> None:
        super().__init__(f"signing secret {secret_id} not found")


class TooManySecretsError(PreconditionError):
    """Rotation adds a second secret; a third waits until one is retired."""

    def __init__(self) -> None:
        super().__init__(f"the endpoint has {MAX_ACTIVE_SECRETS} active secrets: retire one first")


class LastSecretError(PreconditionError):
    """An endpoint always keeps one secret to sign with."""

    def __init__(self) -> None:
        super().__init__("the endpoint's last active secret cannot be retired: rotate first")


class EndpointDisabledError(PreconditionError):
    """Nothing is sent to a disabled endpoint until it is enabled again."""

    def __init__(self, endpoint_id: object) -> None:
        super().__init__(f"webhook endpoint {endpoint_id} is disabled: enable it first")


class PrivateTargetsNotPermittedError(PreconditionError):
    """The platform operator does not let tenants send webhooks to private networks."""

    def __init__(self) -> None:
        super().__init__("private webhook targets are not permitted on this platform")


def check_description(text: str) -> str:
    """A description of at most MAX_DESCRIPTION characters."""
    if len(text) > MAX_DESCRIPTION:
        raise InvalidInputError("description", f"at_most_{MAX_DESCRIPTION}_characters")
    return text


class EndpointStatus(StrEnum):
    """Whether deliveries are sent to an endpoint."""

    ENABLED = "enabled"
    DISABLED = "disabled"


@dataclass(frozen=True)
class SecretInfo:
    """An active signing secret as listed: id, creation time and its first characters."""

    secret_id: UUID
    hint: str
    created_at: datetime


@dataclass(frozen=True)
class Endpoint:
    """Where a tenant receives the events it subscribed to."""

    endpoint_id: UUID
    tenant_id: UUID
    url: str
    event_types: tuple[str, ...]
    description: str
    status: EndpointStatus
    disabled_reason: str
    disabled_at: datetime | None
    failing_since: datetime | None
    created_at: datetime
    updated_at: datetime
    secrets: tuple[SecretInfo, ...] = ()

    @property
    def is_enabled(self) -> bool:
        """Deliveries are sent to it."""
        return self.status is EndpointStatus.ENABLED

    def disabled(self, reason: str, at: datetime) -> Endpoint:
        """Stop sending, saying why."""
        return replace(self, status=EndpointStatus.DISABLED, disabled_reason=reason[:MAX_REASON],
                       disabled_at=at, updated_at=at)

    def enabled(self, at: datetime) -> Endpoint:
        """Send again, with a clean failure record."""
        return replace(self, status=EndpointStatus.ENABLED, disabled_reason="", disabled_at=None,
                       failing_since=None, updated_at=at)

    def after_success(self, at: datetime) -> Endpoint:
        """A 2xx ends a run of failures."""
        return self if self.failing_since is None else replace(self, failing_since=None, updated_at=at)

    def after_failure(self, reason: str, at: datetime) -> Endpoint:
        """Remember since when it fails; failing for DISABLE_AFTER disables it."""
        since = self.failing_since or at
        failing = replace(self, failing_since=since, updated_at=at)
        if self.is_enabled and at - since >= DISABLE_AFTER:
            hours = int((at - since).total_seconds() // 3600)
            return failing.disabled(f"failing for {hours} h since {since.isoformat()}: {reason}", at)
        return failing


class DeliveryStatus(StrEnum):
    """pending while attempts are left, delivered once a 2xx came, failed when none did."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


@dataclass(frozen=True)
class AttemptResult:
    """What one POST gave: the HTTP status (0 without a response), why, and how long it took."""

    status_code: int
    reason: str
    duration_ms: int

    @property
    def delivered(self) -> bool:
        """Any 2xx is a delivery."""
        return 200 <= self.status_code < 300


@dataclass(frozen=True)
class Attempt:
    """One logged try to POST a delivery."""

    delivery_id: UUID
    number: int
    attempted_at: datetime
    outcome: DeliveryStatus
    status_code: int
    reason: str
    duration_ms: int
    manual: bool


@dataclass(frozen=True)
class Delivery:
    """One event for one endpoint: sent until a 2xx comes or the retries run out."""

    delivery_id: UUID
    tenant_id: UUID
    endpoint_id: UUID
    event_id: str
    event_type: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    manual: bool
    last_reason: str
    created_at: datetime
    delivered_at: datetime | None

    @staticmethod
    def id_for(event_id: str, endpoint_id: UUID) -> UUID:
        """One delivery per event and endpoint, however often the event arrives."""
        return derived_id(WEBHOOK_CHANNEL, event_id, endpoint_id)

    @classmethod
    def record(cls, tenant_id: UUID, endpoint_id: UUID, event_id: str, event_type: str,
               at: datetime) -> Delivery:
        """A new delivery, due at once."""
        return cls(cls.id_for(event_id, endpoint_id), tenant_id, endpoint_id, event_id, event_type,
                   DeliveryStatus.PENDING, 0, at, False, "", at, None)

    def attempted(self, result: AttemptResult, at: datetime,
                  next_try: Callable[[int, datetime], datetime | None] = retry_at) -> Delivery:
        """The delivery after an attempt: delivered, retried later, or failed for good."""
        attempts = self.attempts + 1
        reason = result.reason[:MAX_REASON]
        if result.delivered:
            return replace(self, status=DeliveryStatus.DELIVERED, attempts=attempts, next_attempt_at=None,
                           manual=False, last_reason=reason, delivered_at=self.delivered_at or at)
        if self.status is not DeliveryStatus.PENDING:
            return replace(self, attempts=attempts, next_attempt_at=None, manual=False, last_reason=reason)
        retry = next_try(attempts, at)
        status = DeliveryStatus.PENDING if retry is not None else DeliveryStatus.FAILED
        return replace(self, status=status, attempts=attempts, next_attempt_at=retry, manual=False,
                       last_reason=reason)

    def log_entry(self, result: AttemptResult, at: datetime) -> Attempt:
        """The attempt as the delivery log keeps it."""
        outcome = DeliveryStatus.DELIVERED if result.delivered else DeliveryStatus.FAILED
        return Attempt(self.delivery_id, self.attempts + 1, at, outcome, result.status_code,
                       result.reason[:MAX_REASON], result.duration_ms, self.manual)

    def redelivered(self, at: datetime) -> Delivery:
        """One more attempt, due now (a pending delivery's next attempt just comes sooner)."""
        return replace(self, next_attempt_at=at, manual=True)
