"""Usage capture through all four inputs, with dedup, rejections, resubmission and reconciliation."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import grpc
import httpx
import nats
import pytest
from billing.usage.v1 import usage_pb2, usage_pb2_grpc

from kernel.database import connection_parts
from tests.e2e.conftest import Stack
from tests.e2e.test_thin_path import eventually, new_key

pytestmark = pytest.mark.e2e

TODAY = datetime.now(UTC).date()
YESTERDAY = TODAY - timedelta(days=1)
NUMBER = "+442079460001"
UNKNOWN_NUMBER = "+442079460002"


def asterisk_row(uniqueid: str, src: str, billsec: int, disposition: str = "ANSWERED") -> str:
    """A Master.csv row as Asterisk writes it (every text field quoted)."""
    start = f"{YESTERDAY} 10:00:00"
    answer = f"{YESTERDAY} 10:00:05" if disposition == "ANSWERED" else ""
    end = f"{YESTERDAY} 10:{billsec // 60 + 1:02d}:00"
    return (f'"","{src}","4420794600{uniqueid[-2:]}","from-internal","""Ada"" <{src}>",'
            f'"SIP/100-0001","SIP/trunk-0002","Dial","SIP/trunk/44207946,60","{start}","{answer}",'
            f'"{end}",{billsec + 5},{billsec},"{disposition}","DOCUMENTATION","{uniqueid}",""\n')


def radius_block(status: str, seconds: int, octets_in: int, octets_out: int, epoch: int) -> str:
    """An accounting request as FreeRADIUS writes it to a detail file."""
    return (f"Mon Nov 23 10:00:00 2026\n"
            f"\tAcct-Status-Type = {status}\n"
            f'\tUser-Name = "ada@dsl"\n'
            f'\tAcct-Session-Id = "00000042"\n'
            f'\tAcct-Unique-Session-Id = "u-42"\n'
            f"\tNAS-IP-Address = 192.0.2.1\n"
            f"\tAcct-Session-Time = {seconds}\n"
            f"\tAcct-Input-Octets = {octets_in % 2**32}\n"
            f"\tAcct-Input-Gigawords = {octets_in // 2**32}\n"
            f"\tAcct-Output-Octets = {octets_out % 2**32}\n"
            f"\tAcct-Output-Gigawords = {octets_out // 2**32}\n"
            f"\tEvent-Timestamp = {epoch}\n"
            f"\tTimestamp = {epoch}\n\n")


async def setup_account(admin: httpx.AsyncClient) -> tuple[httpx.AsyncClient, str]:
    """An operator and an account with a phone number and a DSL username."""
    operator = httpx.AsyncClient(base_url=str(admin.base_url), timeout=60, headers={
        "Authorization": f"Bearer {await new_key(admin, 'operator')}"})
    plan = await operator.post("/v1/plans", json={
        "name": "Home", "currency": "EUR", "recurring_fee": "10.00", "usage_prices": [
            {"service_type": "voice", "unit": "minute", "unit_price": "0.02"},
            {"service_type": "data", "unit": "megabyte", "unit_price": "0.01"}]})
    assert plan.status_code == 201, plan.text
    account = await operator.post("/v1/accounts", json={
        "name": "Ada", "billing_email": "ada@example.org", "plan_id": plan.json()["plan_id"],
        "identities": [NUMBER, "ada@dsl"]})
    assert account.status_code == 201, account.text
    return operator, account.json()["account_id"]


async def reconciliation(client: httpx.AsyncClient, **filters: str) -> list[dict[str, Any]]:
    """Today's reconciliation rows, every one checked for received = the sum of outcomes."""
    response = await client.get("/v1/usage/reconciliation", params={
        "from": str(TODAY), "to": str(TODAY), **filters})
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()["rows"]
    for row in rows:
        assert row["received"] == row["accepted"] + row["duplicate"] + row["rejected"]
    return rows


