"""PostgreSQL storage of each tenant's email templates in schema notify (asyncpg)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import asyncpg

from services.notify.events import NotificationKind
from services.notify.template_book import StoredTemplate
from services.notify.templating import EmailTemplate

TEMPLATE_DDL = [
    "CREATE TABLE IF NOT EXISTS notify.email_templates ("
    " tenant_id uuid NOT NULL, kind text NOT NULL, locale text NOT NULL,"
    " subject text NOT NULL, text_body text NOT NULL, html_body text NOT NULL,"
    " updated_at timestamptz NOT NULL, PRIMARY KEY (tenant_id, kind, locale))",
]
COLUMNS = "kind, locale, subject, text_body, html_body, updated_at"


def template_from_row(row: asyncpg.Record) -> StoredTemplate:
    """A stored row as the tenant's template."""
    return StoredTemplate(
        kind=NotificationKind(row["kind"]), locale=row["locale"],
        template=EmailTemplate(row["subject"], row["text_body"], row["html_body"]),
        updated_at=row["updated_at"],
    )


class PostgresTemplateStore:
    """Templates in notify.email_templates, one per tenant, kind and locale."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def put(self, tenant_id: UUID, stored: StoredTemplate) -> None:
        """Insert or replace the tenant's template of this kind and locale."""
        template = stored.template
        await self.pool.execute(
            "INSERT INTO notify.email_templates (tenant_id, kind, locale, subject, text_body,"
            " html_body, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
            " ON CONFLICT (tenant_id, kind, locale) DO UPDATE SET subject = excluded.subject,"
            " text_body = excluded.text_body, html_body = excluded.html_body,"
            " updated_at = excluded.updated_at",
            tenant_id, stored.kind.value, stored.locale, template.subject, template.text,
            template.html, stored.updated_at,
        )

    async def find(
        self, tenant_id: UUID, kind: NotificationKind, locales: Sequence[str]
    ) -> dict[str, StoredTemplate]:
        """The tenant's templates of the kind in any of these locales, by locale."""
        rows = await self.pool.fetch(
            f"SELECT {COLUMNS} FROM notify.email_templates"
            " WHERE tenant_id = $1 AND kind = $2 AND locale = ANY($3::text[])",
            tenant_id, kind.value, list(locales),
        )
        return {row["locale"]: template_from_row(row) for row in rows}

    async def list_templates(
        self, tenant_id: UUID, kind: NotificationKind | None
    ) -> list[StoredTemplate]:
        """The tenant's templates by kind and locale, optionally of one kind."""
        rows = await self.pool.fetch(
            f"SELECT {COLUMNS} FROM notify.email_templates"
            " WHERE tenant_id = $1 AND ($2::text IS NULL OR kind = $2) ORDER BY kind, locale",
            tenant_id, kind.value if kind else None,
        )
        return [template_from_row(row) for row in rows]

    async def delete(self, tenant_id: UUID, kind: NotificationKind, locale: str) -> bool:
        """Remove the template; False when there was none."""
        status = await self.pool.execute(
            "DELETE FROM notify.email_templates WHERE tenant_id = $1 AND kind = $2 AND locale = $3",
            tenant_id, kind.value, locale,
        )
        return bool(status == "DELETE 1")
