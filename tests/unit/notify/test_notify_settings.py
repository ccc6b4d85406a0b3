"""Notify settings and the SMTP URL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from services.notify.mailer import SmtpEndpoint, parse_smtp_url
from services.notify.retries import RetryPolicy
from services.notify.settings import Settings

REQUIRED = {"database_url": "postgresql://localhost/billing", "nats_url": "nats://localhost:4222",
            "invoice_grpc": "127.0.0.1:50053"}


def settings(**fields: str) -> Settings:
    """Settings from the required fields plus these."""
    return Settings.model_validate({**REQUIRED, **fields})


def test_plain_smtp_url_gives_host_and_port_without_tls() -> None:
    assert parse_smtp_url("smtp://127.0.0.1:1025") == SmtpEndpoint("127.0.0.1", 1025)


def test_smtp_url_with_login_and_starttls() -> None:
    endpoint = parse_smtp_url("smtp://billing%40isp:s%3Acret@mail.isp.example:587?starttls=true")

    assert endpoint == SmtpEndpoint("mail.isp.example", 587, "billing@isp", "s:cret",
                                    use_tls=False, start_tls=True)


def test_smtps_url_uses_implicit_tls_on_port_465() -> None:
    endpoint = parse_smtp_url("smtps://mail.isp.example")

    assert (endpoint.port, endpoint.use_tls, endpoint.start_tls) == (465, True, False)


@pytest.mark.parametrize("url", ["http://mail.example:25", "mail.example:25", "smtp://:25"])
def test_non_smtp_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="SMTP_URL"):
        parse_smtp_url(url)


def test_settings_read_the_invoice_address_smtp_url_and_default_sender() -> None:
    loaded = settings(smtp_url="smtp://127.0.0.1:1025")

    assert loaded.smtp == SmtpEndpoint("127.0.0.1", 1025)
    assert loaded.mail_from == "billing@example.net"


def test_settings_refuse_a_bad_smtp_url_and_sender() -> None:
    with pytest.raises(ValidationError):
        settings(smtp_url="http://127.0.0.1:1025")
    with pytest.raises(ValidationError):
        settings(smtp_url="smtp://127.0.0.1:1025", mail_from="billing")


def test_production_refuses_a_placeholder_smtp_password() -> None:
    with pytest.raises(ValidationError, match="real secret"):
        settings(environment="production",
                 smtp_url="smtp://billing:changeme@mail.isp.example:587?starttls=true")


def test_retry_settings_make_the_retry_policy() -> None:
    loaded = settings(smtp_url="smtp://127.0.0.1:1025", mail_max_attempts="3",
                      mail_retry_first_delay_seconds="60", mail_retry_max_delay_seconds="600",
                      mail_retry_jitter="0")

    assert loaded.retry_policy == RetryPolicy(3, timedelta(minutes=1), timedelta(minutes=10), 0.0)
    assert settings(smtp_url="smtp://127.0.0.1:1025").retry_policy == RetryPolicy()


@pytest.mark.parametrize("fields", [
    {"mail_max_attempts": "0"}, {"mail_retry_jitter": "1"}, {"mail_send_lanes": "0"},
    {"mail_retry_first_delay_seconds": "600", "mail_retry_max_delay_seconds": "60"},
])
def test_retry_settings_out_of_range_are_refused(fields: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        settings(smtp_url="smtp://127.0.0.1:1025", **fields)
