"""Shared kernel: money, ids, clock, settings, telemetry, and NATS / gRPC / database plumbing."""
