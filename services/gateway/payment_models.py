"""Request bodies of the payment routes."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from services.gateway.models import MoneyBody, Strict


class PaymentCreate(Strict):
    """A payment: money received (bank transfer, cash) or a card charge through the payment gateway."""

    invoice_id: str | None = Field(default=None, description="settle this invoice first")
    account_id: str | None = Field(default=None, description="required without invoice_id")
    amount: MoneyBody
    method: Literal["bank_transfer", "cash", "card"] = "bank_transfer"
    reference: str = Field(default="", max_length=200)
    payment_method_id: str | None = Field(default=None, description="a stored card of the account")
    token: str | None = Field(default=None, max_length=200,
                              description="a payment-gateway token (never a card number)")

    @model_validator(mode="after")
    def check_payer(self) -> PaymentCreate:
        """A payment names an invoice or an account; a card payment names its card."""
        if not self.invoice_id and not self.account_id:
            raise ValueError("invoice_id or account_id is required")
        if self.method == "card" and not (self.payment_method_id or self.token):
            raise ValueError("a card payment needs payment_method_id or token")
        return self


class RefundCreate(Strict):
    """Money given back from a payment."""

    amount: MoneyBody
    reason: str = Field(default="", max_length=200)


class PaymentMethodCreate(Strict):
    """A card kept on file, as a payment-gateway token."""

    token: str = Field(min_length=1, max_length=200)
    make_default: bool = False
