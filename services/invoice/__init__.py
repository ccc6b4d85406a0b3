"""Invoice service: plans, accounts, bill runs and invoices, all event-sourced."""
