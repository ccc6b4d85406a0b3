"""A customer key asking for another account's resources gets 404, and nothing of it is read or written.

One test per route family a customer may use: the account, invoices, invoice documents, payments,
the ledger, dunning, usage, current-cycle usage, line explanations and billing queries."""

from __future__ import annotations

from typing import Any

import pytest
from billing.invoice.v1 import invoice_pb2
from billing.payment.v1 import payment_pb2
from billing.support.v1 import support_pb2

from tests.unit.gateway.test_overview import ACCOUNT, OTHER, Backends, gbp

CARD = {"amount": {"amount": "1.00", "currency": "GBP"}, "method": "card", "token": "tok_visa"}
PERIOD = {"start": "2026-03-01T00:00:00Z", "end": "2026-04-01T00:00:00Z"}
LOOKUPS = {"GetInvoice", "GetCreditNote", "GetPayment", "GetQuery"}
"""What a gateway may read to learn whose a resource is; nothing else is asked for another account."""
Call = tuple[str, str, dict[str, Any] | None, dict[str, str] | None]

FAMILIES: dict[str, list[Call]] = {
    "account": [
        ("GET", f"/v1/accounts/{OTHER}", None, None),
        ("GET", f"/v1/accounts/{OTHER}/subscriptions", None, None),
        ("GET", f"/v1/accounts/{OTHER}/delivery-preferences", None, None),
    ],
    "invoices": [
        ("GET", f"/v1/accounts/{OTHER}/invoices", None, None),
        ("GET", "/v1/invoices/inv-other", None, None),
        ("GET", "/v1/invoices/inv-other/credit-notes", None, None),
        ("GET", "/v1/credit-notes/cn-other", None, None),
    ],
    "invoice documents": [
        ("GET", "/v1/invoices/inv-other.pdf", None, None),
        ("GET", "/v1/invoices/inv-other.html", None, None),
        ("GET", "/v1/credit-notes/cn-other.pdf", None, None),
    ],
    "payments": [
        ("GET", f"/v1/accounts/{OTHER}/payments", None, None),
        ("GET", "/v1/payments/pay-other", None, None),
        ("POST", "/v1/payments/pay-other/resolve", None, None),
        ("POST", "/v1/payments", {**CARD, "invoice_id": "inv-other"}, None),
        ("POST", "/v1/payments", {**CARD, "account_id": OTHER}, None),
        ("GET", f"/v1/accounts/{OTHER}/payment-methods", None, None),
        ("POST", f"/v1/accounts/{OTHER}/payment-methods", {"token": "tok_visa"}, None),
    ],
    "ledger": [("GET", f"/v1/accounts/{OTHER}/ledger", None, None)],
    "dunning": [("GET", f"/v1/accounts/{OTHER}/dunning", None, None)],
    "usage": [
        ("GET", f"/v1/accounts/{OTHER}/rated-usage", None, PERIOD),
        ("GET", f"/v1/accounts/{OTHER}/rated-records", None, PERIOD),
    ],
    "current-cycle usage": [("GET", f"/v1/accounts/{OTHER}/usage/current-cycle", None, None)],
    "explanations": [
        ("GET", "/v1/invoices/inv-other/lines/1/records", None, None),
        ("GET", "/v1/invoices/inv-other/lines/1/explanation", None, None),
        ("GET", "/v1/invoices/inv-other/explanation", None, None),
    ],
    "queries": [
        ("GET", "/v1/queries", None, {"account_id": OTHER}),
        ("GET", "/v1/queries/q-other", None, None),
        ("POST", "/v1/queries", {"account_id": OTHER, "category": "other", "subject": "s", "body": "b"},
         None),
    ],
}


def backends_of_two_accounts() -> Backends:
    """Services answering every lookup with a resource of the other account."""
    backends = Backends()
    backends.invoice.answers["GetInvoice"] = invoice_pb2.Invoice(
        invoice_id="inv-other", account_id=OTHER, status="issued", amount_due=gbp("9.00"),
        lines=[invoice_pb2.InvoiceLine(kind="usage", index=1, account_id=OTHER)])
    backends.invoice.answers["GetCreditNote"] = invoice_pb2.CreditNote(
        credit_note_id="cn-other", account_id=OTHER, invoice_id="inv-other")
    backends.payment.answers["GetPayment"] = payment_pb2.Payment(
        payment_id="pay-other", account_id=OTHER, amount=gbp("9.00"), status="pending")
    assert backends.support is not None
    backends.support.answers["GetQuery"] = support_pb2.Query(query_id="q-other", account_id=OTHER)
    return backends


def asked(backends: Backends) -> set[str]:
    """Every method any stand-in service was called with."""
    services = [backends.invoice, backends.rating, backends.payment, backends.dunning, backends.support]
    return {name for s in services if s is not None for name in s.requests}


@pytest.mark.parametrize("family", list(FAMILIES))
async def test_a_customer_asking_for_another_accounts_resources_gets_404(family: str) -> None:
    backends = backends_of_two_accounts()
    async with backends.client(f"customer:{ACCOUNT}") as api:
        for method, path, body, params in FAMILIES[family]:
            response = await api.request(method, path, json=body, params=params)
            assert response.status_code == 404, (method, path, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["detail"] == "not found"
    assert asked(backends) <= LOOKUPS


async def test_the_same_customer_reads_their_own_account_resources() -> None:
    backends = Backends()
    async with backends.client(f"customer:{ACCOUNT}") as api:
        for path in (f"/v1/accounts/{ACCOUNT}", f"/v1/accounts/{ACCOUNT}/dunning",
                     f"/v1/accounts/{ACCOUNT}/usage/current-cycle", "/v1/me"):
            response = await api.get(path)
            assert response.status_code == 200, (path, response.text)
