"""Which PSP the payment service charges through, its credentials, and building its adapter."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kernel.settings import PLACEHOLDER_SECRETS
from services.payment.gateways.port import PaymentGateway
from services.payment.gateways.simulator import SimulatorGateway
from services.payment.gateways.stripe_gateway import StripeGateway

STRIPE_KEY_PREFIXES = ("sk_", "rk_")
STRIPE_SIGNING_PREFIX = "whsec_"


class GatewaySettings(BaseSettings):
    """PSP settings, mixed into the payment service's settings (env: PAYMENT_GATEWAY, PSP_*, STRIPE_*)."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    payment_gateway: Literal["simulator", "stripe"] = Field(
        default="simulator", description="the PSP adapter: the local simulator or Stripe")
    psp_simulator_url: str = Field(default="", description="http:// base URL of the PSP simulator")
    psp_webhook_secret: SecretStr = Field(
        default=SecretStr(""), description="key of the simulator's webhook signatures")
    stripe_api_key: SecretStr = Field(default=SecretStr(""), description="Stripe secret key (sk_ or rk_)")
    stripe_webhook_secret: SecretStr = Field(
        default=SecretStr(""), description="signing secret of the Stripe webhook endpoint (whsec_)")
    stripe_return_url: str = Field(
        default="", description="where Stripe sends a customer back after a redirect (optional)")
    psp_timeout_seconds: float = Field(
        default=3.0, gt=0, le=120, description="how long to wait for the PSP before the outcome is unknown")

    @model_validator(mode="after")
    def check_gateway(self) -> GatewaySettings:
        """The chosen PSP has what it needs; no placeholder secret outside development."""
        if self.payment_gateway == "simulator":
            self.check_simulator()
        else:
            self.check_stripe()
        return self

    def check_simulator(self) -> None:
        """The simulator needs its URL and a webhook secret."""
        if not self.psp_simulator_url.startswith(("http://", "https://")):
            raise ValueError("PSP_SIMULATOR_URL must be an http(s):// URL when PAYMENT_GATEWAY=simulator")
        self.check_gateway_secret("PSP_WEBHOOK_SECRET", self.psp_webhook_secret.get_secret_value())

    def check_stripe(self) -> None:
        """Stripe needs a secret key and the webhook endpoint's signing secret."""
        api_key = self.stripe_api_key.get_secret_value()
        webhook_secret = self.stripe_webhook_secret.get_secret_value()
        if not api_key.startswith(STRIPE_KEY_PREFIXES):
            raise ValueError("STRIPE_API_KEY must be a Stripe secret key (sk_...) or restricted key (rk_...)")
        if not webhook_secret.startswith(STRIPE_SIGNING_PREFIX):
            raise ValueError("STRIPE_WEBHOOK_SECRET must be the endpoint's signing secret (whsec_...)")

    def check_gateway_secret(self, name: str, value: str) -> None:
        """A secret must be set; a placeholder is refused outside development."""
        if not value:
            raise ValueError(f"{name} must be set")
        environment = getattr(self, "environment", "development")
        if environment != "development" and value.lower() in PLACEHOLDER_SECRETS:
            raise ValueError(f"{name} must be set to a real secret outside development")


def build_gateway(settings: GatewaySettings) -> PaymentGateway:
    """The adapter the settings choose (it connects lazily, on first use)."""
    if settings.payment_gateway == "stripe":
        return StripeGateway(settings.stripe_api_key.get_secret_value(),
                             settings.stripe_webhook_secret.get_secret_value(),
                             settings.psp_timeout_seconds, return_url=settings.stripe_return_url)
    return SimulatorGateway(settings.psp_simulator_url, settings.psp_webhook_secret.get_secret_value(),
                            settings.psp_timeout_seconds)
