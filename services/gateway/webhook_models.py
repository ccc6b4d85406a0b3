"""Request bodies of webhooks and paper bills (print batches)."""

from __future__ import annotations

from pydantic import Field, StrictBool

from services.gateway.models import Strict


class WebhookSettingsBody(Strict):
    """The tenant's webhook settings."""

    allow_private_targets: StrictBool = Field(
        description="allow http:// URLs and loopback, private, link-local and CGNAT targets")


class WebhookEndpointBody(Strict):
    """An endpoint receiving the tenant's events, replaced as a whole on update."""

    url: str = Field(min_length=1, max_length=2000, examples=["https://erp.example.net/billing-events"],
                     description="https:// (http:// only when the tenant allows private targets)")
    event_types: list[str] = Field(
        min_length=1, max_length=50, examples=[["invoice.Invoice.Finalized", "payment.*"]],
        description="exact types <service>.<Aggregate>.<Event> or wildcards <service>.*,"
                    " <service>.<Aggregate>.* and *")
    description: str = Field(default="", max_length=500)


class EndpointDisable(Strict):
    """Why an endpoint is disabled."""

    reason: str = Field(default="", max_length=200)


class DeliveryPreferencesBody(Strict):
    """How an account's invoices reach the customer besides email."""

    paper: StrictBool = Field(description="print and post the account's invoices (print batches)")