async def test_asterisk_upload_dedups_rejects_and_reconciles(stack: Stack) -> None:
    tenant = stack.create_tenant("CDR Telco")
    async with stack.client(tenant["api_key"]) as admin:
        operator, account_id = await setup_account(admin)
        rows = [asterisk_row("1700000000.01", NUMBER, 192), asterisk_row("1700000000.02", NUMBER, 0,
                                                                         "NO ANSWER"),
                asterisk_row("1700000000.03", UNKNOWN_NUMBER, 60)]
        garbled = asterisk_row("1700000000.04", NUMBER, 30).encode().replace(b"Ada", b"\xff\xfe")
        content = "".join(rows).encode() + garbled + b'"","1001","55'
        params = {"format": "asterisk", "source": "pbx-1", "file_name": "Master-1.csv"}
        upload = await operator.post("/v1/usage/imports", params=params, content=content)
        assert upload.status_code == 201, upload.text
        summary = upload.json()
        assert summary["status"] == "completed"
        assert (summary["received"], summary["accepted"], summary["rejected"]) == (5, 1, 4)

        again = await operator.post("/v1/usage/imports", params=params, content=content)
        assert (again.json()["accepted"], again.json()["duplicate"]) == (0, 1)
        [row] = await reconciliation(operator, source="pbx-1")
        assert (row["received"], row["accepted"], row["duplicate"], row["rejected"]) == (10, 1, 1, 8)
        assert row["seconds"] == "192"

        listed = await operator.get("/v1/usage/rejections", params={"source": "pbx-1"})
        reasons = sorted({(r["field"], r["reason"]) for r in listed.json()["rejections"]})
        assert reasons == [("disposition", "not_answered"), ("line", "bad_encoding"),
                           ("line", "truncated"), ("subscriber", "unknown_subscriber")]

        async def rated() -> list[dict[str, Any]]:
            response = await operator.get(f"/v1/accounts/{account_id}/rated-usage", params={
                "start": f"{YESTERDAY}T00:00:00Z", "end": f"{TODAY}T00:00:00Z"})
            return [s for s in response.json()["summaries"] if s["service_type"] == "voice"]
        [voice] = await eventually(rated)
        assert voice["quantity"] == "192"

        # The unknown number becomes a subscriber: its rejected call is captured on its own.
        assigned = await operator.post(f"/v1/accounts/{account_id}/identities",
                                       json={"identity": UNKNOWN_NUMBER})
        assert assigned.status_code == 201, assigned.text

        async def resolved() -> bool:
            rows = await reconciliation(operator, source="pbx-1")
            return sum(r["resubmitted"] for r in rows) >= 2

        await eventually(resolved)
        open_now = await operator.get("/v1/usage/rejections", params={
            "source": "pbx-1", "reason": "unknown_subscriber"})
        assert open_now.json()["rejections"] == []
        [row] = await reconciliation(operator, source="pbx-1")
        assert row["seconds"] == "252"


async def test_file_errors_are_clear_and_nothing_is_half_imported(stack: Stack) -> None:
    tenant = stack.create_tenant("Bad Files")
    async with stack.client(tenant["api_key"]) as admin:
        operator, _ = await setup_account(admin)
        missing = await operator.post("/v1/usage/imports", params={
            "format": "generic", "source": "mediation", "file_name": "x.csv"},
            content=b"record_id,subscriber,started_at,quantity,unit\n1,+44,2026-11-23T10:00:00Z,5,byte\n")
        assert missing.status_code == 422, missing.text
        assert missing.headers["content-type"].startswith("application/problem+json")
        assert "service_type" in missing.text
        unknown_format = await operator.post("/v1/usage/imports", params={
            "format": "excel", "source": "m", "file_name": "x.xlsx"}, content=b"x")
        assert unknown_format.status_code == 422
        assert await reconciliation(operator, source="mediation") == []


async def test_radius_interims_become_deltas_without_double_counting(stack: Stack) -> None:
    tenant = stack.create_tenant("DSL ISP")
    async with stack.client(tenant["api_key"]) as admin:
        operator, _ = await setup_account(admin)
        base = int(datetime.combine(YESTERDAY, datetime.min.time(), UTC).timestamp()) + 36000
        start = radius_block("Start", 0, 0, 0, base)
        first = radius_block("Interim-Update", 300, 3 * 2**32 + 10, 1000, base + 300)
        second = radius_block("Interim-Update", 600, 5 * 2**32, 5000, base + 600)
        stop = radius_block("Stop", 900, 6 * 2**32, 9000, base + 900)
        # out of order, repeated, and split over two files
        for name, blocks in (("detail-1", [start, second, first]), ("detail-2", [first, stop, second])):
            response = await operator.post("/v1/usage/imports", params={
                "format": "radius", "source": "nas-1", "file_name": name},
                content="".join(blocks).encode())
            assert response.status_code == 201, response.text
            assert response.json()["status"] == "completed"
        rows = await reconciliation(operator, source="nas-1")
        assert [type(r["bytes"]) for r in rows] == [str] * len(rows)
        assert sum(int(r["bytes"]) for r in rows) == 6 * 2**32 + 9000
        assert sum(r["accepted"] for r in rows) == 4
        assert sum(r["duplicate"] for r in rows) == 2


