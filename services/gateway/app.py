"""The FastAPI application of the gateway."""

from __future__ import annotations

from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

from services.gateway import problems
from services.gateway.deps import Clients
from services.gateway.idempotency import IdempotencyMiddleware, IdempotencyStore
from services.gateway.keys import KeyStore
from services.gateway.routes import (
    accounts,
    audit,
    billing,
    catalog,
    credit_notes,
    documents,
    dunning,
    explain,
    explanations,
    keys,
    notifications,
    overview,
    payments,
    print_batches,
    queries,
    schedules,
    subscriptions,
    tariffs,
    taxes,
    usage,
    webhooks,
)

DESCRIPTION = """Billing for ISPs and telecom operators.

Authenticate with `Authorization: Bearer <API key>`; the key decides the tenant and the role.
Errors are `application/problem+json` naming the field and the reason.

**Idempotency.** Every `POST`, `PUT`, `PATCH` and `DELETE` under `/v1` accepts an
`Idempotency-Key` header (1 to 255 printable ASCII characters). The first request with a key runs;
a retry with the same key, method, path, query and body gets the stored response again, byte for
byte, with the header `Idempotent-Replayed: true`, and does not run again. Keys belong to the
caller: the tenant and role of the API key (a customer key: its account). They are kept at least
24 hours, then they are new keys again. `409` answers (`errors[0].reason`):
`idempotency_key_reused` (the key was used for a different request), `request_in_progress`
(the first request is still running; retry later) and, for `POST /v1/api-keys`, whose secret is
shown once and never stored, `response_not_kept`. Server errors (5xx) and interrupted requests are
not stored, so a retry runs again; 4xx answers are. See docs/api-idempotency.md."""
ROUTE_MODULES = (catalog, accounts, subscriptions, tariffs, usage, taxes, schedules, documents, billing,
                 explain, explanations, credit_notes, payments, dunning, audit, keys, notifications, webhooks,
                 print_batches, overview, queries)
"""Routers in matching order: documents (/invoices/{id}.pdf) before billing (/invoices/{id})."""


def create_app(clients: Clients, key_store: KeyStore, idempotency: IdempotencyStore | None = None) -> FastAPI:
    """The gateway with its routes, problem+json errors and tracing; with an idempotency store,
    mutating calls honour the Idempotency-Key header."""
    app = FastAPI(title="Telco billing API", version="1.0", description=DESCRIPTION)
    app.state.clients = clients
    app.state.keys = key_store
    problems.install(app)
    if idempotency is not None:
        app.add_middleware(IdempotencyMiddleware, store=idempotency)
    for module in ROUTE_MODULES:
        app.include_router(module.router)

    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict[str, str]:
        """The gateway process is up."""
        return {"status": "ok"}

    FastAPIInstrumentor.instrument_app(app)
    return app
