"""The MIME form of an email, and which SMTP failures are retried and which bounce."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from uuid import uuid4

import aiosmtplib
import pytest

from services.notify.emails import Attachment, Email, MailBouncedError, TransientMailError
from services.notify.mailer import classify, to_message

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"


def an_email(reference: object = None, **fields: object) -> Email:
    base: dict[str, object] = {
        "reference": reference or uuid4(), "sender": "billing@isp.example",
        "recipient": "ada@example.org", "subject": "Ihre Rechnung INV-1 für 1.\u201331. Jan. 2025",
        "text": "Guten Tag Ada,\n\n42,41\xa0€\n", "html": "<p>Guten Tag Ada</p>",
        "attachments": (Attachment("INV-1.pdf", "application/pdf", PDF),),
    }
    return Email(**{**base, **fields})  # type: ignore[arg-type]


def body_text(message: EmailMessage, subtype: str) -> str:
    body = message.get_body((subtype,))
    assert body is not None, f"no {subtype} body"
    text: str = body.get_content()
    return text


def test_message_has_text_and_html_alternatives_and_the_pdf_bytes() -> None:
    reference = uuid4()
    email = an_email(reference)

    message = to_message(email, datetime(2025, 2, 1, 8, 0, tzinfo=UTC))

    assert (message["From"], message["To"], message["Subject"]) == (
        "billing@isp.example", "ada@example.org", email.subject)
    assert message["Message-ID"] == f"<{reference}@isp.example>"
    assert body_text(message, "plain") == email.text
    assert body_text(message, "html") == email.html + "\n"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "INV-1.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == PDF


def test_message_without_attachments_is_only_the_alternatives() -> None:
    message = to_message(an_email(attachments=()), datetime(2025, 2, 1, tzinfo=UTC))

    assert list(message.iter_attachments()) == []
    assert message.get_content_type() == "multipart/alternative"


def refused_recipient(code: int) -> aiosmtplib.SMTPRecipientsRefused:
    return aiosmtplib.SMTPRecipientsRefused(
        [aiosmtplib.SMTPRecipientRefused(code, "mailbox unavailable", "ada@example.org")])


@pytest.mark.parametrize(("error", "reply"), [
    (refused_recipient(550), "550 mailbox unavailable"),
    (aiosmtplib.SMTPRecipientRefused(553, "no such user", "ada@example.org"), "553 no such user"),
    (aiosmtplib.SMTPDataError(554, "message rejected"), "554 message rejected"),
])
def test_a_5xx_reply_to_the_recipient_or_the_message_bounces(
    error: aiosmtplib.SMTPException, reply: str
) -> None:
    outcome = classify(error)

    assert isinstance(outcome, MailBouncedError)
    assert outcome.reply == reply


@pytest.mark.parametrize(("error", "reason"), [
    (refused_recipient(451), "smtp: 451 mailbox unavailable"),
    (aiosmtplib.SMTPDataError(452, "insufficient storage"), "smtp: 452 insufficient storage"),
    (aiosmtplib.SMTPSenderRefused(550, "sender not allowed", "billing@isp.example"),
     "smtp: 550 sender not allowed"),
    (aiosmtplib.SMTPAuthenticationError(535, "bad credentials"), "smtp: 535 bad credentials"),
    (aiosmtplib.SMTPHeloError(421, "shutting down"), "smtp: 421 shutting down"),
    (aiosmtplib.SMTPConnectError("Error connecting to 127.0.0.1 on port 1"),
     "SMTPConnectError: Error connecting to 127.0.0.1 on port 1"),
    (aiosmtplib.SMTPReadTimeoutError("Timed out waiting for server response"),
     "SMTPReadTimeoutError: Timed out waiting for server response"),
    (aiosmtplib.SMTPServerDisconnected("Unexpected EOF"), "SMTPServerDisconnected: Unexpected EOF"),
    (aiosmtplib.SMTPNotSupported("STARTTLS extension not supported by server"),
     "SMTPNotSupported: STARTTLS extension not supported by server"),
    (ConnectionRefusedError(111, "Connection refused"),
     "ConnectionRefusedError: [Errno 111] Connection refused"),
])
def test_no_connection_timeouts_4xx_and_configuration_refusals_are_transient(
    error: aiosmtplib.SMTPException | OSError, reason: str
) -> None:
    outcome = classify(error)

    assert isinstance(outcome, TransientMailError)
    assert outcome.reason == reason
