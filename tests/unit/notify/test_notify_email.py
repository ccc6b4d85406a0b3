"""Composing the invoice email and its MIME form."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from uuid import uuid4

from services.notify.domain import compose_invoice_email
from services.notify.mailer import to_message
from tests.unit.notify.notify_fakes import an_invoice

SENDER = "billing@isp.example"


def body_text(message: EmailMessage, subtype: str) -> str:
    """The text of the message's plain or html body."""
    body = message.get_body((subtype,))
    assert body is not None, f"no {subtype} body"
    text: str = body.get_content()
    return text


def test_subject_names_the_invoice_number_and_period() -> None:
    email = compose_invoice_email(an_invoice(), SENDER, uuid4())

    assert email.subject == "Invoice INV-2025-000042 for 2025-01-01 to 2025-02-01"


def test_email_goes_from_the_sender_to_the_accounts_billing_email() -> None:
    email = compose_invoice_email(an_invoice(billing_email="bills@ada.example"), SENDER, uuid4())

    assert (email.sender, email.recipient) == (SENDER, "bills@ada.example")


def test_both_bodies_list_every_line_and_show_the_total() -> None:
    email = compose_invoice_email(an_invoice(), SENDER, uuid4())

    for body in (email.text, email.html):
        assert "Fibre 1G monthly fee" in body
        assert "Voice calls" in body
        assert "2.51 EUR" in body
        assert "42.41 EUR" in body
    assert "Total: 42.41 EUR" in email.text


def test_invoice_is_attached_as_an_html_document_named_after_its_number() -> None:
    email = compose_invoice_email(an_invoice(), SENDER, uuid4())

    [attachment] = email.attachments
    assert attachment.filename == "invoice-INV-2025-000042.html"
    assert attachment.content_type == "text/html"
    assert attachment.content.startswith("<!DOCTYPE html>")
    assert "42.41 EUR" in attachment.content


def test_account_name_is_escaped_in_html() -> None:
    email = compose_invoice_email(an_invoice(account_name="<b>Evil & Co</b>"), SENDER, uuid4())

    assert "<b>Evil" not in email.html
    assert "&lt;b&gt;Evil &amp; Co&lt;/b&gt;" in email.attachments[0].content
    assert "Dear <b>Evil & Co</b>," in email.text


def test_mime_message_has_text_and_html_alternatives_and_the_attachment() -> None:
    reference = uuid4()
    email = compose_invoice_email(an_invoice(), SENDER, reference)

    message = to_message(email, datetime(2025, 2, 1, 8, 0, tzinfo=UTC))

    assert message["To"] == "ada@example.org"
    assert message["Subject"] == email.subject
    assert message["Message-ID"] == f"<{reference}@isp.example>"
    assert body_text(message, "plain") == email.text
    assert body_text(message, "html") == email.html
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "invoice-INV-2025-000042.html"
    assert attachment.get_content_type() == "text/html"
