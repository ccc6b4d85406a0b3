"""The billing CLI: a bill run drawn from its progress, and verification's exit status."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import grpc
import pytest
from billing.invoice.v1 import invoice_pb2

from services.gateway.billing_cli import FAILED, NOT_VERIFIED, execute, parser
from services.gateway.settings import ClientSettings
from tests.unit.gateway.gateway_fakes import rpc_error

SETTINGS = ClientSettings(grpc_timeout_seconds=1, bill_run_timeout_seconds=5)


def run_of(status: str, done: int) -> invoice_pb2.BillRun:
    """The run of 2026-11-01 over three accounts, `done` of them billed."""
    return invoice_pb2.BillRun(bill_run_id="br-1", bill_date="2026-11-01", status=status, accounts_due=3,
                               invoices_created=done, usage_watermark=77)


class SlowInvoices:
    """An invoice service whose bill run takes a second, reporting progress meanwhile."""

    def __init__(self, verified: bool = True) -> None:
        self.verified = verified
        self.fetched: list[str] = []

    async def RunBilling(self, request: Any, timeout: float | None = None) -> invoice_pb2.BillRun:
        await asyncio.sleep(1.2)
        return run_of("completed", 3)

    async def ListBillRuns(self, request: Any, timeout: float | None = None) -> Any:
        self.fetched.append("list")
        return invoice_pb2.ListBillRunsResponse(bill_runs=[run_of("running", 1)])

    async def GetBillRun(self, request: Any, timeout: float | None = None) -> invoice_pb2.BillRun:
        self.fetched.append(request.bill_run_id)
        return run_of("running", 2)

    async def VerifyInvoice(self, request: Any, timeout: float | None = None) -> Any:
        if request.invoice_id == "missing":
            raise rpc_error(grpc.StatusCode.NOT_FOUND, "invoice missing not found")
        return invoice_pb2.InvoiceVerification(invoice_id=request.invoice_id, verified=self.verified)


async def test_a_bill_run_polls_its_progress_and_prints_the_completed_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    invoices = SlowInvoices()
    args = parser().parse_args(["bill-run", "--tenant", "t-1", "--date", "2026-11-01"])
    assert await execute(invoices, args, SETTINGS) == 0
    printed = json.loads(capsys.readouterr().out)
    assert (printed["status"], printed["invoices_created"], printed["usage_watermark"]) == (
        "completed", 3, 77)
    assert invoices.fetched[0] == "list"
    assert set(invoices.fetched[1:]) == {"br-1"}


@pytest.mark.parametrize(("invoice_id", "verified", "status"), [
    ("inv-1", True, 0), ("inv-1", False, NOT_VERIFIED), ("missing", True, FAILED)])
async def test_verify_exits_by_the_outcome(
    invoice_id: str, verified: bool, status: int, capsys: pytest.CaptureFixture[str]
) -> None:
    args = parser().parse_args(["verify", "--tenant", "t-1", "--invoice", invoice_id])
    assert await execute(SlowInvoices(verified), args, SETTINGS) == status
    output = capsys.readouterr()
    if status == FAILED:
        assert output.err.startswith("NOT_FOUND")
    else:
        assert json.loads(output.out)["verified"] is verified
