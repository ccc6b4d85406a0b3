"""The payment domain: payments, the customer ledger, dunning (no I/O)."""
