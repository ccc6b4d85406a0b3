"""`python -m devstack.psp_simulator`: serve the simulated PSP until SIGTERM or SIGINT."""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
from pathlib import Path
from typing import Any

import uvicorn

from devstack.psp_simulator.api import create_app
from devstack.psp_simulator.ledger import Ledger
from devstack.psp_simulator.webhooks import WebhookSender
from kernel.logs import setup_logging
from kernel.runtime import write_ready_file

SERVICE = "psp-simulator"


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line flags; each defaults to an environment variable (the supervisor passes env only)."""
    env = os.environ
    parser = argparse.ArgumentParser(prog="python -m devstack.psp_simulator",
                                     description="A fake payment service provider for tests and demos.")
    parser.add_argument("--listen", default=env.get("PSP_LISTEN", "127.0.0.1:0"), help="host:port")
    parser.add_argument("--webhook-url", default=env.get("PSP_WEBHOOK_URL", ""),
                        help="where signed webhooks are posted")
    parser.add_argument("--webhook-secret", default=env.get("PSP_WEBHOOK_SECRET", ""),
                        help="HMAC-SHA256 key of the Simulator-Signature header (prefer the env var)")
    parser.add_argument("--ready-file", default=env.get("READY_FILE", ""),
                        help='where to write {"http": "host:port"} once serving')
    parser.add_argument("--late-seconds", type=float, default=float(env.get("PSP_LATE_SECONDS", "1.0")),
                        help="how long tok_late charges stay pending")
    parser.add_argument("--hold-seconds", type=float, default=float(env.get("PSP_HOLD_SECONDS", "30")),
                        help="how long tok_timeout and tok_lost answers are held back")
    parser.add_argument("--log-level", default=env.get("LOG_LEVEL", "INFO"))
    options = parser.parse_args(argv)
    if not options.webhook_secret:
        parser.error("a webhook secret is required (--webhook-secret or PSP_WEBHOOK_SECRET)")
    return options


def bind(listen: str) -> socket.socket:
    """A listening socket on host:port (port 0: any free port)."""
    host, port = listen.rsplit(":", 1)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, int(port)))
    return sock


class ReportingServer(uvicorn.Server):
    """A uvicorn server that writes the ready file once its socket is listening."""

    def __init__(self, config: uvicorn.Config, ready_file: Path | None, address: str) -> None:
        super().__init__(config)
        self.ready_file = ready_file
        self.address = address

    async def startup(self, sockets: list[Any] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            write_ready_file(self.ready_file, {"http": self.address})


async def serve(options: argparse.Namespace) -> None:
    """Run the simulator until uvicorn is told to stop."""
    sock = bind(options.listen)
    host, port = sock.getsockname()[:2]
    sender = WebhookSender(options.webhook_url, options.webhook_secret)
    app = create_app(Ledger(), sender, options.late_seconds, options.hold_seconds)
    config = uvicorn.Config(app, log_config=None, access_log=False, timeout_graceful_shutdown=2)
    ready_file = Path(options.ready_file) if options.ready_file else None
    try:
        await ReportingServer(config, ready_file, f"{host}:{port}").serve(sockets=[sock])
    finally:
        await sender.close()


def main(argv: list[str] | None = None) -> None:
    """Parse flags, set up JSON logs, serve."""
    options = arguments(argv)
    setup_logging(SERVICE, options.log_level)
    asyncio.run(serve(options))


if __name__ == "__main__":
    main()
