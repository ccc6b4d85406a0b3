"""Invoice domain: plans, accounts, invoices, numbering and bill runs (no I/O)."""
