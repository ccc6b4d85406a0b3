"""Usage service: validates, dedups, stores and publishes usage records."""
