"""Emails as notify sends them, and the port they are sent through."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True)
class Attachment:
    """A file sent along with an email."""

    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class Email:
    """A message to one recipient, with a plain-text and an HTML body; reference names it."""

    reference: UUID
    sender: str
    recipient: str
    subject: str
    text: str
    html: str
    attachments: tuple[Attachment, ...] = ()


class TransientMailError(Exception):
    """The mail server was not reached or answered 'not now' (4xx); a later attempt may succeed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MailBouncedError(Exception):
    """The mail server refused the recipient or the message for good (5xx); reply is its answer."""

    def __init__(self, reply: str) -> None:
        super().__init__(reply)
        self.reply = reply


class Mailer(Protocol):
    """Sends emails; raises TransientMailError or MailBouncedError when the server did not accept."""

    async def send(self, email: Email) -> None: ...
