"""Start every service in its own process against given PostgreSQL and NATS URLs."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import IO

from devstack.ports import HOST, free_ports
from devstack.psp_simulator import NAME as PSP
from devstack.psp_simulator import simulator_spec
from devstack.supervisor import ServiceSpec, Supervisor
from kernel.settings import ServiceSettings

BACKEND_SERVICES = ("invoice", "usage", "rating", "payment", "notify", "support")
DEFAULT_PORTS = {"usage": 50051, "rating": 50052, "invoice": 50053, "payment": 50054,
                 "notify": 50055, "support": 50056, "gateway": 8000, PSP: 8010}
ANY_PORT = f"{HOST}:0"
"""Where a process nobody calls by address listens: the OS picks the port, the ready file tells it."""
PSP_WEBHOOK_PATH = "/v1/payment-providers/simulator/webhooks"


RELAY_PROCESSES = ("invoice",)
"""Services whose outbox relay runs as a process of its own (services.<name>.relay_main)."""


@dataclass(frozen=True)
class StackConfig:
    """What the stack needs to start: infrastructure URLs and where to keep run files."""

    database_url: str
    nats_url: str
    smtp_url: str
    run_dir: Path
    fixed_ports: bool = False
    extra_env: tuple[tuple[str, str], ...] = ()
    services: tuple[str, ...] = BACKEND_SERVICES
    with_gateway: bool = True
    rating_workers: int = 1
    relay_processes: tuple[str, ...] = RELAY_PROCESSES


@dataclass
class RunningStack:
    """A started stack: the supervisor and the gateway's base URL."""

    supervisor: Supervisor
    gateway_url: str
    grpc_addresses: dict[str, str]
    psp_url: str = ""

    def stop(self) -> None:
        """Stop every service."""
        self.supervisor.stop()


def listen_addresses(fixed_ports: bool) -> dict[str, str]:
    """127.0.0.1 and each service's default port, or distinct free ports chosen by the OS (services
    call each other, so their ports are chosen up front)."""
    ports = list(DEFAULT_PORTS.values()) if fixed_ports else free_ports(len(DEFAULT_PORTS))
    return {name: f"{HOST}:{port}" for name, port in zip(DEFAULT_PORTS, ports, strict=True)}


def wants_simulator(config: StackConfig) -> bool:
    """The payment service runs and nobody chose another PSP (PAYMENT_GATEWAY)."""
    chosen = {**os.environ, **dict(config.extra_env)}.get("PAYMENT_GATEWAY", "simulator")
    return "payment" in config.services and chosen == "simulator"


def start_psp_simulator(
    supervisor: Supervisor, config: StackConfig, listen: dict[str, str]
) -> tuple[str, dict[str, str]]:
    """Start the PSP simulator (webhooks to the gateway); its URL and the payment service's PSP env."""
    secret = secrets.token_urlsafe(24)
    webhook_url = f"http://{listen['gateway']}{PSP_WEBHOOK_PATH}"
    supervisor.start(simulator_spec(webhook_url, secret, config.run_dir, listen=listen[PSP]))
    url = f"http://{supervisor.wait_ready(PSP)['http']}"
    return url, {"PAYMENT_GATEWAY": "simulator", "PSP_SIMULATOR_URL": url, "PSP_WEBHOOK_SECRET": secret}


def usage_partitions(env: dict[str, str]) -> int:
    """How many partitions usage is published in, as the services will read it."""
    chosen = {**os.environ, **env}.get("USAGE_PARTITIONS")
    return int(chosen) if chosen else int(ServiceSettings.model_fields["usage_partitions"].default)


def partition_split(workers: int, partitions: int) -> list[str]:
    """RATING_PARTITIONS of each rating worker: contiguous ranges covering every usage partition
    once, so each account's counters have one writer."""
    bounds = [partitions * n // workers for n in range(workers + 1)]
    return [f"{first}-{last - 1}" for first, last in pairwise(bounds)
            if last > first]


def start_rating_workers(supervisor: Supervisor, config: StackConfig, env: dict[str, str]) -> None:
    """The rating workers besides the first, each on its own share of the usage partitions (the
    first was started with the first share); each serves gRPC on a port of its own."""
    shares = partition_split(config.rating_workers, usage_partitions(env))
    for number, share in enumerate(shares[1:], start=2):
        name = f"rating-{number}"
        supervisor.start(ServiceSpec(
            name=name, module="services.rating.main",
            env={**env, "GRPC_LISTEN": ANY_PORT, "RATING_PARTITIONS": share},
            ready_file=config.run_dir / f"{name}.ready",
        ))
        supervisor.wait_ready(name)


def start_relays(supervisor: Supervisor, config: StackConfig, env: dict[str, str]) -> None:
    """The outbox relays that run apart from their service, each with a health port of its own."""
    for service in config.relay_processes:
        if service not in config.services:
            continue
        name = f"{service}-relay"
        supervisor.start(ServiceSpec(
            name=name, module=f"services.{service}.relay_main",
            env={**env, "GRPC_LISTEN": ANY_PORT},
            ready_file=config.run_dir / f"{name}.ready",
        ))
        supervisor.wait_ready(name)


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
    listen = listen_addresses(config.fixed_ports)
    common.update({f"{name.upper()}_GRPC": listen[name] for name in BACKEND_SERVICES})
    psp_url = ""
    psp_env: dict[str, str] = {}
    try:
        if wants_simulator(config):
            psp_url, psp_env = start_psp_simulator(supervisor, config, listen)
        partitions = usage_partitions(common)
        for name in config.services:
            share = ({"RATING_PARTITIONS": partition_split(config.rating_workers, partitions)[0]}
                     if name == "rating" and config.rating_workers > 1 else {})
            supervisor.start(ServiceSpec(
                name=name,
                module=f"services.{name}.main",
                env={**common, "GRPC_LISTEN": listen[name], **share,
                     **(psp_env if name == "payment" else {}),
                     **({"OUTBOX_RELAY": "own_process"} if name in config.relay_processes else {})},
                ready_file=config.run_dir / f"{name}.ready",
            ))
        addresses = {name: supervisor.wait_ready(name)["grpc"] for name in config.services}
        if "rating" in config.services:
            start_rating_workers(supervisor, config, common)
        start_relays(supervisor, config, common)
        if not config.with_gateway:
            return RunningStack(supervisor, "", addresses, psp_url)
        supervisor.start(ServiceSpec(
            name="gateway",
            module="services.gateway.main",
            env={**common, "HTTP_LISTEN": listen["gateway"]},
            ready_file=config.run_dir / "gateway.ready",
        ))
        gateway = supervisor.wait_ready("gateway")["http"]
    except BaseException:
        supervisor.stop()
        raise
    return RunningStack(supervisor, f"http://{gateway}", addresses, psp_url)
