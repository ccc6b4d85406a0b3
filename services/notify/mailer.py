"""SMTP adapter: MIME messages from emails, sent with aiosmtplib, refusals sorted into two kinds.

A 5xx reply to the recipient (RCPT) or to the message (DATA) bounces the email for good; every
other failure (no connection, timeouts, 4xx replies, and 5xx replies about the sender, login or
TLS, which an operator fixes in the configuration) is transient and retried later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from services.notify.emails import Email, MailBouncedError, TransientMailError

DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
TRUE_WORDS = {"1", "true", "yes", "on"}
PERMANENT_CODES = range(500, 600)


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


def to_message(email: Email, at: datetime) -> EmailMessage:
    """The MIME message: text and HTML alternatives plus the attachments.

    The Message-ID is the delivery's id, so a message sent twice (see docs/notifications.md,
    exactly once) carries the same id both times.
    """
    message = EmailMessage()
    message["From"] = email.sender
    message["To"] = email.recipient
    message["Subject"] = email.subject
    message["Date"] = format_datetime(at)
    message["Message-ID"] = f"<{email.reference}@{sender_domain(email.sender)}>"
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    for attachment in email.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(attachment.content, maintype=maintype,
                               subtype=subtype or "octet-stream", filename=attachment.filename)
    return message


def reply_text(error: aiosmtplib.SMTPResponseException) -> str:
    """The server's reply: code and text."""
    return f"{error.code} {error.message}"


def classify(error: aiosmtplib.SMTPException | OSError) -> TransientMailError | MailBouncedError:
    """A bounce for a 5xx reply to the recipient or the message; transient for everything else."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused) and error.recipients:
        return classify(error.recipients[0])
    if isinstance(error, aiosmtplib.SMTPRecipientRefused | aiosmtplib.SMTPDataError) and (
        error.code in PERMANENT_CODES
    ):
        return MailBouncedError(reply_text(error))
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return TransientMailError(f"smtp: {reply_text(error)}")
    return TransientMailError(f"{type(error).__name__}: {error}")


class SmtpMailer:
    """Submits emails to one SMTP server."""

    def __init__(self, endpoint: SmtpEndpoint, timeout: float = 30.0) -> None:
        self.endpoint = endpoint
        self.timeout = timeout

    async def send(self, email: Email) -> None:
        """Send one email; a refusal or connection problem is classified (see classify)."""
        message = to_message(email, datetime.now(UTC))
        try:
            await aiosmtplib.send(
                message,
                sender=email.sender,
                recipients=[email.recipient],
                hostname=self.endpoint.hostname,
                port=self.endpoint.port,
                username=self.endpoint.username,
                password=self.endpoint.password,
                use_tls=self.endpoint.use_tls,
                start_tls=self.endpoint.start_tls,
                timeout=self.timeout,
            )
        except (aiosmtplib.SMTPException, OSError) as error:
            raise classify(error) from error
