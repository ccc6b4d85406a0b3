"""A simulated payment service provider (PSP), run as its own process so timeouts are real.

Run it with ``python -m devstack.psp_simulator --listen 127.0.0.1:0 --webhook-url URL
--webhook-secret S --ready-file PATH`` (each flag also reads an environment variable:
PSP_LISTEN, PSP_WEBHOOK_URL, PSP_WEBHOOK_SECRET, READY_FILE, PSP_LATE_SECONDS, PSP_HOLD_SECONDS).
Once listening it writes ``{"http": "127.0.0.1:PORT", "pid": ...}`` to the ready file.

Test tokens (no card numbers anywhere: a token names a behaviour, a brand and last four digits):

- ``tok_visa`` / ``tok_mastercard``: the charge succeeds at once.
- ``tok_decline``: fails with ``card_declined``; ``tok_insufficient_funds``: with ``insufficient_funds``
  (HTTP 402, the failed charge inside the error, recorded so a lookup finds it).
- ``tok_timeout``: recorded as succeeded, but the answer is held back (``--hold-seconds``, 30)
  until the client gives up; a lookup finds it succeeded; a replay of its idempotency key answers at once.
- ``tok_lost``: held back the same way and never recorded (a lookup finds nothing).
- ``tok_late``: answers pending; after ``--late-seconds`` (1) it succeeds and a webhook is sent.
- ``tok_3ds``: answers pending with ``action_url`` ``<sim>/3ds/<ref>``;
  ``POST <sim>/3ds/<ref>/complete {"result": "succeed"|"fail"}`` settles it and sends the webhook.
- any other token: HTTP 400 ``unknown_token``, nothing recorded.

Admin: ``POST <sim>/charges/<ref>/chargeback {"amount": "5.00"}`` takes money back and sends a
chargeback webhook. Webhooks carry ``Simulator-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret,
"<t>.<body>")>`` and are retried with backoff on errors. The full API is in docs/payments-psp.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from devstack.supervisor import ServiceSpec, Supervisor

NAME = "psp"
MODULE = "devstack.psp_simulator"
PUMP_JOIN_SECONDS = 2.0


def simulator_spec(webhook_url: str, secret: str, run_dir: Path, listen: str = "127.0.0.1:0",
                   late_seconds: float = 1.0) -> ServiceSpec:
    """How a supervisor starts the simulator."""
    return ServiceSpec(
        name=NAME, module=MODULE, ready_file=run_dir / f"{NAME}.ready",
        env={"PSP_LISTEN": listen, "PSP_WEBHOOK_URL": webhook_url, "PSP_WEBHOOK_SECRET": secret,
             "PSP_LATE_SECONDS": str(late_seconds)},
    )


@dataclass
class RunningSimulator:
    """A simulator process and its base URL."""

    supervisor: Supervisor
    url: str
    log: IO[str] | None = field(default=None, repr=False)

    def stop(self) -> None:
        """Stop the process (SIGTERM, then SIGKILL) and close its log."""
        self.supervisor.stop()
        for supervised in self.supervisor.services.values():
            for pump in supervised.pumps:
                pump.join(PUMP_JOIN_SECONDS)
        if self.log is not None:
            self.log.close()

    def __enter__(self) -> RunningSimulator:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()


def start_simulator(webhook_url: str, secret: str, run_dir: Path,
                    late_seconds: float = 1.0, timeout: float = 30.0) -> RunningSimulator:
    """Start the simulator in its own process (output in <run_dir>/psp.log); wait until it serves."""
    run_dir.mkdir(parents=True, exist_ok=True)
    log = (run_dir / f"{NAME}.log").open("a")
    supervisor = Supervisor(output=log, restart=False)
    try:
        supervisor.start(simulator_spec(webhook_url, secret, run_dir, late_seconds=late_seconds))
        address = supervisor.wait_ready(NAME, timeout)["http"]
    except BaseException:
        supervisor.stop()
        log.close()
        raise
    return RunningSimulator(supervisor, f"http://{address}", log)
