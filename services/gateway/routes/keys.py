"""API keys of the caller's tenant."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Request

from services.gateway.deps import allow
from services.gateway.keys import KeyStore, Principal, Role
from services.gateway.models import ApiKeyCreate

router = APIRouter(prefix="/v1", tags=["api keys"])


@router.post("/api-keys", status_code=201)
async def issue_key(
    body: ApiKeyCreate, request: Request, caller: Principal = Depends(allow(Role.ADMIN))
) -> dict[str, Any]:
    """Issue a key for the caller's tenant; the secret is shown once, only its hash is kept."""
    try:
        role = Role(body.role)
    except ValueError:
        raise HTTPException(422, f"role must be one of {[r.value for r in Role]}") from None
    account_id = parse_account(body.account_id, role)
    store: KeyStore = request.app.state.keys
    key_id, api_key = await store.issue(caller.tenant_id, role, body.label, account_id)
    return {"key_id": str(key_id), "role": role.value, "api_key": api_key,
            "account_id": str(account_id) if account_id else None}


def parse_account(text: str | None, role: Role) -> UUID | None:
    """Customer keys belong to one account; other roles to none."""
    if role is not Role.CUSTOMER:
        return None
    try:
        return UUID(text or "")
    except ValueError:
        raise HTTPException(422, "account_id: a customer key needs the account's id") from None
