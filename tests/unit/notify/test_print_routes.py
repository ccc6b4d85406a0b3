"""The gateway's print batch and delivery preference routes over a fake notify service."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import grpc
import httpx
from billing.notify.v1 import printing_pb2

from services.gateway.app import create_app
from services.gateway.deps import Clients
from tests.unit.gateway.gateway_fakes import FakeKeys, FakeService, rpc_error


class FakeDownload:
    """A server-streaming call answering chunks, or failing before the first."""

    def __init__(self, chunks: list[bytes], error: grpc.aio.AioRpcError | None = None) -> None:
        self.chunks = list(chunks)
        self.error = error
        self.cancelled = False

    def cancel(self) -> bool:
        self.cancelled = True
        return True

    async def read(self) -> Any:
        if self.error is not None:
            raise self.error
        return printing_pb2.FileChunk(data=self.chunks.pop(0)) if self.chunks else grpc.aio.EOF  # type: ignore[attr-defined]


class FakePrinting(FakeService):
    """Unary answers as FakeService, and DownloadPrintBatch streaming the given call."""

    def __init__(self, download: FakeDownload | None = None, **answers: Any) -> None:
        super().__init__(**answers)
        self.download = download

    def DownloadPrintBatch(self, request: Any, timeout: float | None = None) -> FakeDownload:
        self.requests["DownloadPrintBatch"].append(request)
        assert self.download is not None
        return self.download


def gateway(printing: FakeService, role: str = "operator") -> httpx.AsyncClient:
    """The gateway over fakes with a print service."""
    clients = Clients(usage=FakeService(), rating=FakeService(), invoice=FakeService(), payment=FakeService(),
                      notify=FakeService(), timeout=5, bill_run_timeout=5, printing=printing)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(clients, FakeKeys())),  # type: ignore[arg-type]
                             base_url="http://gateway", headers={"Authorization": f"Bearer {role}"})


async def test_the_pdf_is_streamed_chunk_by_chunk() -> None:
    service = FakePrinting(FakeDownload([b"%PDF-1.7\n", b"pages", b"%%EOF\n"]))
    async with gateway(service) as api:
        response = await api.get("/v1/print-batches/b-1.pdf")

    assert response.status_code == 200
    assert response.content == b"%PDF-1.7\npages%%EOF\n"
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="print-batch-b-1.pdf"'
    [request] = service.requests["DownloadPrintBatch"]
    assert (request.batch_id, request.part) == ("b-1", "pdf")
    assert service.download is not None and service.download.cancelled


async def test_the_manifest_is_csv_and_a_batch_not_ready_is_a_problem() -> None:
    ready = FakePrinting(FakeDownload([b"sequence,invoice_number\r\n"]))
    building = FakePrinting(FakeDownload([], rpc_error(grpc.StatusCode.FAILED_PRECONDITION, "building")))
    async with gateway(ready) as api:
        manifest = await api.get("/v1/print-batches/b-1/manifest.csv")
    async with gateway(building) as api:
        refused = await api.get("/v1/print-batches/b-1/manifest.csv")

    assert manifest.headers["content-type"] == "text/csv; charset=utf-8"
    assert manifest.text == "sequence,invoice_number\r\n"
    assert ready.requests["DownloadPrintBatch"][0].part == "manifest"
    assert (refused.status_code, refused.headers["content-type"]) == (409, "application/problem+json")


async def test_batches_report_byte_sizes_as_numbers() -> None:
    batch = printing_pb2.PrintBatch(batch_id="b-1", status="ready", pdf_bytes=5_000_000_000,
                                    manifest_bytes=12)
    service = FakePrinting(GetPrintBatch=batch, ListPrintBatches=printing_pb2.ListPrintBatchesResponse(
        batches=[batch]), BuildPrintBatch=printing_pb2.PrintBatch(batch_id="b-1", status="building"))
    async with gateway(service) as api:
        one = (await api.get("/v1/print-batches/b-1")).json()
        listed = (await api.get("/v1/print-batches", params={"bill_run_id": "r-1"})).json()
        rebuilt = await api.post("/v1/bill-runs/r-1/print-batch")

    assert (one["pdf_bytes"], one["manifest_bytes"]) == (5_000_000_000, 12)
    assert listed["batches"][0]["pdf_bytes"] == 5_000_000_000
    assert service.requests["ListPrintBatches"][0].bill_run_id == "r-1"
    assert (rebuilt.status_code, rebuilt.json()["status"]) == (202, "building")


async def test_customers_set_their_own_paper_preference_only() -> None:
    own, other = str(uuid4()), str(uuid4())
    service = FakePrinting(SetPaperPreference=printing_pb2.PaperPreference(account_id=own, paper=True))
    async with gateway(service, role=f"customer:{own}") as customer:
        mine = await customer.put(f"/v1/accounts/{own}/delivery-preferences", json={"paper": True})
        theirs = await customer.put(f"/v1/accounts/{other}/delivery-preferences", json={"paper": True})
        batches = await customer.get("/v1/print-batches")

    assert mine.json() == {"account_id": own, "paper": True, "updated_at": ""}
    assert (theirs.status_code, batches.status_code) == (404, 403)
    assert len(service.requests["SetPaperPreference"]) == 1


async def test_paper_must_be_a_boolean() -> None:
    service = FakePrinting()
    async with gateway(service) as api:
        response = await api.put("/v1/accounts/a-1/delivery-preferences", json={"paper": "yes"})

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["paper"]
    assert service.requests == {}
