"""Print batches against real PostgreSQL, nats-server and an in-test invoice service."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import asyncpg
import grpc
import pytest
from billing.common.v1 import common_pb2
from billing.invoice.v1 import invoice_pb2, invoice_pb2_grpc
from billing.notify.v1 import printing_pb2, printing_pb2_grpc
from fpdf import FPDF
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from pypdf import PdfReader

from kernel.clock import FixedClock
from kernel.database import create_pool, ensure_schema
from kernel.grpc import GrpcServer, channel
from kernel.messaging import EVENTS_STREAM, connect, ensure_stream, publish
from services.notify.printing.consumer import BILL_RUN_COMPLETED_SUBJECT
from services.notify.printing.settings import PrintSettings
from services.notify.printing.sql import DDL
from services.notify.printing.wiring import build_printing


async def eventually(check: Callable[[], Awaitable[bool]], what: str, timeout: float = 30.0) -> None:
    """Wait until check() is true, or fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


def pdf(number: str, pages: int) -> bytes:
    """An invoice PDF whose pages say '<number> page <n>'."""
    document = FPDF()
    document.set_font("helvetica", size=12)
    for page in range(1, pages + 1):
        document.add_page()
        document.cell(text=f"{number} page {page}")
    return bytes(document.output())


@dataclass
class FakeAccount:
    name: str
    lines: list[str]
    tax_region: str = "GB"


@dataclass
class FakeInvoice:
    invoice_id: str
    number: str
    account_id: str
    pages: int
    total: str = "24.00"
    content: bytes | None = None
    failure: grpc.StatusCode | None = None


class FakeInvoiceService(invoice_pb2_grpc.InvoiceServiceServicer):
    """Bill runs, accounts and invoices of tenants; answers at most two invoices a page."""

    def __init__(self) -> None:
        self.runs: dict[tuple[str, str], str] = {}
        self.accounts: dict[tuple[str, str], FakeAccount] = {}
        self.invoices: dict[tuple[str, str], list[FakeInvoice]] = {}
        self.list_calls = 0

    def add_account(self, tenant_id: UUID, name: str, lines: list[str]) -> str:
        account_id = str(uuid4())
        self.accounts[(str(tenant_id), account_id)] = FakeAccount(name, lines)
        return account_id

    def add_invoice(self, tenant_id: UUID, run_id: str, account_id: str, pages: int,
                    content: bytes | None = None) -> FakeInvoice:
        invoices = self.invoices.setdefault((str(tenant_id), run_id), [])
        number = f"INV-{len(invoices) + 1:04d}"
        invoice = FakeInvoice(str(uuid4()), number, account_id, pages, content=content)
        invoices.append(invoice)
        return invoice

    def invoice(self, tenant_id: str, invoice_id: str) -> FakeInvoice | None:
        return next((i for (tenant, _), listed in self.invoices.items() if tenant == tenant_id
                     for i in listed if i.invoice_id == invoice_id), None)

    async def GetBillRun(self, request: invoice_pb2.GetBillRunRequest,
                         context: grpc.aio.ServicerContext) -> invoice_pb2.BillRun:
        status = self.runs.get((request.tenant_id, request.bill_run_id))
        if status is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, "bill run not found")
        return invoice_pb2.BillRun(bill_run_id=request.bill_run_id, status=status)

    async def ListInvoices(self, request: invoice_pb2.ListInvoicesRequest,
                           context: grpc.aio.ServicerContext) -> invoice_pb2.ListInvoicesResponse:
        self.list_calls += 1
        listed = self.invoices.get((request.tenant_id, request.bill_run_id), [])
        start = int(request.page_token or 0)
        page = listed[start:start + 2]
        return invoice_pb2.ListInvoicesResponse(
            invoices=[invoice_pb2.Invoice(
                invoice_id=i.invoice_id, account_id=i.account_id, number=i.number, status="finalized",
                total=common_pb2.Money(amount=i.total, currency="GBP")) for i in page],
            next_page_token=str(start + 2) if start + 2 < len(listed) else "")

    async def GetAccount(self, request: invoice_pb2.GetAccountRequest,
                         context: grpc.aio.ServicerContext) -> invoice_pb2.Account:
        account = self.accounts.get((request.tenant_id, request.account_id))
        if account is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, "account not found")
        return invoice_pb2.Account(account_id=request.account_id, name=account.name, details=(
            invoice_pb2.BillingDetails(address_lines=account.lines, tax_region=account.tax_region)))

    async def RenderDocument(self, request: invoice_pb2.RenderDocumentRequest,
                             context: grpc.aio.ServicerContext) -> invoice_pb2.RenderedDocument:
        invoice = self.invoice(request.tenant_id, request.document_id)
        if invoice is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, "invoice not found")
        if invoice.failure is not None:
            await context.abort(invoice.failure, "renderer crashed")
        content = invoice.content if invoice.content is not None else pdf(invoice.number, invoice.pages)
        return invoice_pb2.RenderedDocument(content_type="application/pdf", filename=f"{invoice.number}.pdf",
                                            content=content)


