"""Tax regions and their rates."""

from __future__ import annotations

from typing import Any

from billing.invoice.v1 import invoice_pb2
from fastapi import APIRouter, Depends

from services.gateway.billing_models import TaxRateSet
from services.gateway.deps import STAFF, WRITERS, Clients, allow, clients
from services.gateway.keys import Principal
from services.gateway.models import jsonable

router = APIRouter(prefix="/v1/tax-regions", tags=["taxes"])


@router.put("/{region}/rates")
async def set_tax_rate(
    region: str, body: TaxRateSet, caller: Principal = Depends(allow(*WRITERS)),
    c: Clients = Depends(clients),
) -> dict[str, Any]:
    """Set the region's tax rate from a date (by bill period end); earlier rates stay in force before it.

    Accounts name the region in their billing details; exclusive rates are added to the
    prices, inclusive rates are taken out of them.
    """
    region_rates = await c.invoice.SetTaxRate(invoice_pb2.SetTaxRateRequest(
        tenant_id=str(caller.tenant_id), region=region, name=body.name,
        rate_percent=body.rate_percent, mode=body.mode, effective_from=body.effective_from,
    ), timeout=c.timeout)
    return jsonable(region_rates)


@router.get("")
async def list_tax_regions(
    caller: Principal = Depends(allow(*STAFF)), c: Clients = Depends(clients)
) -> dict[str, Any]:
    """The tenant's tax regions, each with its rates by effective date."""
    response = await c.invoice.ListTaxRegions(invoice_pb2.ListTaxRegionsRequest(
        tenant_id=str(caller.tenant_id)), timeout=c.timeout)
    return {"regions": [jsonable(region) for region in response.regions]}
