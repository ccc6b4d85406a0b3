"""Settings of the notify service."""

from __future__ import annotations

from pydantic import Field, model_validator

from kernel.settings import ServiceSettings
from services.notify.domain import is_valid_email_address
from services.notify.mailer import SmtpEndpoint, parse_smtp_url


class Settings(ServiceSettings):
    """Notify settings: the shared ones plus the invoice service, the SMTP server, the sender."""

    invoice_grpc: str = Field(description="host:port of the invoice service's gRPC server")
    smtp_url: str = Field(
        description="smtp://[user:pass@]host[:port][?starttls=true] or smtps://... to send mail"
    )
    mail_from: str = "billing@example.net"

    @model_validator(mode="after")
    def check_notify_settings(self) -> Settings:
        """The invoice address is host:port, the SMTP URL parses, the sender is an address."""
        if ":" not in self.invoice_grpc:
            raise ValueError(f"invoice_grpc must be host:port, got {self.invoice_grpc!r}")
        endpoint = parse_smtp_url(self.smtp_url)
        if endpoint.username is not None:
            self.check_secret("SMTP_URL password", endpoint.password or "")
        if not is_valid_email_address(self.mail_from):
            raise ValueError(f"mail_from is not an email address: {self.mail_from!r}")
        return self

    @property
    def smtp(self) -> SmtpEndpoint:
        """Where and how to submit mail."""
        return parse_smtp_url(self.smtp_url)
