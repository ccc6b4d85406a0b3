"""Named errors of the invoice domain."""

from __future__ import annotations

from kernel.errors import ConflictError, InvalidInputError, NotFoundError, PreconditionError


class PlanNotFoundError(NotFoundError):
    """No such plan for this tenant."""

    def __init__(self, plan_id: object) -> None:
        super().__init__(f"plan {plan_id} not found")


class AccountNotFoundError(NotFoundError):
    """No such account for this tenant."""

    def __init__(self, account_id: object) -> None:
        super().__init__(f"account {account_id} not found")


class InvoiceNotFoundError(NotFoundError):
    """No such invoice for this tenant."""

    def __init__(self, invoice_id: object) -> None:
        super().__init__(f"invoice {invoice_id} not found")


class BillRunNotFoundError(NotFoundError):
    """No such bill run for this tenant."""

    def __init__(self, bill_run_id: object) -> None:
        super().__init__(f"bill run {bill_run_id} not found")


class InvalidPlanError(InvalidInputError):
    """A plan field is not acceptable."""


class InvalidAccountError(InvalidInputError):
    """An account field is not acceptable."""


class InvalidPeriodError(InvalidInputError):
    """A bill period is not acceptable."""


class InvoiceNotFinalizedError(PreconditionError):
    """Only a finalized invoice can take payments."""


class InvoiceAlreadyFinalizedError(PreconditionError):
    """A finalized invoice is never changed; corrections go on the next invoice."""


class PaymentCurrencyError(ConflictError):
    """A payment in another currency than the invoice's."""