async def test_nats_feed_outcomes_and_poison(stack: Stack) -> None:
    tenant = stack.create_tenant("Mediation Co")
    async with stack.client(tenant["api_key"]) as admin:
        operator, account_id = await setup_account(admin)
        connection = await nats.connect(stack.nats_url)
        outcomes: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

        async def collect(message: Any) -> None:
            await outcomes.put(json.loads(message.data))

        await connection.subscribe(f"usage-outcomes.{tenant['tenant_id']}", cb=collect)
        js = connection.jetstream()
        subject = f"usage.ingest.{tenant['tenant_id']}"
        await js.publish(subject, b"{not json", headers={"Nats-Msg-Id": "poison-1"})
        batch = {"source": "mediation", "file": "feed-7", "records": [
            {"record_id": "n1", "subscriber": NUMBER, "service_type": "voice", "quantity": 61,
             "unit": "second", "started_at": f"{YESTERDAY}T09:00:00+00:00",
             "attributes": {"destination": "+33140000000"}},
            {"record_id": "n2", "account_id": account_id, "service_type": "voice",
             "quantity": "-1", "unit": "second", "started_at": f"{YESTERDAY}T09:05:00+00:00"},
        ]}
        for _ in range(2):
            await js.publish(subject, json.dumps(batch).encode(), headers={"Nats-Msg-Id": "b-1"})
        await js.publish(subject, json.dumps(batch).encode(), headers={"Nats-Msg-Id": "b-2"})
        received = [await asyncio.wait_for(outcomes.get(), 30) for _ in range(3)]
        await connection.close()
        by_id = {o["message_id"]: o for o in received}
        assert by_id["poison-1"]["rejected"] == 1
        assert (by_id["b-1"]["accepted"], by_id["b-1"]["rejected"]) == (1, 1)
        assert (by_id["b-2"]["duplicate"], by_id["b-2"]["rejected"]) == (1, 1)
        rows = await reconciliation(operator)
        feed = [r for r in rows if r["file"] == "feed-7"]
        assert sum(r["received"] for r in feed) == 4
        assert any(r["reason"] == "not_json" for r in (await operator.get(
            "/v1/usage/rejections", params={"source": "nats"})).json()["rejections"])


async def test_rejected_record_is_corrected_and_resubmitted(stack: Stack) -> None:
    tenant = stack.create_tenant("Fixers")
    async with stack.client(tenant["api_key"]) as admin:
        operator, account_id = await setup_account(admin)
        record = {"record_id": "fix-1", "source": "api", "account_id": account_id,
                  "service_type": "voice", "quantity": "-30", "unit": "second",
                  "started_at": f"{YESTERDAY}T08:00:00+00:00"}
        batch = await operator.post("/v1/usage/batches", json={"records": [record]})
        assert batch.json()["outcomes"][0]["reason"] == "negative"
        [rejected] = (await operator.get("/v1/usage/rejections", params={"source": "api"})
                      ).json()["rejections"]
        assert rejected["record"]["quantity"] == "-30"
        url = f"/v1/usage/rejections/{rejected['rejection_id']}/resubmit"
        fixed = await operator.post(url, json={"record": {**record, "quantity": "30"}})
        assert fixed.status_code == 200, fixed.text
        assert fixed.json()["outcome"] == "accepted"
        twice = await operator.post(url, json={})
        assert twice.status_code in (409, 412), twice.text
        auditor = httpx.AsyncClient(base_url=str(admin.base_url), headers={
            "Authorization": f"Bearer {await new_key(admin, 'auditor')}"})
        forbidden = await auditor.post(url, json={})
        assert forbidden.status_code == 403
        history = await operator.get("/v1/usage/rejections", params={"status": "resolved"})
        assert [r["rejection_id"] for r in history.json()["rejections"]] == [
            rejected["rejection_id"]]


