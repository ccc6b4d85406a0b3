"""The tariff catalog: rate plans, their versions and the compiled tariff in effect on a day."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, time
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from kernel.errors import ConflictError, InvalidInputError, NotFoundError
from kernel.eventstore import BillingApplication
from kernel.money import MoneyError, check_currency
from services.rating.catalog.definition import (
    Definition,
    canonical_json,
    definition_of,
    digest_of,
    to_tariff_version,
)
from services.rating.catalog.destinations import DestinationTable, parse_destinations
from services.rating.catalog.rate_plans import PublishedVersion, RatePlan
from services.rating.catalog.storage import (
    CatalogRecorder,
    CatalogStore,
    CatalogWrites,
    MemoryCatalogStore,
    PostgresCatalogStore,
    RatePlanRow,
)
from services.rating.pricing import EVERY_DAY, BandWindow, TariffError, TariffVersion, TimeBand, VoiceTable

COMPILED_CACHE_SIZE = 32
"""Compiled tariff versions kept in memory (a 50,000-destination version takes some megabytes)."""
ALL_DAY_BAND = TimeBand("all", (BandWindow(EVERY_DAY, time(0), time(0)),))
"""The band of destinations imported into a plan that has no time bands yet."""


class RatePlanNotFoundError(NotFoundError):
    """No such rate plan for this tenant."""

    def __init__(self, rate_plan_id: UUID) -> None:
        super().__init__(f"rate plan {rate_plan_id} not found")


class TariffCatalog(BillingApplication):
    """Versioned rate plans stored as events; definitions stored content-addressed beside them."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        settings = dict(env or {})
        if settings.get("PERSISTENCE_MODULE") == "eventsourcing.postgres":
            settings["PROCESS_RECORDER_TOPIC"] = get_topic(CatalogRecorder)
        super().__init__(env=settings)
        self.store: CatalogStore = (
            PostgresCatalogStore(self.recorder) if isinstance(self.recorder, CatalogRecorder)
            else MemoryCatalogStore()
        )
        self._compiled: OrderedDict[tuple[UUID, int], TariffVersion] = OrderedDict()
        self._compiled_lock = threading.Lock()

    # Use cases

    def create_rate_plan(self, tenant_id: UUID, name: str, currency: str) -> RatePlan:
        """A new rate plan without versions."""
        if not name.strip():
            raise InvalidInputError("name", "must not be empty")
        try:
            check_currency(currency)
        except MoneyError as error:
            raise InvalidInputError("currency", str(error)) from None
        plan = RatePlan(tenant_id=tenant_id, name=name.strip(), currency=currency)
        self._save(plan, CatalogWrites(plans=[listing(plan)]))
        return plan

    def get(self, tenant_id: UUID, rate_plan_id: UUID) -> RatePlan:
        """The tenant's rate plan (another tenant's is not found)."""
        try:
            plan: Any = self.repository.get(rate_plan_id)
        except AggregateNotFoundError:
            raise RatePlanNotFoundError(rate_plan_id) from None
        if not isinstance(plan, RatePlan) or not plan.belongs_to(tenant_id):
            raise RatePlanNotFoundError(rate_plan_id)
        return plan

    def publish_version(
        self, tenant_id: UUID, rate_plan_id: UUID, effective_from: date, definition: object,
    ) -> int:
        """Publish the next version of a plan from its JSON definition; returns its number."""
        plan = self.get(tenant_id, rate_plan_id)
        number = plan.check_next(effective_from)
        compiled = to_tariff_version(plan.id, number, effective_from, plan.currency, definition)
        return self._publish(plan, compiled)

    def import_destinations(
        self, tenant_id: UUID, rate_plan_id: UUID, effective_from: date, chunks: Iterable[bytes],
        service_type: str = "voice",
    ) -> tuple[int, int]:
        """Publish a version whose voice (or SMS) rates are a CSV file's, the rest as the latest
        version's; returns the version number and the number of rows. A bad row refuses the file."""
        plan = self.get(tenant_id, rate_plan_id)
        number = plan.check_next(effective_from)
        table = parse_destinations(chunks, service_type)
        base = self._compiled_version(plan, plan.latest) if plan.latest else None
        compiled = with_destinations(plan, number, effective_from, base, table)
        return self._publish(plan, compiled), len(table)

    def version_at(self, tenant_id: UUID, rate_plan_id: UUID, at: date) -> TariffVersion | None:
        """The compiled tariff version of the plan in effect on a day, or None before the first."""
        plan = self.get(tenant_id, rate_plan_id)
        published = plan.version_in_effect(at)
        return None if published is None else self._compiled_version(plan, published)

    def version_numbered(self, tenant_id: UUID, rate_plan_id: UUID, number: int) -> TariffVersion | None:
        """The compiled tariff version of the plan with that number, or None when it has none."""
        plan = self.get(tenant_id, rate_plan_id)
        published = plan.published(number)
        return None if published is None else self._compiled_version(plan, published)

    def definition_json(self, plan: RatePlan, published: PublishedVersion) -> str:
        """The stored JSON definition of a published version."""
        text = self.store.definition_text(plan.tenant_id, published.definition_digest)
        if text is None:
            raise NotFoundError(f"definition {published.definition_digest} of version "
                                f"{published.version} is missing")
        return text

    def list_rate_plans(self, tenant_id: UUID) -> list[RatePlanRow]:
        """The tenant's rate plans by name, from the listing written with their events."""
        return self.store.rate_plans(tenant_id)

    # Internals

    def _publish(self, plan: RatePlan, compiled: TariffVersion) -> int:
        text = canonical_json(definition_of(compiled))
        digest = digest_of(text)
        number = plan.publish(compiled.effective_from, digest)
        self._save(plan, CatalogWrites(definitions=[(plan.tenant_id, digest, text)], plans=[listing(plan)]))
        self._remember(plan.id, compiled)
        return number

    def _save(self, plan: RatePlan, writes: CatalogWrites) -> None:
        try:
            if isinstance(self.store, MemoryCatalogStore):
                self.save(plan)
                self.store.apply(writes)
            else:
                self.save(plan, catalog=writes)
        except IntegrityError:
            raise ConflictError(f"rate plan {plan.id} was changed at the same time; try again") from None

    def _compiled_version(self, plan: RatePlan, published: PublishedVersion) -> TariffVersion:
        key = (plan.id, published.version)
        with self._compiled_lock:
            found = self._compiled.get(key)
            if found is not None:
                self._compiled.move_to_end(key)
                return found
        definition = json.loads(self.definition_json(plan, published))
        compiled = to_tariff_version(plan.id, published.version, published.effective_from,
                                     plan.currency, definition)
        self._remember(plan.id, compiled)
        return compiled

    def _remember(self, rate_plan_id: UUID, compiled: TariffVersion) -> None:
        with self._compiled_lock:
            self._compiled[rate_plan_id, compiled.version] = compiled
            self._compiled.move_to_end((rate_plan_id, compiled.version))
            while len(self._compiled) > COMPILED_CACHE_SIZE:
                self._compiled.popitem(last=False)


