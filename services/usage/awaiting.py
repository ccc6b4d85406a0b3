"""Replays rejected records that waited for their customer, as soon as the customer exists."""

from __future__ import annotations

import json
from uuid import UUID

from nats.aio.msg import Msg

from kernel.caching import TtlCache
from kernel.messaging import PoisonMessageError
from services.usage.resubmission import Resubmissions

ACCOUNT_EVENTS = "events.invoice.Account.>"


class AwaitingCustomerHandler:
    """On Account.Opened and Account.IdentityAdded, resubmit the records that waited for it."""

    def __init__(self, resubmissions: Resubmissions, identities: TtlCache[UUID | None]) -> None:
        self.resubmissions = resubmissions
        self.identities = identities

    async def __call__(self, message: Msg) -> None:
        try:
            envelope = json.loads(message.data)
            kind = envelope["type"]
            tenant_id = UUID(envelope["tenant_id"])
            account_id = envelope["aggregate_id"]
            identity = envelope.get("data", {}).get("identity", "")
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise PoisonMessageError(f"malformed account event: {error}") from error
        if kind == "Account.IdentityRemoved":
            self.identities.forget((tenant_id, identity))
        elif kind == "Account.Opened":
            await self.resubmissions.reprocess_awaiting(tenant_id, [], [account_id])
        elif kind == "Account.IdentityAdded":
            await self.resubmissions.reprocess_awaiting(tenant_id, [identity], [])
