"""Settings of the notify service."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field, model_validator

from kernel.settings import ServiceSettings
from services.notify.domain import is_valid_email_address
from services.notify.mailer import SmtpEndpoint, parse_smtp_url
from services.notify.retries import RetryPolicy


class Settings(ServiceSettings):
    """Notify settings: the shared ones plus the invoice and support services, the SMTP server,
    the sender, and how emails are retried."""

    invoice_grpc: str = Field(description="host:port of the invoice service's gRPC server")
    support_grpc: str = Field(default="127.0.0.1:50056",
                              description="host:port of the support service's gRPC server")
    smtp_url: str = Field(
        description="smtp://[user:pass@]host[:port][?starttls=true] or smtps://... to send mail"
    )
    mail_from: str = "billing@example.net"
    smtp_timeout_seconds: float = Field(default=30.0, gt=0, le=600)
    mail_max_attempts: int = Field(default=8, ge=1, le=50,
                                   description="attempts before a delivery fails for good")
    mail_retry_first_delay_seconds: float = Field(
        default=360.0, gt=0, description="wait after the first failed attempt; doubles each time")
    mail_retry_max_delay_seconds: float = Field(default=21_600.0, gt=0,
                                                description="longest wait between two attempts")
    mail_retry_jitter: float = Field(default=0.2, ge=0, lt=1,
                                     description="each wait is scaled by 1 ± this at random")
    mail_send_lanes: int = Field(default=4, ge=1, le=64,
                                 description="deliveries attempted at the same time")
    mail_poll_seconds: float = Field(default=1.0, gt=0, le=60,
                                     description="how often due retries are looked for")

    @model_validator(mode="after")
    def check_notify_settings(self) -> Settings:
        """The invoice and support addresses are host:port, the SMTP URL parses, the sender is
        an address, the retry delays are in order."""
        for name, address in (("invoice_grpc", self.invoice_grpc), ("support_grpc", self.support_grpc)):
            if ":" not in address:
                raise ValueError(f"{name} must be host:port, got {address!r}")
        endpoint = parse_smtp_url(self.smtp_url)
        if endpoint.username is not None:
            self.check_secret("SMTP_URL password", endpoint.password or "")
        if not is_valid_email_address(self.mail_from):
            raise ValueError(f"mail_from is not an email address: {self.mail_from!r}")
        if self.mail_retry_max_delay_seconds < self.mail_retry_first_delay_seconds:
            raise ValueError("mail_retry_max_delay_seconds must be at least the first delay")
        return self

    @property
    def smtp(self) -> SmtpEndpoint:
        """Where and how to submit mail."""
        return parse_smtp_url(self.smtp_url)

    @property
    def retry_policy(self) -> RetryPolicy:
        """How failed attempts are retried."""
        return RetryPolicy(
            max_attempts=self.mail_max_attempts,
            first_delay=timedelta(seconds=self.mail_retry_first_delay_seconds),
            max_delay=timedelta(seconds=self.mail_retry_max_delay_seconds),
            jitter=self.mail_retry_jitter,
        )
