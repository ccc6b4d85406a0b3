"""Edge validation of the billing bodies, and service refusals as problem+json."""

from __future__ import annotations

import grpc
from billing.invoice.v1 import invoice_pb2

from tests.unit.gateway.gateway_fakes import FakeService, gateway, rpc_error

ACCOUNT = {"name": "Ada", "billing_email": "ada@example.org", "plan_id": "p-1"}


async def test_a_cycle_day_outside_1_to_31_is_refused_at_the_edge() -> None:
    invoice = FakeService(OpenAccount=invoice_pb2.Account(account_id="a-1"))
    async with gateway(invoice) as api:
        for day in (0, 32):
            response = await api.post("/v1/accounts", json={**ACCOUNT, "bill_cycle_day": day})
            assert response.status_code == 422
            assert [e["field"] for e in response.json()["errors"]] == ["bill_cycle_day"]
    assert not invoice.requests["OpenAccount"]


async def test_new_account_fields_reach_the_service() -> None:
    invoice = FakeService(OpenAccount=invoice_pb2.Account(account_id="a-1"))
    async with gateway(invoice) as api:
        response = await api.post("/v1/accounts", json={
            **ACCOUNT, "address_lines": ["1 High Street", "London"], "locale": "de",
            "tax_region": "GB", "tax_id": "GB123", "bill_cycle_day": 15, "start_date": "2026-10-01"})
    assert response.status_code == 201, response.text
    sent = invoice.requests["OpenAccount"][0]
    assert list(sent.details.address_lines) == ["1 High Street", "London"]
    assert (sent.details.locale, sent.details.tax_region, sent.bill_cycle_day, sent.start_date) == (
        "de", "GB", 15, "2026-10-01")


async def test_a_detail_the_service_refuses_is_named_as_the_body_names_it() -> None:
    invoice = FakeService(OpenAccount=rpc_error(
        grpc.StatusCode.INVALID_ARGUMENT, "unknown locale 'xx'", "details.locale", "unknown locale"))
    async with gateway(invoice) as api:
        response = await api.post("/v1/accounts", json={**ACCOUNT, "locale": "xx"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "locale", "reason": "unknown locale"}]


async def test_a_bill_run_takes_a_bill_date_only() -> None:
    invoice = FakeService(RunBilling=invoice_pb2.BillRun(
        bill_run_id="br-1", bill_date="2026-11-01", status="completed", usage_watermark=12))
    async with gateway(invoice) as api:
        old = await api.post("/v1/bill-runs", json={"period_start": "2026-10-01",
                                                    "period_end": "2026-11-01"})
        assert old.status_code == 422
        bad = await api.post("/v1/bill-runs", json={"bill_date": "1 Nov 2026"})
        assert [e["field"] for e in bad.json()["errors"]] == ["bill_date"]
        run = await api.post("/v1/bill-runs", json={"bill_date": "2026-11-01"})
    assert run.status_code == 201, run.text
    assert run.json()["usage_watermark"] == 12
    assert invoice.requests["RunBilling"][0].bill_date == "2026-11-01"


async def test_unknown_fields_and_float_money_are_refused() -> None:
    async with gateway() as api:
        extra = await api.put("/v1/tax-regions/GB/rates", json={
            "name": "VAT", "rate_percent": "20", "mode": "exclusive",
            "effective_from": "2026-01-01", "colour": "red"})
        floats = await api.post("/v1/accounts/a-1/charges", json={
            "description": "Router", "amount": {"amount": 12.5, "currency": "GBP"}})
    assert {"field": "colour", "reason": "Extra inputs are not permitted"} in extra.json()["errors"]
    assert floats.status_code == 422
    assert [e["field"] for e in floats.json()["errors"]] == ["amount.amount"]


async def test_a_charge_without_an_id_gets_one() -> None:
    invoice = FakeService(AddCharge=invoice_pb2.Charge(charge_id="c-1"))
    async with gateway(invoice) as api:
        response = await api.post("/v1/accounts/a-1/charges", json={
            "description": "Router", "amount": {"amount": "-12.50", "currency": "GBP"}})
    assert response.status_code == 201, response.text
    sent = invoice.requests["AddCharge"][0]
    assert sent.charge_id and sent.amount.amount == "-12.50"


async def test_status_changes_need_no_body() -> None:
    invoice = FakeService(ChangeAccountStatus=invoice_pb2.Account(account_id="a-1", status="closed"))
    async with gateway(invoice) as api:
        assert (await api.post("/v1/accounts/a-1/suspend")).status_code == 200
        closed = await api.post("/v1/accounts/a-1/close", json={"effective_date": "2026-11-30"})
    assert closed.status_code == 200, closed.text
    sent = invoice.requests["ChangeAccountStatus"]
    assert [(r.action, r.effective_date) for r in sent] == [("suspend", ""), ("close", "2026-11-30")]


async def test_verification_is_for_auditors_admins_and_operators() -> None:
    invoice = FakeService(VerifyInvoice=invoice_pb2.InvoiceVerification(verified=True))
    async with gateway(invoice, role="support") as api:
        assert (await api.get("/v1/invoices/inv-1/verification")).status_code == 403
    async with gateway(invoice, role="auditor") as api:
        response = await api.get("/v1/invoices/inv-1/verification")
    assert response.json()["verified"] is True


async def test_an_rpc_the_service_does_not_have_yet_is_501() -> None:
    async with gateway() as api:
        response = await api.get("/v1/tax-regions")
    assert response.status_code == 501
    assert response.headers["content-type"] == "application/problem+json"


async def test_credit_note_retries_send_the_same_request_id() -> None:
    invoice = FakeService(IssueCreditNote=invoice_pb2.CreditNote(credit_note_id="cn-1"))
    body = {"reason": "outage", "lines": [{"line_index": 2}, {"line_index": 3, "amount": "1.50"}]}
    async with gateway(invoice) as api:
        for _ in range(2):
            response = await api.post("/v1/invoices/inv-1/credit-notes", json=body,
                                      headers={"Idempotency-Key": "cn-req-1"})
            assert response.status_code == 201, response.text
    sent = invoice.requests["IssueCreditNote"]
    assert {r.request_id for r in sent} == {"cn-req-1"}
    assert [(line.line_index, line.amount) for line in sent[0].lines] == [(2, ""), (3, "1.50")]
