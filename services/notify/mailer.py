"""SMTP adapter: builds MIME messages from emails and sends them with aiosmtplib."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from services.notify.application import MailTransportError
from services.notify.domain import Email

DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
TRUE_WORDS = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class SmtpEndpoint:
    """Where and how to submit mail: host, port, optional login, TLS mode."""

    hostname: str
    port: int
    username: str | None = None
    password: str | None = None
    use_tls: bool = False
    start_tls: bool = False


def parse_smtp_url(url: str) -> SmtpEndpoint:
    """smtp://[user:pass@]host[:port][?starttls=true] or smtps://... (implicit TLS)."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS:
        raise ValueError("SMTP_URL must start with smtp:// or smtps://")
    if not parts.hostname:
        raise ValueError("SMTP_URL needs a host")
    starttls = parse_qs(parts.query).get("starttls", ["false"])[0].lower() in TRUE_WORDS
    return SmtpEndpoint(
        hostname=parts.hostname,
        port=parts.port or DEFAULT_PORTS[parts.scheme],
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=parts.scheme == "smtps",
        start_tls=starttls and parts.scheme == "smtp",
    )


def sender_domain(sender: str) -> str:
    """The domain of the sender's address, for Message-IDs."""
    return sender.rpartition("@")[2] or "localhost"


def text_subtype(content_type: str) -> str:
    """'html' for 'text/html'; attachments are text documents for now."""
    maintype, _, subtype = content_type.partition("/")
    if maintype != "text" or not subtype:
        raise ValueError(f"only text attachments are supported, not {content_type!r}")
    return subtype


def to_message(email: Email, at: datetime) -> EmailMessage:
    """The MIME message: text and HTML alternatives plus the attachments."""
    message = EmailMessage()
    message["From"] = email.sender
    message["To"] = email.recipient
    message["Subject"] = email.subject
    message["Date"] = format_datetime(at)
    message["Message-ID"] = f"<{email.reference}@{sender_domain(email.sender)}>"
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    for attachment in email.attachments:
        message.add_attachment(attachment.content, subtype=text_subtype(attachment.content_type),
                               filename=attachment.filename)
    return message


class SmtpMailer:
    """Submits emails to one SMTP server."""

    def __init__(self, endpoint: SmtpEndpoint, timeout: float = 30.0) -> None:
        self.endpoint = endpoint
        self.timeout = timeout

    async def send(self, email: Email) -> None:
        """Send one email; any refusal or connection problem is a MailTransportError."""
        message = to_message(email, datetime.now(UTC))
        try:
            await aiosmtplib.send(
                message,
                hostname=self.endpoint.hostname,
                port=self.endpoint.port,
                username=self.endpoint.username,
                password=self.endpoint.password,
                use_tls=self.endpoint.use_tls,
                start_tls=self.endpoint.start_tls,
                timeout=self.timeout,
            )
        except (aiosmtplib.SMTPException, OSError) as error:
            raise MailTransportError(f"{type(error).__name__}: {error}") from error
