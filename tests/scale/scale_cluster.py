"""A small marsad cluster for the scale tests: marsad processes started as a user would."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MARSAD = [
    sys.executable,
    "-c",
    "import sys; from marsad.cli import main; sys.exit(main(sys.argv[1:]))",
]


def wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll until `check()` holds; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.2)


class Cluster:
    """Worker processes started as a user would, each in its own process group."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.procs: list[subprocess.Popen[bytes]] = []

    def marsad(self, *args: str, db: str | None = None, timeout: float = 120) -> str:
        """Run a marsad command to completion (on another store if `db`); return its output."""
        env = self.env if db is None else {**self.env, "MARSAD_DB": db}
        done = subprocess.run(
            [*MARSAD, *args], env=env, cwd=REPO, capture_output=True, timeout=timeout
        )
        assert done.returncode == 0, done.stderr.decode()[-3000:]
        return done.stdout.decode()

    def start(self, *args: str, name: str) -> subprocess.Popen[bytes]:
        """Start a long-running marsad command (worker, scheduler) with its log in `logs`."""
        log = (self.logs / f"{name}.log").open("ab")
        proc = subprocess.Popen(
            [*MARSAD, *args],
            env=self.env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def worker(self, name: str, *extra: str) -> subprocess.Popen[bytes]:
        """Start `marsad worker` with a short visibility timeout (jobs of the dead redone fast)."""
        args = ["worker", "--name", f"{name}@test", "--visibility-timeout", "8", "--tick", "3"]
        return self.start(*args, "--loglevel", "INFO", *extra, name=name)

    def log(self, name: str) -> str:
        """What a process has written so far."""
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def kill(self, proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        """Signal a process and everything it started."""
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        proc.wait(timeout=30)

    def stop(self) -> None:
        """Stop every process started here: politely, then for good."""
        for proc in self.procs:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill(proc)
        for proc in self.procs:
            # Pool children that outlived their parent.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