def listing(plan: RatePlan) -> RatePlanRow:
    """The plan as the listing shows it."""
    latest = plan.latest
    return RatePlanRow(plan.tenant_id, plan.id, plan.name, plan.currency,
                       latest.version if latest else 0, latest.effective_from if latest else None)


def with_destinations(
    plan: RatePlan, number: int, effective_from: date, base: TariffVersion | None, table: DestinationTable,
) -> TariffVersion:
    """The base version (or an empty one) with its voice or SMS rates replaced by a file's rows.

    Voice rows without a band apply in every band; a plan without bands gets one band, "all".
    """
    if base is None:
        base = TariffVersion(plan.id, number, effective_from, plan.currency)
    try:
        if table.service_type == "sms":
            return replace(base, version=number, effective_from=effective_from, sms=tuple(table.sms))
        bands = base.bands or (ALL_DAY_BAND,)
        names = [band.name for band in bands]
        for band_name, _ in table.voice:
            if band_name and band_name not in names:
                raise InvalidInputError("file", f"band {band_name!r} is not one of the plan's bands "
                                                f"({', '.join(names)})")
        voice = tuple(
            VoiceTable(name, tuple(rate for band_name, rate in table.voice if band_name in ("", name)))
            for name in names
        )
        for table_of_band in voice:
            if not table_of_band.rates:
                raise InvalidInputError("file", f"band {table_of_band.band!r} has no voice table rows: give "
                                                "rows without a band (in every band) or rows for each band")
        return replace(base, version=number, effective_from=effective_from, bands=bands, voice=voice)
    except TariffError as error:
        raise InvalidInputError("file", str(error)) from None


__all__ = ["Definition", "RatePlanNotFoundError", "TariffCatalog"]
