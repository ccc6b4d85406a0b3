"""Use cases of webhooks for operators: settings, endpoints, secrets and the delivery log."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from kernel.clock import Clock
from kernel.ids import new_id
from services.notify.webhooks.domain import (
    MAX_ACTIVE_SECRETS,
    Attempt,
    Delivery,
    DeliveryNotFoundError,
    DeliveryStatus,
    Endpoint,
    EndpointDisabledError,
    EndpointNotFoundError,
    EndpointStatus,
    LastSecretError,
    PrivateTargetsNotPermittedError,
    SecretInfo,
    SecretNotFoundError,
    TooManySecretsError,
    check_description,
)
from services.notify.webhooks.filters import check_filters
from services.notify.webhooks.queue import PostgresDeliveryQueue
from services.notify.webhooks.secret_box import SecretBox, new_signing_secret, secret_hint
from services.notify.webhooks.sql import PostgresEndpointStore
from services.notify.webhooks.ssrf import Resolver
from services.notify.webhooks.targets import check_registration

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewSecret:
    """A signing secret just created: the only time its value is known outside the box."""

    info: SecretInfo
    secret: str


@dataclass(frozen=True)
class EndpointDraft:
    """What an operator gives for an endpoint: url, event type filters, description."""

    url: str
    event_types: Sequence[str]
    description: str


class WebhookAdmin:
    """Tenants manage their endpoints and secrets and read the delivery log."""

    def __init__(self, endpoints: PostgresEndpointStore, deliveries: PostgresDeliveryQueue, box: SecretBox,
                 resolver: Resolver, clock: Clock, private_targets_permitted: bool) -> None:
        self.endpoints = endpoints
        self.deliveries = deliveries
        self.box = box
        self.resolver = resolver
        self.clock = clock
        self.private_targets_permitted = private_targets_permitted

    async def allows_private_targets(self, tenant_id: UUID) -> bool:
        """The tenant's setting."""
        return await self.endpoints.allows_private_targets(tenant_id)

    async def set_private_targets(self, tenant_id: UUID, allowed: bool) -> bool:
        """Change the tenant's setting (if the platform lets tenants use private targets)."""
        if allowed and not self.private_targets_permitted:
            raise PrivateTargetsNotPermittedError()
        await self.endpoints.set_private_targets(tenant_id, allowed, self.clock.now())
        log.info("webhook private targets %s", "allowed" if allowed else "refused",
                 extra={"fields": {"tenant_id": str(tenant_id)}})
        return allowed

    async def _checked(self, tenant_id: UUID, draft: EndpointDraft) -> EndpointDraft:
        """The draft with a checked url and filters, or a named refusal."""
        allow_private = await self.endpoints.allows_private_targets(tenant_id)
        target = await check_registration(draft.url, allow_private, self.resolver)
        filters, description = check_filters(draft.event_types), check_description(draft.description)
        return EndpointDraft(target.url, filters, description)

    def _new_secret(self, at: datetime) -> tuple[NewSecret, str]:
        """A fresh secret and its sealed form."""
        secret = new_signing_secret()
        return NewSecret(SecretInfo(new_id(), secret_hint(secret), at), secret), self.box.seal(secret)

    async def create_endpoint(self, tenant_id: UUID, draft: EndpointDraft) -> tuple[Endpoint, NewSecret]:
        """A new enabled endpoint and its first secret."""
        checked = await self._checked(tenant_id, draft)
        now = self.clock.now()
        created, sealed = self._new_secret(now)
        endpoint = Endpoint(new_id(), tenant_id, checked.url, tuple(checked.event_types), checked.description,
                            EndpointStatus.ENABLED, "", None, None, now, now, (created.info,))
        await self.endpoints.add_endpoint(endpoint, created.info.secret_id, sealed, created.info.hint)
        return endpoint, created

    async def get_endpoint(self, tenant_id: UUID, endpoint_id: UUID) -> Endpoint:
        """The tenant's endpoint."""
        endpoint = await self.endpoints.find(tenant_id, endpoint_id)
        if endpoint is None:
            raise EndpointNotFoundError(endpoint_id)
        return endpoint

    async def list_endpoints(self, tenant_id: UUID, status: EndpointStatus | None) -> list[Endpoint]:
        """The tenant's endpoints, optionally only enabled or disabled ones."""
        return await self.endpoints.list_endpoints(tenant_id, status)

    async def update_endpoint(self, tenant_id: UUID, endpoint_id: UUID, draft: EndpointDraft) -> Endpoint:
        """Replace url, filters and description."""
        endpoint = await self.get_endpoint(tenant_id, endpoint_id)
        checked = await self._checked(tenant_id, draft)
        updated = replace(endpoint, url=checked.url, event_types=tuple(checked.event_types),
                          description=checked.description, updated_at=self.clock.now())
        await self.endpoints.save(updated)
        return updated

    async def delete_endpoint(self, tenant_id: UUID, endpoint_id: UUID) -> None:
        """Remove the endpoint, its secrets and its deliveries."""
        if not await self.endpoints.delete(tenant_id, endpoint_id):
            raise EndpointNotFoundError(endpoint_id)

    async def disable_endpoint(self, tenant_id: UUID, endpoint_id: UUID, reason: str) -> Endpoint:
        """Stop sending; deliveries of new events wait until it is enabled."""
        endpoint = await self.get_endpoint(tenant_id, endpoint_id)
        disabled = endpoint.disabled(f"disabled by operator: {reason}".rstrip(": "), self.clock.now())
        await self.endpoints.save(disabled)
        return disabled

    async def enable_endpoint(self, tenant_id: UUID, endpoint_id: UUID) -> Endpoint:
        """Send again; waiting deliveries are due at once."""
        enabled = (await self.get_endpoint(tenant_id, endpoint_id)).enabled(self.clock.now())
        await self.endpoints.enable(enabled)
        return enabled

    async def rotate_secret(self, tenant_id: UUID, endpoint_id: UUID) -> NewSecret:
        """Add a secret: both sign every delivery until the older one is retired."""
        created, sealed = self._new_secret(self.clock.now())
        before = await self.endpoints.add_secret(tenant_id, endpoint_id, created.info.secret_id, sealed,
                                                 created.info.hint, created.info.created_at,
                                                 MAX_ACTIVE_SECRETS)
        if before is None:
            raise EndpointNotFoundError(endpoint_id)
        if len(before.secrets) >= MAX_ACTIVE_SECRETS:
            raise TooManySecretsError()
        return created

    async def retire_secret(self, tenant_id: UUID, endpoint_id: UUID, secret_id: UUID) -> Endpoint:
        """Stop signing with a secret; the endpoint keeps at least one."""
        before = await self.endpoints.retire_secret(tenant_id, endpoint_id, secret_id, self.clock.now())
        if before is None:
            raise EndpointNotFoundError(endpoint_id)
        if secret_id not in [secret.secret_id for secret in before.secrets]:
            raise SecretNotFoundError(secret_id)
        if len(before.secrets) == 1:
            raise LastSecretError()
        return await self.get_endpoint(tenant_id, endpoint_id)

    async def list_deliveries(self, tenant_id: UUID, endpoint_id: UUID, status: DeliveryStatus | None,
                              after: tuple[datetime, UUID] | None, limit: int) -> list[Delivery]:
        """A page of the endpoint's deliveries, newest first."""
        await self.get_endpoint(tenant_id, endpoint_id)
        return await self.deliveries.page(tenant_id, endpoint_id, status, after, limit)

    async def get_delivery(self, tenant_id: UUID, delivery_id: UUID) -> tuple[Delivery, list[Attempt]]:
        """A delivery and every attempt made."""
        delivery = await self.deliveries.find(tenant_id, delivery_id)
        if delivery is None:
            raise DeliveryNotFoundError(delivery_id)
        return delivery, await self.deliveries.attempts(tenant_id, delivery_id)

    async def redeliver(self, tenant_id: UUID, delivery_id: UUID) -> Delivery:
        """Queue one more attempt now, whatever the delivery's status."""
        delivery, _ = await self.get_delivery(tenant_id, delivery_id)
        endpoint = await self.get_endpoint(tenant_id, delivery.endpoint_id)
        if not endpoint.is_enabled:
            raise EndpointDisabledError(endpoint.endpoint_id)
        queued = delivery.redelivered(self.clock.now())
        await self.deliveries.schedule(queued)
        return queued