class PrintStack:
    """Print batches' consumer, worker and gRPC API in this process, with the fake invoice service."""

    pool: asyncpg.Pool
    nc: NATS
    js: JetStreamContext
    invoice_server: grpc.aio.Server
    invoice_channel: grpc.aio.Channel
    server: GrpcServer
    client_channel: grpc.aio.Channel
    stub: printing_pb2_grpc.PrintServiceStub

    def __init__(self, database_url: str, nats_url: str) -> None:
        self.database_url, self.nats_url = database_url, nats_url
        self.clock = FixedClock(datetime.now(UTC))
        self.invoices = FakeInvoiceService()
        self.stopping = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []
        self.events = 0

    async def start(self) -> None:
        self.pool = await create_pool(self.database_url)
        await ensure_schema(self.pool, "notify", DDL)
        self.invoice_server = grpc.aio.server()
        invoice_pb2_grpc.add_InvoiceServiceServicer_to_server(self.invoices, self.invoice_server)
        port = self.invoice_server.add_insecure_port("127.0.0.1:0")
        await self.invoice_server.start()
        self.invoice_channel = channel(f"127.0.0.1:{port}")
        self.nc = await connect(self.nats_url, "print-test")
        self.js = self.nc.jetstream()
        await ensure_stream(self.js, EVENTS_STREAM)
        self.printing = build_printing(self.pool, self.invoice_channel,
                                       PrintSettings(chunk_bytes=1024, poll_seconds=0.05), self.clock)
        self.tasks = [asyncio.create_task(self.printing.consumer(self.js).run(self.stopping)),
                      asyncio.create_task(self.printing.worker.run(self.stopping))]
        self.server = GrpcServer([self.printing.registration])
        self.client_channel = grpc.aio.insecure_channel(await self.server.start("127.0.0.1:0"))
        self.stub = printing_pb2_grpc.PrintServiceStub(self.client_channel)

    async def stop(self) -> None:
        self.stopping.set()
        await asyncio.gather(*self.tasks)
        await self.client_channel.close(None)
        await self.server.stop(0)
        await self.invoice_channel.close(None)
        await self.invoice_server.stop(0)
        await self.nc.close()
        await self.pool.close()

    def bill_run(self, tenant_id: UUID, status: str = "completed") -> str:
        run_id = str(uuid4())
        self.invoices.runs[(str(tenant_id), run_id)] = status
        return run_id

    async def completed(self, tenant_id: UUID, run_id: str, version: int = 5) -> None:
        """Publish the run's BillRun.Completed event as the invoice relay does."""
        self.events += 1
        body = json.dumps({"id": f"invoice:{self.events}", "service": "invoice",
                           "notification_id": self.events, "type": "BillRun.Completed",
                           "tenant_id": str(tenant_id), "aggregate_id": run_id, "aggregate_version": version,
                           "occurred_at": self.clock.now().isoformat(),
                           "data": {"invoices_created": 3, "invoices_already_present": 0}}).encode()
        await publish(self.js, BILL_RUN_COMPLETED_SUBJECT, body, msg_id=f"invoice:{self.events}")

    async def paper(self, tenant_id: UUID, account_id: str,
                    paper: bool = True) -> printing_pb2.PaperPreference:
        return await self.stub.SetPaperPreference(printing_pb2.SetPaperPreferenceRequest(
            tenant_id=str(tenant_id), account_id=account_id, paper=paper))

    async def batch_of(self, tenant_id: UUID, run_id: str) -> printing_pb2.PrintBatch | None:
        listed = await self.stub.ListPrintBatches(printing_pb2.ListPrintBatchesRequest(
            tenant_id=str(tenant_id), bill_run_id=run_id))
        return listed.batches[0] if listed.batches else None

    async def settled(self, tenant_id: UUID, run_id: str) -> printing_pb2.PrintBatch:
        """The run's batch once it is ready or failed."""
        async def done() -> bool:
            batch = await self.batch_of(tenant_id, run_id)
            return batch is not None and batch.status in ("ready", "failed")

        await eventually(done, "the batch to be built")
        found = await self.batch_of(tenant_id, run_id)
        assert found is not None
        return found

    async def download(self, tenant_id: UUID, batch_id: str, part: str) -> bytes:
        chunks = [chunk.data async for chunk in self.stub.DownloadPrintBatch(
            printing_pb2.DownloadPrintBatchRequest(tenant_id=str(tenant_id), batch_id=batch_id, part=part))]
        return b"".join(chunks)


