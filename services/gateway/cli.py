"""Gateway administration: create a tenant with its first admin key."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from kernel.database import create_pool, ensure_schema
from services.gateway.keys import DDL, KeyStore, Role
from services.gateway.settings import Settings


async def create_tenant(name: str, database_url: str) -> dict[str, str]:
    """A new tenant and an admin API key for it (the key is shown once)."""
    pool = await create_pool(database_url)
    try:
        await ensure_schema(pool, "gateway", DDL)
        store = KeyStore(pool)
        tenant_id = await store.create_tenant(name)
        key_id, api_key = await store.issue(tenant_id, Role.ADMIN, f"{name} bootstrap admin")
    finally:
        await pool.close()
    return {"tenant_id": str(tenant_id), "key_id": str(key_id), "api_key": api_key}


def main() -> None:
    """python -m services.gateway.cli create-tenant NAME  (needs DATABASE_URL)."""
    parser = argparse.ArgumentParser(prog="python -m services.gateway.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-tenant", help="create a tenant and its admin key")
    create.add_argument("name")
    args = parser.parse_args()
    settings = Settings()  # type: ignore[call-arg]
    result = asyncio.run(create_tenant(args.name, settings.database_url))
    sys.stdout.write(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
