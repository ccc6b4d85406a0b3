"""Idempotency-Key on the real gateway app and real PostgreSQL: one run per key, replays after."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any
from uuid import uuid4

import asyncpg
import httpx
import pytest
from billing.invoice.v1 import invoice_pb2
from starlette.requests import ClientDisconnect
from starlette.types import Message

from kernel.database import create_pool, ensure_schema
from services.gateway import keys as key_tables
from services.gateway.idempotency import DDL, IdempotencyStore
from services.gateway.keys import KeyStore, Role
from tests.integration.gateway.probe_gateway import ProbeGateway, probe_gateway
from tests.unit.gateway.gateway_fakes import FakeService

KEY = {"Idempotency-Key": "order-7f3a"}
REPLAYED = "idempotent-replayed"


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool on a fresh database with the gateway's tables."""
    created = await create_pool(database_url)
    await ensure_schema(created, "gateway", [*key_tables.DDL, *DDL])
    yield created
    await created.close()


@pytest.fixture
async def gw(pool: asyncpg.Pool) -> ProbeGateway:
    """The gateway with the probe routes, for one tenant."""
    tenant_id = await KeyStore(pool).create_tenant("acme")
    invoice = FakeService(IssueCreditNote=invoice_pb2.CreditNote(credit_note_id="cn-1"))
    return probe_gateway(pool, tenant_id, invoice)


@pytest.fixture
async def api(gw: ProbeGateway) -> AsyncIterator[httpx.AsyncClient]:
    """A client with an operator key."""
    async with gw.client(await gw.issue(Role.OPERATOR)) as client:
        yield client