@pytest.fixture
async def stack(database_url: str, nats_url: str) -> AsyncIterator[PrintStack]:
    print_stack = PrintStack(database_url, nats_url)
    await print_stack.start()
    yield print_stack
    await print_stack.stop()


def page_texts(content: bytes) -> list[str]:
    return [page.extract_text().strip() for page in PdfReader(io.BytesIO(content), strict=True).pages]


async def test_a_completed_run_prints_its_paper_invoices_in_address_order(stack: PrintStack) -> None:
    tenant = uuid4()
    run = stack.bill_run(tenant)
    islington = stack.invoices.add_account(tenant, "Zoe Zed", ["9 Upper Street", "London", "N1 0NY"])
    hackney = stack.invoices.add_account(tenant, "Al Able", ["1 Mare Street", "London", "E8 4RP"])
    camden = stack.invoices.add_account(tenant, "Bo Bell", ["2 High Street", "London", "NW1 7JR"])
    email_only = stack.invoices.add_account(tenant, "Cy Email", ["3 Low Road", "London", "N1 1AA"])
    homeless = stack.invoices.add_account(tenant, "Di Nowhere", [])
    invoices = {name: stack.invoices.add_invoice(tenant, run, account, pages) for name, account, pages in [
        ("islington", islington, 2), ("hackney", hackney, 1), ("camden", camden, 3),
        ("email_only", email_only, 1), ("homeless", homeless, 1)]}
    for account in (islington, hackney, camden, homeless):
        await stack.paper(tenant, account)

    await stack.completed(tenant, run)
    batch = await stack.settled(tenant, run)

    assert (batch.status, batch.reason, batch.document_count, batch.page_count) == ("ready", "", 3, 6)
    assert [(s.invoice_number, s.reason) for s in batch.skipped] == [
        (invoices["homeless"].number, "no_postal_address")]
    merged = await stack.download(tenant, batch.batch_id, "pdf")
    assert (len(merged), hashlib.sha256(merged).hexdigest()) == (batch.pdf_bytes, batch.pdf_sha256)
    chunks = await stack.pool.fetchval("SELECT count(*) FROM notify.print_batch_chunks WHERE batch_id = $1"
                                       " AND part = 'pdf'", UUID(batch.batch_id))
    assert chunks == -(-len(merged) // 1024) > 1
    order = [invoices[name].number for name in ("hackney", "islington", "camden")]
    assert page_texts(merged) == [f"{order[0]} page 1", f"{order[1]} page 1", f"{order[1]} page 2",
                                  f"{order[2]} page 1", f"{order[2]} page 2", f"{order[2]} page 3"]
    manifest = await stack.download(tenant, batch.batch_id, "manifest")
    assert hashlib.sha256(manifest).hexdigest() == batch.manifest_sha256
    rows = list(csv.DictReader(io.StringIO(manifest.decode())))
    assert [(r["sequence"], r["invoice_number"], r["first_page"], r["page_count"], r["postcode"], r["name"])
            for r in rows] == [("1", order[0], "1", "1", "E8 4RP", "Al Able"),
                               ("2", order[1], "2", "2", "N1 0NY", "Zoe Zed"),
                               ("3", order[2], "4", "3", "NW1 7JR", "Bo Bell")]
    assert (rows[0]["address_line_1"], rows[0]["city"], rows[0]["country"], rows[0]["total"],
            rows[0]["currency"]) == ("1 Mare Street", "London", "GB", "24.00", "GBP")
    assert stack.invoices.list_calls == 3


async def test_the_same_completion_again_builds_nothing_and_a_rebuild_takes_new_preferences(
    stack: PrintStack
) -> None:
    tenant = uuid4()
    run = stack.bill_run(tenant)
    first = stack.invoices.add_account(tenant, "Ann", ["1 A Road", "Leeds", "LS1 1AA"])
    second = stack.invoices.add_account(tenant, "Ben", ["2 B Road", "Leeds", "LS2 2BB"])
    stack.invoices.add_invoice(tenant, run, first, 1)
    stack.invoices.add_invoice(tenant, run, second, 2)
    await stack.paper(tenant, first)
    await stack.completed(tenant, run, version=5)
    built = await stack.settled(tenant, run)
    calls = stack.invoices.list_calls

    await stack.completed(tenant, run, version=5)
    await asyncio.sleep(0.5)
    again = await stack.batch_of(tenant, run)
    assert again == built and stack.invoices.list_calls == calls

    await stack.paper(tenant, second)
    queued = await stack.stub.BuildPrintBatch(printing_pb2.BuildPrintBatchRequest(
        tenant_id=str(tenant), bill_run_id=run))
    assert (queued.batch_id, queued.status) == (built.batch_id, "building")
    rebuilt = await stack.settled(tenant, run)
    assert (rebuilt.document_count, rebuilt.page_count) == (2, 3)
    assert len(page_texts(await stack.download(tenant, rebuilt.batch_id, "pdf"))) == 3


async def test_an_empty_run_has_an_empty_batch_with_a_header_only_manifest(stack: PrintStack) -> None:
    tenant = uuid4()
    run = stack.bill_run(tenant)
    stack.invoices.add_invoice(tenant, run, stack.invoices.add_account(tenant, "Em", ["1 Road", "York"]), 1)

    await stack.completed(tenant, run)
    batch = await stack.settled(tenant, run)

    assert (batch.status, batch.document_count, batch.page_count, batch.pdf_bytes) == ("ready", 0, 0, 0)
    manifest = await stack.download(tenant, batch.batch_id, "manifest")
    assert manifest.decode().splitlines()[0].startswith("sequence,invoice_number,")
    assert len(manifest.decode().splitlines()) == 1
    with pytest.raises(grpc.aio.AioRpcError) as empty:
        await stack.download(tenant, batch.batch_id, "pdf")
    assert empty.value.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_an_unreadable_invoice_fails_the_batch_with_the_reason_and_others_still_build(
    stack: PrintStack
) -> None:
    tenant = uuid4()
    broken_run, good_run = stack.bill_run(tenant), stack.bill_run(tenant)
    account = stack.invoices.add_account(tenant, "Fi", ["1 Road", "Hull", "HU1 1AA"])
    await stack.paper(tenant, account)
    broken = stack.invoices.add_invoice(tenant, broken_run, account, 1, content=b"%PDF-1.4 truncated")
    stack.invoices.add_invoice(tenant, good_run, account, 2)

    await stack.completed(tenant, broken_run)
    await stack.completed(tenant, good_run)

    failed = await stack.settled(tenant, broken_run)
    assert failed.status == "failed"
    assert failed.reason.startswith(f"unreadable_pdf: invoice {broken.number}: ")
    assert (await stack.settled(tenant, good_run)).page_count == 2
    with pytest.raises(grpc.aio.AioRpcError) as not_ready:
        await stack.download(tenant, failed.batch_id, "manifest")
    assert not_ready.value.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_a_build_whose_worker_died_is_built_again_once_its_lease_runs_out(stack: PrintStack) -> None:
    tenant = uuid4()
    run = stack.bill_run(tenant)
    account = stack.invoices.add_account(tenant, "Gus", ["1 Road", "Bath", "BA1 1AA"])
    await stack.paper(tenant, account)
    stack.invoices.add_invoice(tenant, run, account, 1)
    store = stack.printing.desk.store
    await store.request(tenant, UUID(run), 5, stack.clock.now(), rebuild=False)
    crashed = await store.claim(stack.clock.now(), stack.clock.now() + timedelta(minutes=10))
    assert crashed is not None

    await asyncio.sleep(0.5)
    waiting = await stack.batch_of(tenant, run)
    assert waiting is not None and waiting.status == "building"
    stack.clock.advance(timedelta(minutes=11))
    stack.printing.worker.wake()

    rebuilt = await stack.settled(tenant, run)
    assert (rebuilt.status, rebuilt.document_count) == ("ready", 1)
    assert not await store.renew(crashed, stack.clock.now() + timedelta(minutes=10))


async def test_preferences_and_batches_are_the_tenants_own(stack: PrintStack) -> None:
    tenant, stranger = uuid4(), uuid4()
    account = stack.invoices.add_account(tenant, "Hal", ["1 Road", "Ely", "CB7 4AA"])
    running = stack.bill_run(tenant, status="running")

    unset = await stack.stub.GetPaperPreference(printing_pb2.GetPaperPreferenceRequest(
        tenant_id=str(tenant), account_id=account))
    assert (unset.paper, unset.updated_at) == (False, "")
    assert (await stack.paper(tenant, account)).paper is True
    calls = [
        stack.stub.SetPaperPreference(printing_pb2.SetPaperPreferenceRequest(
            tenant_id=str(stranger), account_id=account, paper=True)),
        stack.stub.GetPaperPreference(printing_pb2.GetPaperPreferenceRequest(
            tenant_id=str(stranger), account_id=account)),
        stack.stub.BuildPrintBatch(printing_pb2.BuildPrintBatchRequest(
            tenant_id=str(stranger), bill_run_id=running)),
        stack.stub.GetPrintBatch(printing_pb2.GetPrintBatchRequest(
            tenant_id=str(tenant), batch_id=str(uuid4()))),
    ]
    for call in calls:
        with pytest.raises(grpc.aio.AioRpcError) as hidden:
            await call
        assert hidden.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.aio.AioRpcError) as not_completed:
        await stack.stub.BuildPrintBatch(printing_pb2.BuildPrintBatchRequest(
            tenant_id=str(tenant), bill_run_id=running))
    assert not_completed.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    with pytest.raises(grpc.aio.AioRpcError) as bad_part:
        await stack.download(tenant, str(uuid4()), "zip")
    assert bad_part.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(grpc.aio.AioRpcError) as bad_id:
        await stack.paper(tenant, "not-an-id")
    assert bad_id.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_render_failures_fail_the_batch_and_an_unavailable_renderer_is_retried(
    stack: PrintStack,
) -> None:
    tenant = uuid4()
    crashing_run, flaky_run = stack.bill_run(tenant), stack.bill_run(tenant)
    accounts = [stack.invoices.add_account(tenant, f"Ivy {n}", [f"{n} Road", "Ripon", "HG4 1AA"])
                for n in range(3)]
    for account in accounts:
        await stack.paper(tenant, account)
    stack.invoices.add_invoice(tenant, crashing_run, accounts[0], 1)
    crashing = stack.invoices.add_invoice(tenant, crashing_run, accounts[1], 1)
    crashing.failure = grpc.StatusCode.INTERNAL
    flaky = stack.invoices.add_invoice(tenant, flaky_run, accounts[2], 1)
    flaky.failure = grpc.StatusCode.UNAVAILABLE

    await stack.completed(tenant, crashing_run)
    failed = await stack.settled(tenant, crashing_run)
    assert failed.status == "failed"
    assert failed.reason == f"render_failed: invoice {crashing.number}: INTERNAL: renderer crashed"

    await stack.completed(tenant, flaky_run)

    async def retrying() -> bool:
        batch = await stack.batch_of(tenant, flaky_run)
        return batch is not None and batch.reason.startswith("retrying: invoice service: UNAVAILABLE")

    await eventually(retrying, "the build to wait for the invoice service")
    waiting = await stack.batch_of(tenant, flaky_run)
    assert waiting is not None and waiting.status == "building"
    flaky.failure = None
    stack.clock.advance(timedelta(minutes=2))
    stack.printing.worker.wake()
    assert (await stack.settled(tenant, flaky_run)).status == "ready"
