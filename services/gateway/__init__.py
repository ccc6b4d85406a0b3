"""Public HTTP gateway: API keys, tenancy, validation; calls the services over gRPC."""
