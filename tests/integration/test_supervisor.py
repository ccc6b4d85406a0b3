"""Supervised processes never outlive their supervisor."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SUPERVISING = """
import sys, time
from pathlib import Path
from devstack.supervisor import ServiceSpec, Supervisor
supervisor = Supervisor(output=sys.stderr, restart=False)
spec = ServiceSpec(name="server", module="tests.integration.sleeper", env={}, ready_file=Path(sys.argv[1]))
supervisor.start(spec)
print(supervisor.services["server"].process.pid, flush=True)
time.sleep(600)
"""


def alive(pid: int) -> bool:
    """The process exists and is not a zombie waiting to be reaped."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    state = next(line for line in status.splitlines() if line.startswith("State:"))
    return "zombie" not in state


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs util-linux setpriv")
def test_a_service_dies_with_its_killed_supervisor(tmp_path: Path) -> None:
    supervisor = subprocess.Popen([sys.executable, "-c", SUPERVISING, str(tmp_path / "ready")],
                                  stdout=subprocess.PIPE, text=True)
    assert supervisor.stdout is not None
    child = int(supervisor.stdout.readline())
    assert alive(child)

    supervisor.send_signal(signal.SIGKILL)
    supervisor.wait()

    deadline = time.monotonic() + 10
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(child)
