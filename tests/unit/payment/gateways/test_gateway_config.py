"""Choosing and configuring the PSP from the environment."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from kernel.settings import ServiceSettings
from services.payment.gateways.config import GatewaySettings, build_gateway
from services.payment.gateways.simulator import SimulatorGateway
from services.payment.gateways.stripe_gateway import StripeGateway


class PaymentSettings(ServiceSettings, GatewaySettings):
    """How the payment service mixes the PSP settings in."""


def settings(**values: Any) -> PaymentSettings:
    """Settings from keyword values, as the environment would give them."""
    return PaymentSettings(database_url="postgresql://db", nats_url="nats://nats", **values)


SIMULATOR = {"psp_simulator_url": "http://127.0.0.1:8010", "psp_webhook_secret": "f3a9c1d27be04e58"}
STRIPE = {"payment_gateway": "stripe", "stripe_api_key": "sk_test_51PzJzyLkdIwHu7ix",
          "stripe_webhook_secret": "whsec_5f1c0b8e2d7a4c3b"}


async def test_the_simulator_is_the_default_and_builds_its_adapter() -> None:
    chosen = settings(**SIMULATOR)
    adapter = build_gateway(chosen)
    assert isinstance(adapter, SimulatorGateway)
    assert adapter.name == "simulator"
    assert chosen.psp_timeout_seconds == 3.0
    await adapter.close()


async def test_stripe_builds_its_adapter_with_the_timeout() -> None:
    adapter = build_gateway(settings(**STRIPE, psp_timeout_seconds=7.5))
    assert isinstance(adapter, StripeGateway)
    assert adapter.name == "stripe"
    await adapter.close()


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAYMENT_GATEWAY", "stripe")
    monkeypatch.setenv("STRIPE_API_KEY", "rk_live_51PzJzyLkdIwHu7ix")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", "whsec_5f1c0b8e2d7a4c3b")
    chosen = settings()
    assert chosen.payment_gateway == "stripe"
    assert chosen.stripe_api_key.get_secret_value().startswith("rk_live_")
    assert "rk_live" not in repr(chosen)


@pytest.mark.parametrize(("values", "message"), [
    ({"psp_webhook_secret": "f3a9c1d27be04e58"}, "PSP_SIMULATOR_URL"),
    ({"psp_simulator_url": "127.0.0.1:8010", "psp_webhook_secret": "x1"}, "PSP_SIMULATOR_URL"),
    ({"psp_simulator_url": "http://127.0.0.1:8010"}, "PSP_WEBHOOK_SECRET"),
    ({**STRIPE, "stripe_api_key": ""}, "STRIPE_API_KEY"),
    ({**STRIPE, "stripe_api_key": "pk_test_publishable"}, "STRIPE_API_KEY"),
    ({**STRIPE, "stripe_webhook_secret": "changeme"}, "STRIPE_WEBHOOK_SECRET"),
    ({**SIMULATOR, "payment_gateway": "paypal"}, "payment_gateway"),
    ({**SIMULATOR, "psp_timeout_seconds": 0}, "psp_timeout_seconds"),
])
def test_incomplete_or_wrong_settings_are_refused_naming_the_setting(values: dict[str, Any],
                                                                     message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        settings(**values)


@pytest.mark.parametrize("environment", ["test", "production"])
def test_a_placeholder_webhook_secret_is_refused_outside_development(environment: str) -> None:
    with pytest.raises(ValidationError, match="real secret"):
        settings(environment=environment, psp_simulator_url="http://sim", psp_webhook_secret="changeme")


def test_a_placeholder_webhook_secret_is_allowed_in_development() -> None:
    chosen = settings(psp_simulator_url="http://sim", psp_webhook_secret="changeme")
    assert chosen.psp_webhook_secret.get_secret_value() == "changeme"
