"""`make run`: PostgreSQL, NATS, a mail sink, every service, demo data; Ctrl-C stops it all."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from devstack.demo import load_demo
from devstack.local import infrastructure_urls
from devstack.mailsink import MailSink
from devstack.stack import RunningStack, StackConfig, start_stack

VAR = Path(__file__).resolve().parent.parent / "var"
log = logging.getLogger("devstack")


def banner(gateway_url: str, demo: dict[str, Any], mail_folder: Path | None) -> str:
    """Where to look once the stack is up."""
    first_account = (demo.get("account_ids") or [""])[0]
    first_invoice = (demo.get("invoice_ids") or [""])[0]
    lines = [
        "",
        "The billing stack is running. Ctrl-C stops everything.",
        f"  Gateway:        {gateway_url}",
        f"  OpenAPI docs:   {gateway_url}/docs",
        f"  Demo admin key: {demo['api_key']}",
        f"  Demo invoices:  curl -H 'Authorization: Bearer {demo['api_key']}' "
        f"{gateway_url}/v1/accounts/{first_account}/invoices",
        f"  Invoice PDF:    curl -OJ -H 'Authorization: Bearer {demo['api_key']}' "
        f"{gateway_url}/v1/invoices/{first_invoice}.pdf",
        f"  Ledger:         curl -H 'Authorization: Bearer {demo['api_key']}' "
        f"{gateway_url}/v1/accounts/{first_account}/ledger",
        f"  Reconciliation: curl -H 'Authorization: Bearer {demo['api_key']}' "
        f"'{gateway_url}/v1/usage/reconciliation?from={demo.get('usage_day', '')}"
        f"&to={demo.get('usage_day', '')}'",
        f"  Explanation:    curl -H 'Authorization: Bearer {demo['api_key']}' "
        f"{gateway_url}/v1/invoices/{first_invoice}/explanation",
        f"  Agent view:     curl -H 'Authorization: Bearer {demo['api_key']}' "
        f"{gateway_url}/v1/accounts/{demo.get('customer_account_id', first_account)}/overview",
        f"  Self-service:   curl -H 'Authorization: Bearer {demo.get('customer_key', '')}' "
        f"{gateway_url}/v1/me",
        f"  Demo emails:    {mail_folder}" if mail_folder else "  Emails: sent to SMTP_URL",
        f"  Demo details:   {VAR / 'demo.json'}",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    """Bring the stack up, load the demo once, wait for Ctrl-C, stop cleanly."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s devstack | %(message)s")
    VAR.mkdir(exist_ok=True)
    database_url, nats_url, infrastructure = infrastructure_urls(VAR)
    mail: MailSink | None = None
    stack: RunningStack | None = None
    stopped = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        smtp_url = os.environ.get("SMTP_URL", "")
        if not smtp_url:
            mail = MailSink(VAR / "mail", port=int(os.environ.get("LOCAL_SMTP_PORT", "1025")))
            mail.start()
            smtp_url = mail.url
        stack = start_stack(StackConfig(database_url=database_url, nats_url=nats_url,
                                        smtp_url=smtp_url, run_dir=VAR / "run", fixed_ports=True))
        demo_file = VAR / "demo.json"
        if not demo_file.exists():
            log.info("loading demo data: plans, 50 subscribers, a day of usage, a bill run")
            demo_file.write_text(json.dumps(
                asyncio.run(load_demo(stack.gateway_url, database_url)), indent=2))
        demo = json.loads(demo_file.read_text())
        sys.stdout.write(banner(stack.gateway_url, demo, mail.folder if mail else None) + "\n")
        sys.stdout.flush()
        stopped.wait()
    finally:
        log.info("stopping services")
        if stack:
            stack.stop()
        if mail:
            mail.stop()
        for server in reversed(infrastructure):
            server.stop()
        log.info("stopped")

if __name__ == "__main__":
    main()
