"""Use cases of email templates: each tenant's own, the shipped defaults, and which one is used.

Fallback chain for an email of kind K to a customer in locale L (e.g. de_AT): the tenant's
template for K in L, then in L's language (de), then the shipped default in L's language,
then the shipped English one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Protocol
from uuid import UUID

from kernel.clock import Clock
from kernel.errors import NotFoundError
from services.notify.defaults import DEFAULT_LANGUAGES, default_template
from services.notify.events import NotificationKind
from services.notify.formatting import FALLBACK_LANGUAGE, customer_locale, language_of, writing_locale
from services.notify.samples import sample_variables, variable_names
from services.notify.templating import EmailTemplate, RenderedEmail, check_template, render_email


class TemplateSource(Enum):
    """Whose template it is."""

    TENANT = "tenant"
    DEFAULT = "default"


@dataclass(frozen=True)
class StoredTemplate:
    """A template of one kind and locale, the tenant's own or shipped."""

    kind: NotificationKind
    locale: str
    template: EmailTemplate
    source: TemplateSource = TemplateSource.TENANT
    updated_at: datetime | None = None


@dataclass(frozen=True)
class ResolvedTemplate:
    """The template an email is written with, and the locale its amounts and dates are written in."""

    stored: StoredTemplate
    writing_locale: str


class TemplateNotFoundError(NotFoundError):
    """The tenant has no template of its own for this kind and locale."""

    def __init__(self, kind: NotificationKind, locale: str) -> None:
        super().__init__(f"no {kind.value} template of the tenant in {locale}")


class TemplateStore(Protocol):
    """Each tenant's own templates, one per kind and locale."""

    async def put(self, tenant_id: UUID, stored: StoredTemplate) -> None: ...

    async def find(
        self, tenant_id: UUID, kind: NotificationKind, locales: Sequence[str]
    ) -> dict[str, StoredTemplate]:
        """The tenant's templates of the kind in any of these locales, by locale."""
        ...

    async def list_templates(
        self, tenant_id: UUID, kind: NotificationKind | None
    ) -> list[StoredTemplate]: ...

    async def delete(self, tenant_id: UUID, kind: NotificationKind, locale: str) -> bool:
        """Remove the template; False when there was none."""
        ...


def tenant_candidates(locale: str) -> list[str]:
    """The tenant's locales tried for a customer's locale: itself, then its language."""
    return list(dict.fromkeys([locale, language_of(locale)]))


def shipped(kind: NotificationKind, locale: str) -> StoredTemplate:
    """The shipped template for a locale: its language's, or English."""
    language = language_of(locale)
    chosen = language if language in DEFAULT_LANGUAGES else FALLBACK_LANGUAGE
    return StoredTemplate(kind, chosen, default_template(kind, chosen), TemplateSource.DEFAULT)


def resolved(stored: StoredTemplate, locale: str) -> ResolvedTemplate:
    """Amounts and dates in the customer's locale when the template is in its language."""
    same_language = language_of(stored.locale) == language_of(locale)
    return ResolvedTemplate(stored, writing_locale(locale if same_language else stored.locale))


class TemplateBook:
    """Stores, checks, previews and picks email templates."""

    def __init__(self, store: TemplateStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    async def resolve(
        self, tenant_id: UUID, kind: NotificationKind, locale_tag: str
    ) -> ResolvedTemplate:
        """The template an email of this kind to a customer in this locale is written with."""
        locale = customer_locale(locale_tag)
        candidates = tenant_candidates(locale)
        found = await self.store.find(tenant_id, kind, candidates)
        for candidate in candidates:
            if candidate in found:
                return resolved(found[candidate], locale)
        return resolved(shipped(kind, locale), locale)

    async def put(
        self, tenant_id: UUID, kind: NotificationKind, locale: str, template: EmailTemplate
    ) -> StoredTemplate:
        """Store the tenant's template after checking it against the kind's sample data."""
        check_template(template, variable_names(kind), sample_variables(kind, writing_locale(locale)))
        stored = StoredTemplate(kind, locale, template, TemplateSource.TENANT, self.clock.now())
        await self.store.put(tenant_id, stored)
        return stored

    async def get(self, tenant_id: UUID, kind: NotificationKind, locale: str) -> StoredTemplate:
        """The template an email of this kind in this locale is written with."""
        return (await self.resolve(tenant_id, kind, locale)).stored

    async def list_templates(
        self, tenant_id: UUID, kind: NotificationKind | None
    ) -> list[StoredTemplate]:
        """The tenant's own templates, by kind and locale."""
        return await self.store.list_templates(tenant_id, kind)

    async def delete(self, tenant_id: UUID, kind: NotificationKind, locale: str) -> None:
        """Remove the tenant's own template; emails fall back along the chain."""
        if not await self.store.delete(tenant_id, kind, locale):
            raise TemplateNotFoundError(kind, locale)

    async def preview(
        self, tenant_id: UUID, kind: NotificationKind, locale: str, draft: EmailTemplate
    ) -> tuple[RenderedEmail, str]:
        """The sample email rendered with the draft's parts (empty parts: the current template's)."""
        current = await self.resolve(tenant_id, kind, locale)
        base = current.stored.template
        template = EmailTemplate(draft.subject or base.subject, draft.text or base.text,
                                 draft.html or base.html)
        variables = sample_variables(kind, current.writing_locale)
        check_template(template, variable_names(kind), variables)
        return render_email(template, variables), current.writing_locale
