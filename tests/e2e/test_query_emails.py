"""Emails about billing queries end to end: every service in its own process, the mail sink reading
what notify sends when an agent asks the customer and when the query is settled with a credit note."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from tests.e2e.conftest import Stack
from tests.e2e.test_invoicing import created
from tests.e2e.test_support import billed_accounts, charged_line, gbp
from tests.e2e.test_thin_path import eventually, new_key

pytestmark = pytest.mark.e2e

SUBJECT = "Roaming fee I never used"


def body(message: EmailMessage, subtype: str) -> str:
    """The text of a message's plain or html part."""
    part = message.get_body((subtype,))
    assert part is not None, f"no {subtype} part"
    return str(part.get_content())


async def mail_to(stack: Stack, recipient: str, subject: str) -> EmailMessage:
    """The one email with this subject the sink received for the recipient, once it is there."""

    async def arrived() -> list[EmailMessage]:
        return [m for m in stack.mail.messages() if m["To"] == recipient and m["Subject"] == subject]

    found = await eventually(arrived)
    assert len(found) == 1, [str(m["Subject"]) for m in found]
    return found[0]


async def test_a_customer_is_emailed_the_agents_question_and_the_credit_note(stack: Stack) -> None:
    tenant = stack.create_tenant("Query Mail Telco")
    async with stack.client(tenant["api_key"]) as admin:
        [invoice] = await billed_accounts(admin, ["Mailed Home"], "20.00")
        account = await created(admin.get(f"/v1/accounts/{invoice['account_id']}"))
        agent = stack.client(await new_key(admin, "support"))
        customer = stack.client(await new_key(admin, "customer", account_id=invoice["account_id"]))
        async with agent, customer:
            line = charged_line(invoice)
            query = await created(customer.post("/v1/queries", json={
                "invoice_id": invoice["invoice_id"], "line_index": line["index"],
                "category": "charge_not_recognised", "subject": SUBJECT,
                "body": "I was not abroad last month.", "disputed_amount": gbp("4.00")}))
            path = f"/v1/queries/{query['query_id']}"
            await created(agent.post(f"{path}/ask-customer", json={
                "body": "Did anyone else use your SIM card in May?"}))

            asked = await mail_to(stack, account["billing_email"], f"We need your reply: {SUBJECT}")
            asked_text = body(asked, "plain")
            assert f"about invoice {invoice['number']}, our support team needs your reply" in asked_text
            assert "Did anyone else use your SIM card in May?" in asked_text

            resolved = await created(agent.post(f"{path}/resolve", json={
                "outcome": "credit_note", "note": "The fee was charged in error.",
                "credit_lines": [{"line_index": line["index"], "amount": gbp("4.00")}]}))
            number = resolved["outcome"]["credit_note_number"]

            settled = await mail_to(stack, account["billing_email"], f"Your query is resolved: {SUBJECT}")
            settled_text = body(settled, "plain")
            assert f"We have issued credit note {number} of £4.00." in settled_text
            assert "The fee was charged in error." in settled_text
            assert f"credit note {number} of <strong>£4.00</strong>" in body(settled, "html")

            async def logged_as_sent() -> list[tuple[str, str, str]]:
                listed = await created(customer.get("/v1/notifications/deliveries", params={
                    "kind": "query_resolved", "status": "sent"}))
                return [(d["kind"], d["recipient"], d["account_id"]) for d in listed["deliveries"]]

            assert await eventually(logged_as_sent) == [
                ("query_resolved", account["billing_email"], invoice["account_id"])]
