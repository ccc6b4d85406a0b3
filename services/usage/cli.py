"""Operator CLI of the usage service: import usage files, read reconciliation and rejections.

    python -m services.usage.cli import FILE --tenant T --format asterisk --source pbx1
    python -m services.usage.cli reconcile --tenant T --from 2026-11-01 --to 2026-11-30
    python -m services.usage.cli rejections --tenant T [--reason unknown_subscriber]

The usage service is found at USAGE_GRPC (default 127.0.0.1:50051).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
from billing.usage.v1 import usage_pb2, usage_pb2_grpc
from google.protobuf.json_format import MessageToDict
from tqdm import tqdm

from kernel.grpc import channel
from kernel.settings import ServiceAddresses

CHUNK = 1 << 20
COLUMNS = ("day", "source", "file", "received", "accepted", "duplicate", "rejected", "resubmitted",
           "seconds", "bytes", "messages", "units")


async def file_stream(
    path: Path, header: usage_pb2.ImportHeader, progress: tqdm
) -> AsyncIterator[usage_pb2.ImportFileChunk]:
    """The header, then the file in 1 MiB chunks, advancing the progress bar."""
    yield usage_pb2.ImportFileChunk(header=header)
    with path.open("rb") as file:
        while chunk := await asyncio.to_thread(file.read, CHUNK):
            yield usage_pb2.ImportFileChunk(data=chunk)
            progress.update(len(chunk))


async def import_file(stub: usage_pb2_grpc.UsageServiceStub, args: argparse.Namespace) -> dict:
    """Stream a file to the usage service; return the import's outcome."""
    path = Path(args.file)
    header = usage_pb2.ImportHeader(
        tenant_id=args.tenant, format=args.format, source=args.source,
        file_name=args.file_name or path.name, timezone=args.timezone,
    )
    size = (await asyncio.to_thread(path.stat)).st_size
    with tqdm(total=size, unit="B", unit_scale=True, desc=path.name,
              file=sys.stderr) as progress:
        response = await stub.ImportFile(file_stream(path, header, progress))
    return as_dict(response)


async def reconcile(stub: usage_pb2_grpc.UsageServiceStub, args: argparse.Namespace) -> str:
    """The reconciliation table as tab-separated text."""
    response = await stub.GetReconciliation(usage_pb2.GetReconciliationRequest(
        tenant_id=args.tenant, from_day=args.from_day, to_day=args.to_day, source=args.source,
        file=args.file,
    ))
    lines = ["\t".join(COLUMNS)]
    lines += ["\t".join(str(getattr(row, name)) for name in COLUMNS) for row in response.rows]
    return "\n".join(lines)


async def rejections(stub: usage_pb2_grpc.UsageServiceStub, args: argparse.Namespace) -> list:
    """Every rejection matching the filter, following the pages."""
    found: list[dict] = []
    token = ""
    while True:
        response = await stub.ListRejections(usage_pb2.ListRejectionsRequest(
            tenant_id=args.tenant, status=args.status, source=args.source, reason=args.reason,
            page_size=1000, page_token=token,
        ))
        found += [as_dict(r) for r in response.rejections]
        token = response.next_page_token
        if not token or len(found) >= args.limit:
            return found[:args.limit]


def as_dict(message: object) -> dict:
    """A protobuf message as a JSON-ready dict."""
    return MessageToDict(message, preserving_proto_field_name=True)  # type: ignore[arg-type]


def parser() -> argparse.ArgumentParser:
    """The command line."""
    root = argparse.ArgumentParser(prog="python -m services.usage.cli")
    commands = root.add_subparsers(dest="command", required=True)
    load = commands.add_parser("import", help="import a CDR or RADIUS detail file")
    load.add_argument("file")
    load.add_argument("--tenant", required=True)
    load.add_argument("--format", required=True, choices=["asterisk", "generic", "radius"])
    load.add_argument("--source", required=True, help="the system that produced the file")
    load.add_argument("--file-name", default="", help="reconcile under this name (default: file name)")
    load.add_argument("--timezone", default="", help="IANA timezone of timestamps without offset")
    report = commands.add_parser("reconcile", help="received / accepted / duplicate / rejected")
    report.add_argument("--tenant", required=True)
    report.add_argument("--from", dest="from_day", required=True)
    report.add_argument("--to", dest="to_day", required=True)
    report.add_argument("--source", default="")
    report.add_argument("--file", default="")
    listing = commands.add_parser("rejections", help="rejected records as JSON lines")
    listing.add_argument("--tenant", required=True)
    listing.add_argument("--status", default="open")
    listing.add_argument("--source", default="")
    listing.add_argument("--reason", default="")
    listing.add_argument("--limit", type=int, default=1000)
    return root


async def run(args: argparse.Namespace) -> str:
    """Run one command; return its output."""
    grpc_channel = channel(ServiceAddresses().usage_grpc)
    try:
        stub = usage_pb2_grpc.UsageServiceStub(grpc_channel)
        if args.command == "import":
            return json.dumps(await import_file(stub, args), indent=2)
        if args.command == "reconcile":
            return await reconcile(stub, args)
        return "\n".join(json.dumps(item) for item in await rejections(stub, args))
    finally:
        await grpc_channel.close(None)


def main() -> None:
    """Entry point: the output on stdout, or the service's error on stderr with exit status 1."""
    try:
        output = asyncio.run(run(parser().parse_args()))
    except grpc.aio.AioRpcError as error:
        sys.stderr.write(f"{error.code().name}: {error.details()}\n")
        raise SystemExit(1) from None
    except OSError as error:
        sys.stderr.write(f"{error}\n")
        raise SystemExit(1) from None
    sys.stdout.write(output + "\n")


if __name__ == "__main__":
    main()
