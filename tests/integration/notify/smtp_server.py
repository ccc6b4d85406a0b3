"""A real SMTP server (aiosmtpd) for tests that keeps messages in memory and can be told to
refuse: 451 to the next N recipients, 550 to chosen mailboxes for good."""

from __future__ import annotations

import threading
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any, cast

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from devstack.ports import HOST, free_port

TRY_LATER = "451 4.3.0 Mailbox temporarily unavailable, try again later"
NO_SUCH_USER = "550 5.1.1 No such user here"


class ScriptedHandler:
    """aiosmtpd handler: refuses as scripted, otherwise keeps each message."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[EmailMessage] = []
        self.refuse_next = 0
        self.unknown_mailboxes: set[str] = set()
        self.recipients_seen = 0

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str,
        rcpt_options: list[str],
    ) -> str:
        with self.lock:
            self.recipients_seen += 1
            if address in self.unknown_mailboxes:
                return NO_SUCH_USER
            if self.refuse_next > 0:
                self.refuse_next -= 1
                return TRY_LATER
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        message = cast(EmailMessage, BytesParser(policy=policy.default).parsebytes(content))
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"


class ScriptedSmtpServer:
    """An SMTP server on 127.0.0.1 and a free port, running in its own thread."""

    def __init__(self) -> None:
        self.handler = ScriptedHandler()
        self.port = free_port()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        """smtp://127.0.0.1:<port>, for SMTP_URL."""
        return f"smtp://{HOST}:{self.port}"

    @property
    def messages(self) -> list[EmailMessage]:
        """The messages accepted so far, oldest first."""
        with self.handler.lock:
            return list(self.handler.messages)

    def refuse_next(self, count: int) -> None:
        """Answer 451 to the next count recipients."""
        with self.handler.lock:
            self.handler.refuse_next = count

    def unknown_mailbox(self, address: str) -> None:
        """Answer 550 to this recipient, always."""
        with self.handler.lock:
            self.handler.unknown_mailboxes.add(address)

    def start(self) -> None:
        """Start serving."""
        self.controller = Controller(self.handler, hostname=HOST, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        """Stop serving."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self) -> ScriptedSmtpServer:
        self.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()
