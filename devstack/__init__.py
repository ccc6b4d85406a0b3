"""Developer tooling: proto generation, the embedded local stack, the process supervisor, demo data."""
