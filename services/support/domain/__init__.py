"""The support domain: billing queries, their outcomes and each tenant's response targets."""
