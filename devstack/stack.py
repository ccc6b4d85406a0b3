"""Start every service in its own process against given PostgreSQL and NATS URLs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

from devstack.supervisor import ServiceSpec, Supervisor

BACKEND_SERVICES = ("invoice", "usage", "rating", "payment", "notify")
DEFAULT_PORTS = {"usage": 50051, "rating": 50052, "invoice": 50053, "payment": 50054,
                 "notify": 50055, "gateway": 8000}


@dataclass(frozen=True)
class StackConfig:
    """What the stack needs to start: infrastructure URLs and where to keep run files."""

    database_url: str
    nats_url: str
    smtp_url: str
    run_dir: Path
    fixed_ports: bool = False
    extra_env: tuple[tuple[str, str], ...] = ()


@dataclass
class RunningStack:
    """A started stack: the supervisor and the gateway's base URL."""

    supervisor: Supervisor
    gateway_url: str
    grpc_addresses: dict[str, str]

    def stop(self) -> None:
        """Stop every service."""
        self.supervisor.stop()


def listen_address(name: str, fixed_ports: bool) -> str:
    """127.0.0.1 and the service's default port, or port 0 to let the OS choose."""
    return f"127.0.0.1:{DEFAULT_PORTS[name] if fixed_ports else 0}"


def start_stack(config: StackConfig, output: IO[str] | None = None) -> RunningStack:
    """Start the backend services, wait until each serves, then start the gateway."""
    config.run_dir.mkdir(parents=True, exist_ok=True)
    supervisor = Supervisor(output=output)
    common = {
        "DATABASE_URL": config.database_url,
        "NATS_URL": config.nats_url,
        "SMTP_URL": config.smtp_url,
        **dict(config.extra_env),
    }
    addresses: dict[str, str] = {}
    try:
        for name in BACKEND_SERVICES:
            supervisor.start(ServiceSpec(
                name=name,
                module=f"services.{name}.main",
                env={**common, **_addresses_env(addresses),
                     "GRPC_LISTEN": listen_address(name, config.fixed_ports)},
                ready_file=config.run_dir / f"{name}.ready",
            ))
            addresses[name] = supervisor.wait_ready(name)["grpc"]
        supervisor.start(ServiceSpec(
            name="gateway",
            module="services.gateway.main",
            env={**common, **_addresses_env(addresses),
                 "HTTP_LISTEN": listen_address("gateway", config.fixed_ports)},
            ready_file=config.run_dir / "gateway.ready",
        ))
        gateway = supervisor.wait_ready("gateway")["http"]
    except BaseException:
        supervisor.stop()
        raise
    return RunningStack(supervisor, f"http://{gateway}", addresses)


def _addresses_env(addresses: dict[str, str]) -> dict[str, str]:
    return {f"{name.upper()}_GRPC": address for name, address in addresses.items()}