async def test_cli_imports_a_file_with_progress(stack: Stack, tmp_path: Path) -> None:
    tenant = stack.create_tenant("CLI Telco")
    async with stack.client(tenant["api_key"]) as admin:
        await setup_account(admin)
    path = tmp_path / "Master.csv"
    path.write_text("".join(asterisk_row(f"1700000100.{n:02d}", NUMBER, 10 + n) for n in range(20)))
    result = await asyncio.to_thread(
        usage_cli, stack, "import", str(path), "--tenant", tenant["tenant_id"], "--format",
        "asterisk", "--source", "pbx-cli")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["status"], summary["accepted"]) == ("completed", "20")
    assert "Master.csv" in result.stderr
    report = await asyncio.to_thread(
        usage_cli, stack, "reconcile", "--tenant", tenant["tenant_id"], "--from", str(TODAY),
        "--to", str(TODAY))
    assert "pbx-cli\tMaster.csv\t20\t20\t0\t0" in report.stdout
    missing = await asyncio.to_thread(
        usage_cli, stack, "import", str(tmp_path / "nope.csv"), "--tenant", tenant["tenant_id"],
        "--format", "asterisk", "--source", "pbx-cli")
    assert missing.returncode != 0


def usage_cli(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the usage CLI against the stack's usage service."""
    return subprocess.run(
        [sys.executable, "-m", "services.usage.cli", *args],
        env={**os.environ, "USAGE_GRPC": stack.running.grpc_addresses["usage"]},
        capture_output=True, text=True, timeout=120, check=False,
    )


async def test_an_interrupted_upload_is_reported_failed_and_a_retry_completes_it(
    stack: Stack,
) -> None:
    tenant = stack.create_tenant("Flaky Link")
    async with stack.client(tenant["api_key"]) as admin:
        operator, _ = await setup_account(admin)
    rows = [asterisk_row(f"1700000200.{n:05d}", NUMBER, 30) for n in range(30_000)]
    content = "".join(rows).encode()
    header = usage_pb2.ImportHeader(tenant_id=tenant["tenant_id"], format="asterisk",
                                    source="pbx-flaky", file_name="Master-flaky.csv")

    async def half_then_stall() -> Any:
        yield usage_pb2.ImportFileChunk(header=header)
        for start in range(0, len(content) // 2, 1 << 16):
            yield usage_pb2.ImportFileChunk(data=content[start:start + (1 << 16)])
        await asyncio.sleep(3600)

    async with grpc.aio.insecure_channel(stack.running.grpc_addresses["usage"]) as grpc_channel:
        stub = usage_pb2_grpc.UsageServiceStub(grpc_channel)
        call = stub.ImportFile(half_then_stall())
        parts = connection_parts(stack.database_url)
        database = await asyncpg.connect(host=parts["host"], port=int(parts["port"]),
                                         user=parts["user"], database=parts["dbname"])

        async def stored_some() -> bool:
            return bool(await database.fetchval(
                "SELECT accepted FROM usage.imports WHERE source = 'pbx-flaky'"))
        await eventually(stored_some)
        call.cancel()

        async def failed() -> asyncpg.Record | None:
            return await database.fetchrow(
                "SELECT status, error, accepted FROM usage.imports WHERE source = 'pbx-flaky'")
        interrupted = await eventually(lambda: _status_is(failed, "failed"))
        assert "interrupted" in interrupted["error"]
        assert 0 < interrupted["accepted"] < 30_000
        retry = await stub.ImportFile(aiter_of(header, content))
        assert retry.status == "completed"
        assert retry.accepted + retry.duplicate == 30_000
        assert retry.duplicate == interrupted["accepted"]
        await database.close()
    [row] = await reconciliation(operator, source="pbx-flaky")
    assert row["accepted"] == 30_000
    await operator.aclose()


async def _status_is(fetch: Any, status: str) -> Any:
    row = await fetch()
    return row if row is not None and row["status"] == status else None


async def aiter_of(header: Any, content: bytes) -> Any:
    """An import stream of a whole file."""
    yield usage_pb2.ImportFileChunk(header=header)
    for start in range(0, len(content), 1 << 20):
        yield usage_pb2.ImportFileChunk(data=content[start:start + (1 << 20)])
