"""Tariff catalog of the rating service: versioned, event-sourced rate plans and their definitions."""
