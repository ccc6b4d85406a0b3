"""Payment service providers (PSPs): the port the payment service charges through, and its adapters."""
