"""Rate plans: a name, a currency and numbered tariff versions, each in effect from a date.

Rules: versions are numbered 1, 2, 3...; a version's effective_from is on or after the previous
version's (equal dates are allowed: that is a correction, and on that date the higher version wins);
a published version never changes. Events carry only the digest of a version's definition: the
definition itself (possibly 50,000+ destinations) is stored content-addressed beside the events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from eventsourcing.domain import event

from kernel.errors import InvalidInputError
from kernel.eventstore import TenantAggregate


@dataclass(frozen=True)
class PublishedVersion:
    """A version of a rate plan: its number, first day and the digest of its definition."""

    version: int
    effective_from: date
    definition_digest: str


class RatePlan(TenantAggregate):
    """A versioned rate plan of the tariff catalog."""

    @event("Created")
    def __init__(self, tenant_id: UUID, name: str, currency: str) -> None:
        self.tenant_id = tenant_id
        self.name = name
        self.currency = currency
        self.versions: list[PublishedVersion] = []

    def check_next(self, effective_from: date) -> int:
        """The number the next version gets, refusing a start before the latest version's."""
        latest = self.latest
        if latest is not None and effective_from < latest.effective_from:
            raise InvalidInputError(
                "effective_from",
                f"must be on or after {latest.effective_from.isoformat()} (version {latest.version})",
            )
        return len(self.versions) + 1

    def publish(self, effective_from: date, definition_digest: str) -> int:
        """Publish the next version; returns its number."""
        number = self.check_next(effective_from)
        self._published(version=number, effective_from=effective_from,
                        definition_digest=definition_digest)
        return number

    @event("VersionPublished")
    def _published(self, version: int, effective_from: date, definition_digest: str) -> None:
        self.versions.append(PublishedVersion(version, effective_from, definition_digest))

    @property
    def latest(self) -> PublishedVersion | None:
        """The version published last, or None before the first."""
        return self.versions[-1] if self.versions else None

    def version_in_effect(self, at: date) -> PublishedVersion | None:
        """The version in effect on a day: the last published starting on or before it."""
        for published in reversed(self.versions):
            if published.effective_from <= at:
                return published
        return None

    def published(self, number: int) -> PublishedVersion | None:
        """A version by its number."""
        return self.versions[number - 1] if 1 <= number <= len(self.versions) else None
