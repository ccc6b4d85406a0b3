"""A small process supervisor: one OS process per service, prefixed logs, restart on crash."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)

RESTART_BACKOFF_SECONDS = 1.0


def dying_with_parent(argv: list[str]) -> list[str]:
    """The command run so that it gets SIGTERM when the thread that started it dies (no orphans).

    util-linux's setpriv sets the parent-death signal and execs the command, so the child runs no
    Python between fork and exec: a preexec_fn did, and in a process with gRPC threads (a test run)
    gRPC's fork handlers then broke the child now and then ("exited during start-up"). Without
    setpriv the command runs as it is; only a supervisor killed with SIGKILL leaves it behind.
    """
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "TERM", "--", *argv] if setpriv else argv


@dataclass
class ServiceSpec:
    """How to start one service."""

    name: str
    module: str
    env: dict[str, str]
    ready_file: Path


@dataclass
class Supervised:
    """A running service process and how often it was restarted."""

    spec: ServiceSpec
    process: subprocess.Popen[bytes]
    restarts: int = 0
    pumps: list[threading.Thread] = field(default_factory=list)


class Supervisor:
    """Starts services, prefixes their output, restarts them on crash, stops them all."""

    def __init__(self, output: IO[str] | None = None, restart: bool = True) -> None:
        self.output = output or sys.stdout
        self.restart = restart
        self.services: dict[str, Supervised] = {}
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.watcher = threading.Thread(target=self._watch, daemon=True)
        self.watcher.start()

    def start(self, spec: ServiceSpec) -> None:
        """Start a service process."""
        spec.ready_file.unlink(missing_ok=True)
        env = {**os.environ, **spec.env, "READY_FILE": str(spec.ready_file)}
        process = subprocess.Popen(
            dying_with_parent([sys.executable, "-m", spec.module]),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        supervised = Supervised(spec, process)
        previous = self.services.get(spec.name)
        if previous is not None:
            supervised.restarts = previous.restarts + 1
        pump = threading.Thread(target=self._pump, args=(spec.name, process), daemon=True)
        pump.start()
        supervised.pumps.append(pump)
        with self.lock:
            self.services[spec.name] = supervised

    def _pump(self, name: str, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.output.write(f"{name:>8} | {line.decode(errors='replace')}")
            self.output.flush()

    def wait_ready(self, name: str, timeout: float = 60.0) -> dict[str, str]:
        """Wait until the service wrote its ready file; return the addresses in it."""
        supervised = self.services[name]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if supervised.spec.ready_file.exists():
                ready: dict[str, str] = json.loads(supervised.spec.ready_file.read_text())
                if int(ready.get("pid", 0)) == self.services[name].process.pid:
                    return ready
            if self.services[name].process.poll() is not None and not self.restart:
                raise RuntimeError(f"{name} exited during start-up")
            time.sleep(0.05)
        raise TimeoutError(f"{name} did not become ready in {timeout}s")

    def _watch(self) -> None:
        while not self.stopping.wait(0.5):
            with self.lock:
                crashed = [s for s in self.services.values() if s.process.poll() is not None]
            for supervised in crashed:
                if self.stopping.is_set() or not self.restart:
                    continue
                log.warning("%s exited with %s; restarting", supervised.spec.name,
                            supervised.process.returncode)
                time.sleep(RESTART_BACKOFF_SECONDS)
                if not self.stopping.is_set():
                    self.start(supervised.spec)

    def kill(self, name: str) -> None:
        """Kill a service hard (fault tests); the watcher restarts it."""
        self.services[name].process.kill()

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM every service, wait, then SIGKILL what is left."""
        self.stopping.set()
        with self.lock:
            processes = [s.process for s in self.services.values()]
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in processes:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
