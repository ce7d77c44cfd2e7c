"""Running Copydesk as a child process and killing it with SIGKILL at a moment chosen by a seeded RNG."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "import sys, copydesk; sys.exit(copydesk.main(sys.argv[1:]))"]
SEED = int(os.environ.get("COPYDESK_RELIABILITY_SEED", "20261201"))
SCALE = max(1, int(os.environ.get("COPYDESK_RELIABILITY_SCALE", "1")))  # scripts/soak: 5


@dataclass
class Child:
    """A child process whose standard output lines are read as they come (``lines``)."""

    process: subprocess.Popen[str]
    lines: queue.Queue[tuple[float, str]] = field(default_factory=queue.Queue)
    seen: list[tuple[float, str]] = field(default_factory=list)

    @classmethod
    def start(cls, args: Sequence[str], env: dict[str, str], stdin: str | None = None) -> Child:
        process = subprocess.Popen(
            list(args),
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        child = cls(process)
        if stdin is not None:
            assert process.stdin is not None
            process.stdin.write(stdin)
            process.stdin.close()
        threading.Thread(target=child._read, daemon=True).start()
        return child

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put((time.time(), line.rstrip("\n")))
        self.lines.put((time.time(), "\0EOF"))

    def wait_line(self, prefix: str, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no line {prefix!r} within {timeout} s; saw {self.seen[-5:]}")
            try:
                moment, line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append((moment, line))
            if line == "\0EOF":
                err = self.process.stderr.read() if self.process.stderr else ""
                raise AssertionError(f"the child ended before {prefix!r}: {err[-2000:]}")
            if line.startswith(prefix):
                return line

    def drain(self) -> list[str]:
        """Every line read so far (after the child is gone, all it printed)."""
        while True:
            try:
                moment, line = self.lines.get(timeout=5 if self.process.poll() is not None else 0.05)
            except queue.Empty:
                break
            if line == "\0EOF":
                break
            self.seen.append((moment, line))
        return [line for _, line in self.seen]

    def kill(self) -> float:
        """SIGKILL now; returns the moment (unix time)."""
        moment = time.time()
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        return moment

    def finish(self, timeout: float = 120) -> tuple[int, str]:
        """Wait for the end; returns (exit status, standard error)."""
        try:
            self.process.wait(timeout=timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
        self.drain()
        err = self.process.stderr.read() if self.process.stderr else ""
        self.close()
        return self.process.returncode, err

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


def run_cli(
    data: Path, env: dict[str, str], *args: str, stdin: str = "", timeout: float = 120
) -> tuple[int, str, str]:
    """Run ``copydesk --data-dir DATA ARGS`` to the end: (exit status, stdout, stderr)."""
    done = subprocess.run(
        [*CLI, "--data-dir", str(data), *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def kill_cli_after(data: Path, env: dict[str, str], delay: float, *args: str) -> int | None:
    """Start ``copydesk ARGS`` and SIGKILL it *delay* seconds later; its exit status when it ended
    by itself first (None when it was killed)."""
    child = Child.start([*CLI, "--data-dir", str(data), *args], env)
    try:
        try:
            child.process.wait(timeout=delay)
            return child.process.returncode
        except subprocess.TimeoutExpired:
            child.kill()
            return None
    finally:
        child.close()
