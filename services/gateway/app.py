"""The FastAPI application of the gateway."""

from __future__ import annotations

from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

from services.gateway import problems
from services.gateway.deps import Clients
from services.gateway.keys import KeyStore
from services.gateway.routes import (
    accounts,
    audit,
    billing,
    catalog,
    credit_notes,
    documents,
    explain,
    keys,
    payments,
    schedules,
    subscriptions,
    tariffs,
    taxes,
    usage,
)

DESCRIPTION = """Billing for ISPs and telecom operators.

Authenticate with `Authorization: Bearer <API key>`; the key decides the tenant and the role.
Errors are `application/problem+json` naming the field and the reason."""
ROUTE_MODULES = (catalog, accounts, subscriptions, tariffs, usage, taxes, schedules, documents, billing,
                 explain, credit_notes, payments, audit, keys)
"""Routers in matching order: documents (/invoices/{id}.pdf) before billing (/invoices/{id})."""


def create_app(clients: Clients, key_store: KeyStore) -> FastAPI:
    """The gateway with its routes, problem+json errors and tracing."""
    app = FastAPI(title="Telco billing API", version="1.0", description=DESCRIPTION)
    app.state.clients = clients
    app.state.keys = key_store
    problems.install(app)
    for module in ROUTE_MODULES:
        app.include_router(module.router)

    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict[str, str]:
        """The gateway process is up."""
        return {"status": "ok"}

    FastAPIInstrumentor.instrument_app(app)
    return app
