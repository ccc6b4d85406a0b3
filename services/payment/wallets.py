"""Use cases: keep payment methods on file, and charge the default one when dunning retries."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from uuid import UUID

from kernel.ids import derived_id
from kernel.money import Money
from services.payment.application import PaymentApplication
from services.payment.collecting import Collecting
from services.payment.domain.errors import InvalidPaymentError
from services.payment.domain.methods import StoredMethod, Wallet, check_token
from services.payment.domain.payments import CARD, PaymentRequest
from services.payment.gateways.port import GatewayRejectedError, PaymentGateway

DUNNING_REFERENCE = "automatic retry (dunning)"


class Wallets:
    """Payment methods on file per account."""

    def __init__(self, app: PaymentApplication, gateway: PaymentGateway, collecting: Collecting) -> None:
        self.app = app
        self.gateway = gateway
        self.collecting = collecting

    async def add(self, tenant_id: UUID, account_id: UUID, token: str, make_default: bool) -> Wallet:
        """Keep a gateway token on file, with what the gateway says about the card (never its number)."""
        token = check_token(token)
        await self.collecting.invoices.account(tenant_id, account_id)
        try:
            details = await self.gateway.describe_method(token)
        except GatewayRejectedError as error:
            raise InvalidPaymentError("token", error.reason) from None
        method = StoredMethod(
            method_id=derived_id(tenant_id, account_id, "method", token), token=token,
            provider=self.gateway.name, brand=details.brand, last4=details.last4,
            exp_month=details.exp_month, exp_year=details.exp_year,
        )

        return await self._change(tenant_id, account_id, lambda wallet: wallet.add(method, make_default))

    async def remove(self, tenant_id: UUID, account_id: UUID, method_id: UUID) -> Wallet:
        """Forget a stored method."""
        return await self._change(tenant_id, account_id, lambda wallet: wallet.remove(method_id))

    async def choose_default(self, tenant_id: UUID, account_id: UUID, method_id: UUID) -> Wallet:
        """Automatic charges use this method from now on."""
        return await self._change(tenant_id, account_id, lambda wallet: wallet.choose_default(method_id))

    async def wallet_of(self, tenant_id: UUID, account_id: UUID) -> Wallet:
        """The account's wallet (empty when nothing is on file)."""
        return await asyncio.to_thread(self.app.wallet, tenant_id, account_id)

    async def token_of(self, tenant_id: UUID, account_id: UUID, method_id: UUID) -> str:
        """The gateway token of a stored method."""
        wallet = await self.wallet_of(tenant_id, account_id)
        return wallet.method(method_id).token

    async def has_stored_method(self, tenant_id: UUID, account_id: UUID) -> bool:
        """True when automatic charges have a method to use."""
        return (await self.wallet_of(tenant_id, account_id)).default is not None

    async def retry_with_stored_method(
        self, tenant_id: UUID, account_id: UUID, payment_id: UUID, amount: Money
    ) -> str:
        """Charge the default method (once per payment id); the payment's status."""
        wallet = await self.wallet_of(tenant_id, account_id)
        if wallet.default is None:
            return "no_stored_method"
        request = PaymentRequest(
            tenant_id=tenant_id, account_id=account_id, invoice_id=None, amount=amount, method=CARD,
            reference=DUNNING_REFERENCE, idempotency_key=f"dunning:{payment_id}",
            token=wallet.default.token,
        )
        payment = await self.collecting.pay_by_card(request, payment_id=payment_id)
        return str(payment.status)

    async def _change(self, tenant_id: UUID, account_id: UUID, verb: Callable[[Wallet], object]) -> Wallet:
        """Load the account's wallet, apply one verb, save (retried on concurrent saves)."""

        def change() -> Wallet:
            wallet = self.app.wallet(tenant_id, account_id)
            verb(wallet)
            self.app.save_all(wallet)
            return wallet

        return await self.collecting.change(change)
