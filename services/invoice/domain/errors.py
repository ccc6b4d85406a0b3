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


class InvalidIdentityError(InvalidInputError):
    """A subscriber identity is not acceptable."""


class AccountNotActiveError(PreconditionError):
    """Only an active account takes new subscriber identities."""


class IdentityTakenError(ConflictError):
    """The subscriber identity belongs to another account of the tenant."""

    def __init__(self, identity: str) -> None:
        super().__init__(f"identity {identity!r} is assigned to another account")
        self.identity = identity


class IdentityChangedConcurrentlyError(ConflictError):
    """The identities or the account changed while this change was being saved."""


class IdentityNotAssignedError(NotFoundError):
    """The subscriber identity is not (or no longer) assigned to this account."""

    def __init__(self, identity: str, account_id: object) -> None:
        super().__init__(f"identity {identity!r} is not assigned to account {account_id}")
        self.identity = identity


class IdentityStillAssignedError(PreconditionError):
    """A subscriber identity moves to another account only after it was released."""


class InvalidCycleDayError(InvalidInputError):
    """A bill cycle day is not 1..31 or not one of the tenant's scheduled days."""


class InvalidScheduleError(InvalidInputError):
    """A bill-run schedule is not acceptable."""


class InvalidSubscriptionError(InvalidInputError):
    """A subscription field is not acceptable."""


class SubscriptionNotFoundError(NotFoundError):
    """No such subscription for this tenant."""

    def __init__(self, subscription_id: object) -> None:
        super().__init__(f"subscription {subscription_id} not found")


class OverlappingSubscriptionError(ConflictError):
    """The account already has a subscription to the plan during those dates."""


class SubscriptionEndedError(PreconditionError):
    """An ended or cancelled subscription takes no change after its end."""


class AccountClosedError(PreconditionError):
    """A closed account takes no new subscription, change or charge after its closing date."""


class InvalidTaxError(InvalidInputError):
    """A tax rate or region is not acceptable."""


class InvalidChargeError(InvalidInputError):
    """A one-time charge is not acceptable."""


class InvalidCreditError(InvalidInputError):
    """A credit note request is not acceptable."""


class CreditNoteNotFoundError(NotFoundError):
    """No such credit note for this tenant."""

    def __init__(self, credit_note_id: object) -> None:
        super().__init__(f"credit note {credit_note_id} not found")


class InvoiceNotCreditableError(PreconditionError):
    """Only a finalized, not void invoice takes credit notes, up to what its lines charged."""


class InvoiceNotVoidableError(PreconditionError):
    """Only a finalized invoice without payments or credit notes can be voided."""


class BillRunInFutureError(InvalidInputError):
    """A bill run for a period that has not ended yet."""


class AccountChangedConcurrentlyError(ConflictError):
    """The account changed while this change was being saved; try again."""
