"""A local SMTP sink for development and tests: every message received lands in a .eml file."""

from __future__ import annotations

import logging
import time
import uuid
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from devstack.ports import HOST, free_port

log = logging.getLogger(__name__)


class EmlWriter:
    """aiosmtpd handler writing each message, as received, to <folder>/<ns>-<random>.eml."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        """Store the message atomically (write a temporary file, then rename)."""
        content = envelope.original_content or b""
        name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
        temporary = self.folder / f".{name}.tmp"
        temporary.write_bytes(content)
        temporary.replace(self.folder / name)
        log.info("mail sink stored %s for %s", name, ", ".join(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


class MailSink:
    """An SMTP server on 127.0.0.1 that keeps every message in a folder; port 0 picks one."""

    def __init__(self, folder: Path, port: int = 0) -> None:
        self.folder = folder
        self.port = port
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        """smtp://127.0.0.1:<port>, for SMTP_URL."""
        return f"smtp://{HOST}:{self.port}"

    def start(self) -> None:
        """Start serving (again, on the same port, after a stop)."""
        if self.controller is not None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.port == 0:
            self.port = free_port()
        controller = Controller(EmlWriter(self.folder), hostname=HOST, port=self.port)
        controller.start()
        self.controller = controller

    def stop(self) -> None:
        """Stop serving; the stored messages stay."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def files(self) -> list[Path]:
        """The stored .eml files, oldest first."""
        return sorted(self.folder.glob("*.eml"))

    def messages(self) -> list[EmailMessage]:
        """The stored messages, parsed, oldest first."""
        parser = BytesParser(policy=policy.default)
        return [parser.parsebytes(path.read_bytes()) for path in self.files()]

    def __enter__(self) -> MailSink:
        self.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()