def refused(response: httpx.Response, status: int, reason: str) -> dict[str, Any]:
    """The problem+json body of a refusal naming the Idempotency-Key header and the reason."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["title"] and problem["type"]
    assert "Idempotency-Key" in problem["detail"]
    assert problem["errors"] == [{"field": "Idempotency-Key", "reason": reason}]
    return problem


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
async def test_a_retry_gets_the_stored_response_without_running_again(
    gw: ProbeGateway, api: httpx.AsyncClient, method: str
) -> None:
    first = await api.request(method, "/v1/probe/order?x=1", json={"amount": "9.99"}, headers=KEY)
    retried = await api.request(method, "/v1/probe/order?x=1", json={"amount": "9.99"}, headers=KEY)

    assert first.status_code == 201
    assert REPLAYED not in first.headers
    assert (retried.status_code, retried.content) == (first.status_code, first.content)
    assert retried.headers["location"] == first.headers["location"] == "/v1/probe/order/1"
    assert retried.headers["content-type"] == first.headers["content-type"]
    assert retried.headers[REPLAYED] == "true"
    assert gw.probe.calls["order"] == 1


async def test_the_same_key_with_another_body_is_a_conflict(gw: ProbeGateway, api: httpx.AsyncClient) -> None:
    await api.post("/v1/probe/order", json={"amount": "9.99"}, headers=KEY)

    response = await api.post("/v1/probe/order", json={"amount": "19.99"}, headers=KEY)

    refused(response, 409, "idempotency_key_reused")
    assert gw.probe.calls["order"] == 1


@pytest.mark.parametrize("method, path", [("POST", "/v1/probe/other"), ("POST", "/v1/probe/order?x=2"),
                                          ("PUT", "/v1/probe/order")])
async def test_the_same_key_on_another_call_is_a_conflict(
    gw: ProbeGateway, api: httpx.AsyncClient, method: str, path: str
) -> None:
    await api.post("/v1/probe/order", json={"amount": "9.99"}, headers=KEY)

    response = await api.request(method, path, json={"amount": "9.99"}, headers=KEY)

    refused(response, 409, "idempotency_key_reused")
    assert sum(gw.probe.calls.values()) == 1


async def test_a_key_whose_request_still_runs_is_a_conflict_until_it_answers(
    gw: ProbeGateway, api: httpx.AsyncClient
) -> None:
    def call() -> asyncio.Task[httpx.Response]:
        return asyncio.create_task(api.post("/v1/probe/slow?hold=true", json={"n": 1}, headers=KEY))

    async with asyncio.timeout(30):
        pending = {call() for _ in range(5)}
        done: set[asyncio.Task[httpx.Response]] = set()
        while len(done) < 4:
            finished, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            done |= finished
        gw.probe.gate.set()
        ran = (await asyncio.gather(*pending))[0]
        replayed = await api.post("/v1/probe/slow?hold=true", json={"n": 1}, headers=KEY)

    for task in done:
        problem = refused(task.result(), 409, "request_in_progress")
        assert "retry" in problem["detail"]
        assert task.result().headers["retry-after"] == "1"
    assert ran.status_code == 201
    assert (replayed.content, replayed.headers[REPLAYED]) == (ran.content, "true")
    assert gw.probe.calls["slow"] == 1


async def test_concurrent_identical_requests_run_the_route_once(
    gw: ProbeGateway, api: httpx.AsyncClient
) -> None:
    gw.probe.gate.set()

    responses = await asyncio.gather(*(api.post("/v1/probe/burst", json={"n": 1}, headers=KEY)
                                       for _ in range(6)))

    assert gw.probe.calls["burst"] == 1
    ran = [r for r in responses if r.status_code == 201 and REPLAYED not in r.headers]
    assert len(ran) == 1
    for response in responses:
        if response.status_code == 409:
            refused(response, 409, "request_in_progress")
        else:
            assert (response.status_code, response.content) == (201, ran[0].content)


async def test_a_server_error_is_not_stored_so_a_retry_runs_again(
    gw: ProbeGateway, api: httpx.AsyncClient
) -> None:
    failed = await api.post("/v1/probe/order?status=503", json={}, headers=KEY)
    retried = await api.post("/v1/probe/order?status=503", json={}, headers=KEY)

    assert (failed.status_code, retried.status_code) == (503, 503)
    assert REPLAYED not in retried.headers
    assert retried.json()["call"] == 2
    assert await gw.rows() == []


async def test_a_crashed_request_is_not_stored_so_a_retry_runs_again(gw: ProbeGateway) -> None:
    async with gw.client(await gw.issue(Role.OPERATOR), raise_app_exceptions=False) as client:
        crashed = await client.post("/v1/probe/order/crash", headers=KEY)
        retried = await client.post("/v1/probe/order/crash", headers=KEY)

    assert (crashed.status_code, retried.status_code) == (500, 500)
    assert gw.probe.calls["order"] == 2
    assert await gw.rows() == []


async def test_a_client_error_is_stored_and_replayed(gw: ProbeGateway, api: httpx.AsyncClient) -> None:
    rejected = await api.post("/v1/probe/order?status=422", json={"amount": "-1"}, headers=KEY)
    retried = await api.post("/v1/probe/order?status=422", json={"amount": "-1"}, headers=KEY)

    assert (retried.status_code, retried.content) == (422, rejected.content)
    assert retried.headers[REPLAYED] == "true"
    assert gw.probe.calls["order"] == 1


async def test_a_request_failing_validation_is_stored_too(gw: ProbeGateway, api: httpx.AsyncClient) -> None:
    body = {"reason": "outage", "lines": "not a list"}
    rejected = await api.post("/v1/invoices/inv-1/credit-notes", json=body, headers=KEY)
    retried = await api.post("/v1/invoices/inv-1/credit-notes", json=body, headers=KEY)

    assert rejected.status_code == 422
    assert (retried.content, retried.headers[REPLAYED]) == (rejected.content, "true")


@pytest.mark.parametrize("value", ["", "k" * 256, "clé", "tab\tinside"])
async def test_an_invalid_key_is_refused_with_400(
    gw: ProbeGateway, api: httpx.AsyncClient, value: str
) -> None:
    headers = {b"Idempotency-Key": value.encode("latin-1")}

    response = await api.post("/v1/probe/order", json={}, headers=headers)

    problem = refused(response, 400, "must be 1 to 255 printable ASCII characters")
    assert problem["status"] == 400
    assert gw.probe.calls["order"] == 0


async def test_a_key_sent_twice_is_refused_with_400(gw: ProbeGateway, api: httpx.AsyncClient) -> None:
    headers = [("Idempotency-Key", "a"), ("Idempotency-Key", "b")]

    response = await api.post("/v1/probe/order", json={}, headers=headers)

    refused(response, 400, "must be sent once")
    assert gw.probe.calls["order"] == 0


async def test_the_longest_key_with_spaces_and_symbols_is_accepted(api: httpx.AsyncClient) -> None:
    key = {"Idempotency-Key": ("order 42/#~" * 30)[:255]}

    await api.post("/v1/probe/order", json={}, headers=key)
    retried = await api.post("/v1/probe/order", json={}, headers=key)

    assert retried.headers[REPLAYED] == "true"


async def test_tenants_use_the_same_key_independently(gw: ProbeGateway, api: httpx.AsyncClient) -> None:
    other_tenant = await gw.keys.create_tenant("globex")
    await api.post("/v1/probe/order", json={"n": 1}, headers=KEY)

    async with gw.client(await gw.issue(Role.OPERATOR, other_tenant)) as other:
        theirs = await other.post("/v1/probe/order", json={"n": 2}, headers=KEY)

    assert (theirs.status_code, theirs.json()["call"]) == (201, 2)
    assert REPLAYED not in theirs.headers


async def test_keys_of_one_role_share_a_scope_other_roles_do_not(
    gw: ProbeGateway, api: httpx.AsyncClient
) -> None:
    first = await api.post("/v1/probe/order", json={"n": 1}, headers=KEY)

    async with gw.client(await gw.issue(Role.OPERATOR)) as second_operator:
        same_role = await second_operator.post("/v1/probe/order", json={"n": 1}, headers=KEY)
    async with gw.client(await gw.issue(Role.AUDITOR)) as auditor:
        other_role = await auditor.post("/v1/probe/order", json={"n": 1}, headers=KEY)

    assert (same_role.content, same_role.headers[REPLAYED]) == (first.content, "true")
    assert REPLAYED not in other_role.headers
    assert other_role.json()["role"] == "auditor"
    assert gw.probe.calls["order"] == 2


async def test_customer_keys_are_scoped_to_their_account(gw: ProbeGateway) -> None:
    account_a, account_b = uuid4(), uuid4()
    answers = []
    for account in (account_a, account_b, account_a):
        async with gw.client(await gw.issue(Role.CUSTOMER, account_id=account)) as customer:
            answers.append(await customer.post("/v1/probe/pay", json={"n": 1}, headers=KEY))

    assert [a.json()["call"] for a in answers] == [1, 2, 1]
    assert [REPLAYED in a.headers for a in answers] == [False, False, True]
    assert {row["caller"] for row in await gw.rows()} == {f"customer:{account_a}", f"customer:{account_b}"}


async def test_the_sweep_deletes_expired_keys_which_are_then_new(
    gw: ProbeGateway, api: httpx.AsyncClient
) -> None:
    await api.post("/v1/probe/order", json={"n": 1}, headers=KEY)
    await api.post("/v1/probe/kept", json={"n": 1}, headers={"Idempotency-Key": "recent"})
    await gw.pool.execute("UPDATE gateway.idempotency_keys SET created_at = now() - interval '25 hours'"
                          " WHERE key = $1", KEY["Idempotency-Key"])

    assert await gw.store.sweep() == 1
    again = await api.post("/v1/probe/order", json={"n": 2}, headers=KEY)

    assert [row["key"] for row in await gw.rows()] == ["recent", KEY["Idempotency-Key"]]
    assert (again.status_code, again.json()["call"]) == (201, 2)
    assert REPLAYED not in again.headers


async def test_an_expired_key_is_new_even_before_the_sweep(gw: ProbeGateway, api: httpx.AsyncClient) -> None:
    await api.post("/v1/probe/order", json={"n": 1}, headers=KEY)
    await gw.pool.execute("UPDATE gateway.idempotency_keys SET created_at = now() - interval '25 hours'")

    again = await api.post("/v1/probe/order", json={"n": 2}, headers=KEY)

    assert (again.status_code, again.json()["call"]) == (201, 2)
    assert REPLAYED not in again.headers


async def test_a_key_younger_than_the_retention_is_kept(gw: ProbeGateway, api: httpx.AsyncClient) -> None:
    await api.post("/v1/probe/order", json={"n": 1}, headers=KEY)
    await gw.pool.execute("UPDATE gateway.idempotency_keys SET created_at = now() - interval '23 hours'")

    assert await gw.store.sweep() == 0
    retried = await api.post("/v1/probe/order", json={"n": 1}, headers=KEY)

    assert retried.headers[REPLAYED] == "true"


async def test_the_sweep_frees_keys_claimed_by_a_crashed_gateway(
    gw: ProbeGateway, api: httpx.AsyncClient
) -> None:
    owner = (gw.tenant_id, "operator")
    for key, idle in (("crashed", "11 minutes"), ("running", "1 minute")):
        await gw.pool.execute(
            "INSERT INTO gateway.idempotency_keys (tenant_id, caller, key, request, state, claim, touched_at)"
            f" VALUES ($1, $2, $3, 'POST /v1/probe/order', 'in_progress', $4, now() - interval '{idle}')",
            *owner, key, uuid4())

    running = await api.post("/v1/probe/order", json={}, headers={"Idempotency-Key": "running"})
    assert await gw.store.sweep() == 1
    freed = await api.post("/v1/probe/order", json={}, headers={"Idempotency-Key": "crashed"})

    refused(running, 409, "request_in_progress")
    assert freed.status_code == 201


def test_keys_are_kept_at_least_a_day(pool: asyncpg.Pool) -> None:
    with pytest.raises(ValueError, match="24 hours"):
        IdempotencyStore(pool, ttl_hours=23)


async def test_reads_ignore_the_header(gw: ProbeGateway, api: httpx.AsyncClient) -> None:
    for _ in range(2):
        response = await api.get("/v1/probe/order", headers=KEY)
        assert REPLAYED not in response.headers
    invalid = await api.get("/v1/probe/order", headers={"Idempotency-Key": "k" * 300})

    assert invalid.status_code == 201
    assert gw.probe.calls["order"] == 3
    assert await gw.rows() == []


async def test_requests_without_a_key_run_every_time(gw: ProbeGateway, api: httpx.AsyncClient) -> None:
    for _ in range(2):
        await api.post("/v1/probe/order", json={"n": 1})

    assert gw.probe.calls["order"] == 2
    assert await gw.rows() == []


@pytest.mark.parametrize("api_key", [None, "bk_unknown"])
async def test_an_unauthenticated_request_passes_through_to_a_401(
    gw: ProbeGateway, api_key: str | None
) -> None:
    async with gw.client(api_key) as anonymous:
        response = await anonymous.post("/v1/probe/order", json={}, headers=KEY)

    assert response.status_code == 401
    assert await gw.rows() == []


async def test_a_call_without_a_body_is_stored(gw: ProbeGateway, api: httpx.AsyncClient) -> None:
    first = await api.post("/v1/probe/order/bare", headers=KEY)
    retried = await api.post("/v1/probe/order/bare", headers=KEY)

    assert (retried.status_code, retried.content, retried.headers[REPLAYED]) == (202, first.content, "true")
    assert gw.probe.calls["order"] == 1


CHUNK = 64 << 10
UPLOAD = hashlib.sha256(b"seed").digest() * (4 * (1 << 20) // 32)
"""4 MiB: four times what the gateway holds before it claims the key."""


async def chunks(content: bytes, gw: ProbeGateway | None = None) -> AsyncIterator[bytes]:
    """The content in chunks; with a gateway, the last chunk waits until its route got 2 MiB."""
    for offset in range(0, len(content), CHUNK):
        if gw is not None and offset + CHUNK >= len(content):
            while gw.probe.uploaded < 2 << 20:
                await gw.probe.upload_progress.wait()
                gw.probe.upload_progress.clear()
        yield content[offset:offset + CHUNK]


async def test_a_large_upload_streams_through_and_is_fingerprinted_on_the_fly(
    gw: ProbeGateway, api: httpx.AsyncClient
) -> None:
    async with asyncio.timeout(60):
        first = await api.post("/v1/probe/cdr/upload", content=chunks(UPLOAD, gw), headers=KEY)
        retried = await api.post("/v1/probe/cdr/upload", content=chunks(UPLOAD), headers=KEY)
        changed = UPLOAD[:-1] + b"!"
        conflict = await api.post("/v1/probe/cdr/upload", content=chunks(changed), headers=KEY)

    assert first.status_code == 201, first.text
    assert first.json() == {"bytes": len(UPLOAD), "sha256": hashlib.sha256(UPLOAD).hexdigest()}
    assert gw.probe.upload_chunks > 1
    assert (retried.content, retried.headers[REPLAYED]) == (first.content, "true")
    refused(conflict, 409, "idempotency_key_reused")
    assert gw.probe.calls["cdr"] == 1
    [row] = await gw.rows()
    assert bytes(row["body_sha256"]) == hashlib.sha256(UPLOAD).digest()


async def test_a_large_body_the_route_never_read_is_not_stored(
    gw: ProbeGateway, api: httpx.AsyncClient
) -> None:
    first = await api.post("/v1/probe/order/bare", content=chunks(UPLOAD), headers=KEY)
    retried = await api.post("/v1/probe/order/bare", content=chunks(UPLOAD), headers=KEY)

    assert (first.status_code, retried.status_code) == (202, 202)
    assert REPLAYED not in retried.headers
    assert gw.probe.calls["order"] == 2


async def test_a_client_gone_midway_frees_the_key(gw: ProbeGateway) -> None:
    api_key = await gw.issue(Role.OPERATOR)
    messages: Iterator[Message] = iter([
        {"type": "http.request", "body": b"x" * (2 << 20), "more_body": True}, {"type": "http.disconnect"},
    ])
    sent: list[Message] = []

    async def receive() -> Message:
        return next(messages)

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/v1/probe/cdr/upload", "raw_path": b"/v1/probe/cdr/upload",
             "query_string": b"", "root_path": "", "server": ("gateway", 80), "client": ("127.0.0.1", 1),
             "headers": [(b"authorization", f"Bearer {api_key}".encode()), (b"idempotency-key", b"gone")]}
    with pytest.raises(ClientDisconnect):
        await gw.app(scope, receive, send)

    assert [m["status"] for m in sent if m["type"] == "http.response.start"] == [500]

    assert gw.probe.calls["cdr"] == 1
    assert await gw.rows() == []


async def test_a_route_using_the_key_itself_still_gets_it(gw: ProbeGateway, api: httpx.AsyncClient) -> None:
    body = {"reason": "outage", "lines": [{"line_index": 2}]}
    first = await api.post("/v1/invoices/inv-1/credit-notes", json=body, headers=KEY)
    retried = await api.post("/v1/invoices/inv-1/credit-notes", json=body, headers=KEY)

    assert first.status_code == 201, first.text
    assert (retried.content, retried.headers[REPLAYED]) == (first.content, "true")
    assert [r.request_id for r in gw.invoice.requests["IssueCreditNote"]] == [KEY["Idempotency-Key"]]


async def test_an_issued_api_key_secret_is_never_stored(gw: ProbeGateway) -> None:
    body = {"role": "support", "label": "helpdesk"}
    async with gw.client(await gw.issue(Role.ADMIN)) as admin:
        issued = await admin.post("/v1/api-keys", json=body, headers=KEY)
        retried = await admin.post("/v1/api-keys", json=body, headers=KEY)

    assert issued.status_code == 201, issued.text
    refused(retried, 409, "response_not_kept")
    [row] = await gw.rows()
    assert (row["state"], row["status_code"], row["body"]) == ("completed", 201, None)
    assert issued.json()["api_key"] not in json.dumps([dict(r) for r in await gw.rows()], default=str)
    labels = await gw.pool.fetch("SELECT label FROM gateway.api_keys WHERE label = 'helpdesk'")
    assert len(labels) == 1


async def test_a_response_marked_no_store_is_never_kept(gw: ProbeGateway) -> None:
    async with gw.client(await gw.issue(Role.ADMIN)) as admin:
        shown = await admin.post("/v1/probe/hook/secret", headers=KEY)
        retried = await admin.post("/v1/probe/hook/secret", headers=KEY)

    assert shown.status_code == 201, shown.text
    refused(retried, 409, "response_not_kept")
    [row] = await gw.rows()
    assert (row["state"], row["body"]) == ("completed", None)
    assert gw.probe.calls["hook"] == 1


async def test_the_answer_ends_only_once_its_key_is_kept(gw: ProbeGateway) -> None:
    """A client retrying the moment it has its answer gets a replay, not 'still in progress'."""
    api_key = await gw.issue(Role.OPERATOR)
    states_at_end: list[str] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            states_at_end.extend(row["state"] for row in await gw.rows())

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/v1/probe/race", "raw_path": b"/v1/probe/race",
             "query_string": b"", "root_path": "", "server": ("gateway", 80), "client": ("127.0.0.1", 1),
             "headers": [(b"authorization", f"Bearer {api_key}".encode()), (b"idempotency-key", b"race")]}
    await gw.app(scope, receive, send)

    assert states_at_end == ["completed"]
