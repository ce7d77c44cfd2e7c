"""A small filesystem of its own for a test (a tmpfs), to fill up and free again.

Mounting needs root, which the CI runners and the development container have; elsewhere the test fails
with a message saying so (it never skips).
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHUNK = 4096


@contextmanager
def small_filesystem(where: Path, size: str = "8m") -> Iterator[Path]:
    """A tmpfs of *size* mounted on *where* (made if need be); unmounted afterwards."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.fail("This test mounts a small filesystem (tmpfs) and must run as root.")
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)],
        check=True,
        capture_output=True,
    )
    try:
        yield where
    finally:
        # lazily: a file the app still holds open must not leave the mount behind
        subprocess.run(["umount", "--lazy", str(where)], check=True, capture_output=True)


def fill(folder: Path, name: str = "filler") -> Path:
    """Fill the filesystem of *folder* to the last byte; the file that did it."""
    path = folder / name
    with path.open("ab", buffering=0) as fh:
        for size in (1 << 20, CHUNK, 512, 1):
            try:
                while True:
                    fh.write(b"\0" * size)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
    return path
