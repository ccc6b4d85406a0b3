"""Operator commands straight to the invoice service: run a bill run with progress, verify an invoice.

    python -m services.gateway.billing_cli bill-run --tenant T --date YYYY-MM-DD
    python -m services.gateway.billing_cli verify --tenant T --invoice ID

The invoice service's address is the gateway's INVOICE_GRPC setting. Exit status: 0 done,
1 invoice not verified, 2 the service refused or failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from typing import Any

import grpc
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc
from tqdm import tqdm

from kernel.grpc import channel, field_violation
from services.gateway.models import bill_run_json, jsonable
from services.gateway.settings import ClientSettings

POLL_SECONDS = 0.5
NOT_VERIFIED, FAILED = 1, 2
log = logging.getLogger(__name__)


class Progress:
    """The bill run of one date as the invoice service reports it while it runs."""

    def __init__(self, stub: invoice_pb2_grpc.InvoiceServiceStub, tenant_id: str, bill_date: str,
                 timeout: float) -> None:
        self.stub = stub
        self.tenant_id = tenant_id
        self.bill_date = bill_date
        self.timeout = timeout
        self.bill_run_id = ""
        self.warned = False

    async def poll(self) -> invoice_pb2.BillRun | None:
        """The run's progress now; None until the run is listed (or when the service cannot say)."""
        try:
            return await self.fetch()
        except grpc.aio.AioRpcError as error:
            if not self.warned:
                log.warning("bill run progress unavailable: %s %s", error.code().name, error.details())
            self.warned = True
            return None

    async def fetch(self) -> invoice_pb2.BillRun | None:
        """GetBillRun once the run's id is known from ListBillRuns."""
        if self.bill_run_id:
            return await self.stub.GetBillRun(invoice_pb2.GetBillRunRequest(
                tenant_id=self.tenant_id, bill_run_id=self.bill_run_id), timeout=self.timeout)
        listed = await self.stub.ListBillRuns(
            invoice_pb2.ListBillRunsRequest(tenant_id=self.tenant_id), timeout=self.timeout)
        found = next((run for run in listed.bill_runs if run.bill_date == self.bill_date), None)
        self.bill_run_id = found.bill_run_id if found else ""
        return found


def show(bar: tqdm, bill_run: invoice_pb2.BillRun | None) -> None:
    """Move the bar to the run's progress: accounts due, invoices created or already present."""
    if bill_run is None:
        return
    bar.total = bill_run.accounts_due
    bar.n = bill_run.invoices_created + bill_run.invoices_already_present
    bar.refresh()


async def bill_run(stub: invoice_pb2_grpc.InvoiceServiceStub, tenant_id: str, bill_date: str,
                   settings: ClientSettings) -> dict[str, Any]:
    """Run billing for the date, drawing its progress, and return the completed run."""
    request = invoice_pb2.RunBillingRequest(tenant_id=tenant_id, bill_date=bill_date)
    running = asyncio.ensure_future(stub.RunBilling(request, timeout=settings.bill_run_timeout_seconds))
    progress = Progress(stub, tenant_id, bill_date, settings.grpc_timeout_seconds)
    with tqdm(total=0, unit="account", desc=f"bill run {bill_date}") as bar:
        while not running.done():
            show(bar, await progress.poll())
            await asyncio.wait({running}, timeout=POLL_SECONDS)
        completed = running.result()
        show(bar, completed)
    return bill_run_json(completed)


async def verify(stub: invoice_pb2_grpc.InvoiceServiceStub, tenant_id: str, invoice_id: str,
                 settings: ClientSettings) -> dict[str, Any]:
    """The invoice service's verification of one invoice."""
    verification = await stub.VerifyInvoice(invoice_pb2.VerifyInvoiceRequest(
        tenant_id=tenant_id, invoice_id=invoice_id), timeout=settings.bill_run_timeout_seconds)
    return jsonable(verification)


async def execute(
    stub: invoice_pb2_grpc.InvoiceServiceStub, args: argparse.Namespace, settings: ClientSettings
) -> int:
    """Run one command; write its JSON to stdout and return the exit status."""
    try:
        if args.command == "bill-run":
            result = await bill_run(stub, args.tenant, args.date, settings)
        else:
            result = await verify(stub, args.tenant, args.invoice, settings)
    except grpc.aio.AioRpcError as error:
        sys.stderr.write(refusal(error) + "\n")
        return FAILED
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    return NOT_VERIFIED if args.command == "verify" and not result["verified"] else 0


async def run(args: argparse.Namespace, settings: ClientSettings) -> int:
    """Run one command over a channel to the invoice service."""
    invoice_channel = channel(settings.invoice_grpc)
    try:
        return await execute(invoice_pb2_grpc.InvoiceServiceStub(invoice_channel), args, settings)
    finally:
        await invoice_channel.close(None)


def refusal(error: grpc.aio.AioRpcError) -> str:
    """What the service said, with the field when it named one."""
    violation = field_violation(error)
    where = f" ({violation['field']}: {violation['reason']})" if violation else ""
    return f"{error.code().name}: {error.details()}{where}"


def parser() -> argparse.ArgumentParser:
    """The command line."""
    root = argparse.ArgumentParser(prog="python -m services.gateway.billing_cli",
                                   description="Bill runs and invoice verification.")
    commands = root.add_subparsers(dest="command", required=True)
    run_command = commands.add_parser("bill-run", help="bill every account whose period ends on a date")
    run_command.add_argument("--tenant", required=True, help="tenant id")
    run_command.add_argument("--date", required=True, help="bill date YYYY-MM-DD, not after today")
    verify_command = commands.add_parser("verify", help="verify an invoice; exit 1 when it does not verify")
    verify_command.add_argument("--tenant", required=True, help="tenant id")
    verify_command.add_argument("--invoice", required=True, help="invoice id")
    return root


def main() -> None:
    """Parse the command line and run it against the invoice service."""
    args = parser().parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    sys.exit(asyncio.run(run(args, ClientSettings())))


if __name__ == "__main__":
    main()
